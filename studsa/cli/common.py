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
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace a file at the target that studsa did not make (or that was edited "
        "since); without it such a file is kept and nothing is written.",
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


def _release_locks() -> None:
    while state.writing:
        state.writing.pop().close()


def open_workspace(project: Path | None, *, write: bool = False) -> Workspace:
    """Open the project named by ``--project`` (command or global) or the nearest one.

    Commands that change files pass ``write=True``: the project's write lock is then taken
    before anything is read and released when the command ends (``handle_errors``).
    """
    from studsa.workflow.context import Workspace

    ws = Workspace.open(project or state.project, write=write)
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
