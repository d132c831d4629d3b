"""Rich consoles: stdout for data, stderr for messages. Respects NO_COLOR."""

from __future__ import annotations

import json
import os
from typing import Any

from rich.console import Console

_WIDTH = int(os.environ["COLUMNS"]) if os.environ.get("COLUMNS", "").isdigit() else None

out = Console(highlight=False, soft_wrap=False, width=_WIDTH)
err = Console(stderr=True, highlight=False, width=_WIDTH)


def print_json(data: Any) -> None:
    """Print data as JSON on stdout (no colour, stable key order)."""
    out.file.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    out.file.flush()


def error(message: str) -> None:
    """Print ``error: message`` on stderr."""
    err.print(f"[bold red]error:[/] {_escape(message)}")


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr."""
    err.print(f"[yellow]warning:[/] {_escape(message)}")


def info(message: str) -> None:
    """Print an informational line on stderr."""
    err.print(_escape(message))


def done(message: str) -> None:
    """Print a success line on stderr."""
    err.print(f"[green]✓[/] {_escape(message)}")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
