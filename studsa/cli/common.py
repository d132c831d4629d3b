"""What every command module shares: options, the error handler, opening the project."""

from __future__ import annotations

import functools
import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from studsa import console
from studsa.errors import ExitCode, SchemaError, StudsaError

if TYPE_CHECKING:
    from studsa.workflow.context import Workspace

F = TypeVar("F", bound=Callable[..., Any])

# Help panels, in the order of the method, so `studsa --help` teaches the workflow.
PANEL_PROJECT = "Project"
PANEL_AVGRANSA = "1 Avgränsa (delimit)"
PANEL_IDENTIFIERA = "2 Identifiera (identify)"
PANEL_PRIORITERA = "3 Prioritera (prioritize)"
PANEL_PLACERA = "4 Placera (place)"
PANEL_UPPFOLJNING = "Uppföljning (follow-up)"
PANEL_VERSIONS = "Decisions, versions and remiss"
PANEL_REPORTS = "Reports and data"
PANEL_ORDER = (PANEL_PROJECT, PANEL_AVGRANSA, PANEL_IDENTIFIERA, PANEL_PRIORITERA,
               PANEL_PLACERA, PANEL_UPPFOLJNING, PANEL_VERSIONS, PANEL_REPORTS)

ProjectOpt = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help="Project folder (default: the nearest folder upwards with studsa.yaml).",
        show_default=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON on stdout for scripts.")]
TodayOpt = Annotated[
    str | None,
    typer.Option(
        "--today",
        help="Judge deadlines and due revisions against this date (YYYY-MM-DD) instead of "
             "the real date.",
        show_default=False,
        metavar="DATE",
    ),
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
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except StudsaError as err:
            if debug_enabled():
                traceback.print_exc()
            report_error(err)
            raise typer.Exit(int(err.exit_code)) from None
        except KeyboardInterrupt:
            console.error("interrupted")
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
                console.error(
                    "internal error (a bug in studsa); rerun with --debug to see the "
                    "traceback, and please report it"
                )
            raise typer.Exit(int(ExitCode.BUG)) from None
        finally:
            _release_locks()

    return wrapper  # type: ignore[return-value]


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
