"""The Typer application: wires command modules together; no logic lives here."""

from pathlib import Path
from typing import Annotated

import typer

from studsa import __version__
from studsa.cli import common

app = typer.Typer(
    name="studsa",
    help=(
        "STUDSA: systematic, challenge-driven strategic work. Walks a municipal strategy "
        "through avgränsa → identifiera → prioritera → placera and follow-up, keeps every "
        "deliverable as hand-editable YAML and renders the reports for the committee.\n\n"
        "Start with [bold]studsa demo[/] for a tour, or [bold]studsa init[/] for your own project."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"studsa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    project: common.ProjectOpt = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of errors (for bug reports).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version and exit.", is_eager=True,
                     callback=_version),
    ] = False,
) -> None:
    """Global options."""
    common.state.debug = debug
    common.state.project = project


def _register() -> None:
    from studsa.cli import (
        data,
        demo,
        followup,
        identify,
        place,
        project,
        remiss,
        render,
        score,
        versions,
    )

    modules = (demo, project, identify, score, place, followup, versions, remiss, render, data)
    for module in modules:
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["Path", "app", "main"]
