"""Rich consoles: stdout for data, stderr for messages. Respects NO_COLOR.

``out`` and ``err`` are created on first use, so importing this module (every command
module does) does not load rich.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    out: Console
    err: Console

def _width() -> int | None:
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else None


def __getattr__(name: str) -> Any:
    """Create ``out`` (stdout, data) or ``err`` (stderr, messages) the first time it is used."""
    if name not in {"out", "err"}:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console

    if name == "out":
        made = Console(highlight=False, soft_wrap=False, width=_width())
    else:
        made = Console(stderr=True, highlight=False, width=_width())
    globals()[name] = made
    return made


def _console(name: str) -> Console:
    return globals().get(name) or __getattr__(name)  # type: ignore[no-any-return]


def print_json(data: Any) -> None:
    """Print data as JSON on stdout (no colour, stable key order)."""
    import json

    stream = _console("out").file
    stream.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
    stream.flush()


def error(message: str) -> None:
    """Print ``error: message`` on stderr."""
    from studsa.i18n import message as label

    _console("err").print(f"[bold red]{label('cli_error_prefix')}[/] {_escape(message)}")


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr."""
    from studsa.i18n import message as label

    _console("err").print(f"[yellow]{label('cli_warning_prefix')}[/] {_escape(message)}")


def info(message: str) -> None:
    """Print an informational line on stderr."""
    _console("err").print(_escape(message))


def done(message: str) -> None:
    """Print a success line on stderr."""
    _console("err").print(f"[green]✓[/] {_escape(message)}")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
