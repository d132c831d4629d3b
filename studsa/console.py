"""Rich consoles: stdout for data, stderr for messages. Respects NO_COLOR.

``out`` and ``err`` are created on first use, so importing this module (every command
module does) does not load rich. Control characters in what is printed (an ESC sequence in
a title could clear or rewrite the user's screen) are shown as visible symbols (``␛``),
never sent to the terminal; rich's own colours are not text and are kept.
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    out: Console
    err: Console

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible(match: re.Match[str]) -> str:
    """A control character as a symbol: C0 and DEL as Unicode's control pictures (one
    column wide, so tables stay aligned), C1 as ``\\x9b``."""
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else f"\\x{code:02x}"


def visible(text: str) -> str:
    """``text`` with every control character but newline and tab made visible."""
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text


def _width() -> int | None:
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() else None


def __getattr__(name: str) -> Any:
    """Create ``out`` (stdout, data) or ``err`` (stderr, messages) the first time it is used."""
    if name not in {"out", "err"}:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rich.console import Console
    from rich.segment import Segment

    class _Console(Console):
        def render_str(self, text: str, **options: Any) -> Any:
            """A text to print, its control characters made visible first."""
            return super().render_str(visible(text), **options)

        def render(self, renderable: Any, options: Any = None) -> Any:
            """Every segment printed, control characters in its text made visible (for
            ``Text`` objects, which do not pass ``render_str``)."""
            for segment in super().render(renderable, options):
                if segment.control is None and _CONTROL.search(segment.text):
                    yield Segment(visible(segment.text), segment.style)
                else:
                    yield segment

        def on_broken_pipe(self) -> None:
            # Rich's default ends the process with exit 1; studsa's error handler ends
            # it quietly with the closed pipe's own code, the same for every output.
            self.quiet = True
            raise BrokenPipeError

    if name == "out":
        made = _Console(highlight=False, soft_wrap=False, width=_width())
    else:
        made = _Console(stderr=True, highlight=False, width=_width())
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

    # one line, never folded inside a path: the terminal wraps it, and it stays copyable
    _console("err").print(f"[bold red]{label('cli_error_prefix')}[/] {_escape(message)}",
                          soft_wrap=True)


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
