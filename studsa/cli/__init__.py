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
    add_completion=True,
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
        help,
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
    help.apply(app)


_register()


_VALUE_OPTIONS = ("-p", "--project")  # the root options that take a value
_FLAG_OPTIONS = ("--debug",)


def main() -> None:
    """Console-script entry point: the app with only the command ``argv`` runs."""
    import sys

    try:
        app_for(sys.argv[1:])()
    except SystemExit:
        # Output still buffered is written at exit; a reader that has gone is no error.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            common.silence_stdout()
            raise SystemExit(common.CLOSED_PIPE) from None
        raise


def command_name(argv: list[str]) -> str | None:
    """The command named in ``argv`` after the global options, or None if unsure."""
    tokens = iter(argv)
    for token in tokens:
        if token in _VALUE_OPTIONS:
            next(tokens, None)
        elif token in _FLAG_OPTIONS or token.startswith(("--project=", "-p")):
            continue
        elif token.startswith("-"):
            return None
        else:
            return token
    return None


def app_for(argv: list[str]) -> typer.Typer:
    """``app`` with only the command or group that ``argv`` runs, or all of ``app``.

    Typer builds every registered command (it reads each signature) before it parses the
    command line; running one command needs only that one. Anything else (no command, an
    unknown name, ``--help`` at the root) gets the whole app, with its listing and its
    suggestions for a mistyped name.
    """
    import copy

    name = command_name(argv)
    if name is None:
        return app
    commands = [i for i in app.registered_commands if _info_name(i) == name]
    groups = [i for i in app.registered_groups if i.name == name]
    if len(commands) + len(groups) != 1:
        return app
    one = copy.copy(app)
    one.registered_commands, one.registered_groups = commands, groups
    return one


def _info_name(info: typer.models.CommandInfo) -> str | None:
    if info.name:
        return info.name
    callback = info.callback
    return typer.main.get_command_name(callback.__name__) if callback else None


__all__ = ["Path", "app", "app_for", "command_name", "main"]
