"""What every command module shares: options, the error handler, opening the project."""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from studsa import console, i18n
from studsa.errors import ExitCode, SchemaError, StudsaError
from studsa.i18n import message

if TYPE_CHECKING:
    from studsa.report.format import Formatter
    from studsa.workflow.context import Workspace

F = TypeVar("F", bound=Callable[..., Any])

# Help panels, in the order of the method, so `studsa --help` teaches the workflow. This
# module is imported when the app is built, after the terminal's language is chosen.
PANEL_PROJECT = message("panel_project")
PANEL_AVGRANSA = message("panel_avgransa")
PANEL_IDENTIFIERA = message("panel_identifiera")
PANEL_PRIORITERA = message("panel_prioritera")
PANEL_PLACERA = message("panel_placera")
PANEL_UPPFOLJNING = message("panel_uppfoljning")
PANEL_VERSIONS = message("panel_versions")
PANEL_REPORTS = message("panel_reports")
PANEL_ORDER = (PANEL_PROJECT, PANEL_AVGRANSA, PANEL_IDENTIFIERA, PANEL_PRIORITERA,
               PANEL_PLACERA, PANEL_UPPFOLJNING, PANEL_VERSIONS, PANEL_REPORTS)


def _json_speaks_english(value: bool) -> bool:
    # --json is for scripts: its messages are the same whatever the language.
    if value:
        i18n.override_language("en")
    return value


ProjectOpt = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help=message("help_opt_project"),
        show_default=False,
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help=message("help_opt_json"), callback=_json_speaks_english)
]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        help=message("help_opt_today"),
        show_default=False,
        metavar="DATE",
    ),
]
ForceOpt = Annotated[
    bool, typer.Option("--force", help=message("safety_help_force"), show_default=False)
]


class _State:
    debug: bool = False
    project: Path | None = None
    writing: list[Workspace] = []  # noqa: RUF012  (workspaces holding the write lock)


state = _State()


def debug_enabled() -> bool:
    """Whether tracebacks should be shown (``--debug`` or ``STUDSA_DEBUG=1``)."""
    return state.debug or os.environ.get("STUDSA_DEBUG", "") not in {"", "0"}


def report_error(err: StudsaError) -> None:
    """Print a domain error (every problem of a schema error) on stderr."""
    problems = err.problems if isinstance(err, SchemaError) else [err]
    for problem in problems:
        console.error(str(problem))
    if err.hint:
        console.info(err.hint)


def handle_errors(func: F) -> F:
    """Turn domain errors into one message and an exit code; anything else is a bug (3)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _check_text([*args, *kwargs.values()])
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except StudsaError as err:
            if debug_enabled():
                traceback.print_exc()
            report_error(err)
            raise typer.Exit(int(err.exit_code)) from None
        except ValueError as err:
            # A model refusing a value given on the command line (pydantic's
            # ValidationError is a ValueError): one sentence, exit 2, nothing written.
            refused = _refused_value(err)
            if refused is None:
                raise
            if debug_enabled():
                traceback.print_exc()
            console.error(refused)
            raise typer.Exit(int(ExitCode.USAGE)) from None
        except KeyboardInterrupt:
            console.error(message("cli_interrupted"))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except BrokenPipeError:
            # `studsa score --json | head -1`: the reader has gone; end quietly as Unix
            # tools do when SIGPIPE ends them.
            silence_stdout()
            raise typer.Exit(CLOSED_PIPE) from None
        except Exception:
            if debug_enabled():
                traceback.print_exc()
            else:
                console.error(message("cli_internal_error"))
            raise typer.Exit(int(ExitCode.BUG)) from None
        finally:
            _release_locks()

    return wrapper  # type: ignore[return-value]


def _check_text(values: list[Any]) -> None:
    """Refuse, before the command runs, a text argument that is not valid UTF-8: Python
    keeps its bytes as lone surrogates, which no file studsa writes can hold."""
    for value in values:
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str) and any("\udc80" <= ch <= "\udcff" for ch in text):
                from studsa.errors import UsageError

                shown = text.encode("utf-8", "surrogateescape").decode("utf-8",
                                                                        "backslashreplace")
                raise UsageError(message("safety_argument_not_utf8", arg=shown))


def _refused_value(err: ValueError) -> str | None:
    """The sentence for a pydantic ValidationError (None for any other ValueError)."""
    errors = getattr(err, "errors", None)
    if type(err).__name__ != "ValidationError" or not callable(errors):
        return None
    first = errors(include_url=False)[0]
    field = ".".join(str(part) for part in first.get("loc", ())) or "value"
    text = message("safety_invalid_value", field=field, problem=str(first.get("msg", "")),
                   value=repr(first.get("input")))
    return text.replace("\n", " ")


CLOSED_PIPE = 141
"""The exit code when stdout's reader has gone (128 + SIGPIPE, as a shell reports it)."""


def silence_stdout() -> None:
    """Point stdout at the null device, so nothing more fails to reach a closed pipe."""
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # stdout is not a real file (a test runner's buffer): nothing to silence
    finally:
        os.close(devnull)


def _release_locks() -> None:
    while state.writing:
        state.writing.pop().close()


def open_workspace(project: Path | None, *, write: bool = False,
                   today: str | None = None) -> Workspace:
    """Open the project named by ``--project`` (command or global) or the nearest one.

    Commands that change files pass ``write=True``: the project's write lock is then taken
    before anything is read and released when the command ends (``handle_errors``).
    The workspace's clocks read ``today`` (``--today``), else the real date: the CLI is
    the one place that looks at the calendar.
    """
    import datetime as dt

    from studsa.workflow.context import Workspace
    from studsa.workflow.frozen import parse_date

    when = parse_date(today, "--today") if today is not None else dt.date.today()
    ws = Workspace.open(project or state.project, write=write)
    try:
        i18n.use_language(ws.language)
    except StudsaError:  # an unreadable studsa.yaml: its errors come when it is needed
        from studsa.cli.language import project_language

        i18n.use_language(project_language(ws.root))
    ws.today = when
    if write:
        state.writing.append(ws)
    return ws


def new_app(help_text: str) -> typer.Typer:
    """A sub-command group with studsa's defaults."""
    return typer.Typer(
        help=help_text,
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )


def skipped_columns(columns: tuple[str, ...] | list[str]) -> None:
    """Say, in one line, which columns of an imported sheet were skipped (if any)."""
    if columns:
        from studsa.i18n import message

        console.warn(message("xc_ignored_columns", columns=", ".join(columns)))


def terminal() -> Formatter:
    """The terminal's formatter of amounts and dates, as in the reports (``1 200 000 kr``).

    Imported when a command first prints an amount or a date, so that ``--help`` and the
    commands that print neither do not load Babel.
    """
    from studsa.report.format import terminal as formatter

    return formatter()
