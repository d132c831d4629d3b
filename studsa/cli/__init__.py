"""The Typer application: wires command modules together; no logic lives here."""

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from studsa import __version__


def build_app() -> typer.Typer:
    """The whole application, its help texts in the terminal's language of now."""
    from studsa.cli import framework
    from studsa.i18n import message, terminal_language

    framework.use(terminal_language())

    application = typer.Typer(
        name="studsa",
        help=message("help_root"),
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    application.callback()(_root_callback())
    _register(application)
    return application


def _version(value: bool) -> None:
    if value:
        typer.echo(f"studsa {__version__}")
        raise typer.Exit()


def _lang(value: str | None) -> str | None:
    from studsa import i18n

    if value is not None:
        if value not in i18n.LANGUAGES:
            raise typer.BadParameter(i18n.message("cli_lang_unknown", value=value))
        i18n.override_language(value)
    return value


def _root_callback() -> Callable[..., None]:
    from studsa.cli import common
    from studsa.i18n import message

    def root(
        project: common.ProjectOpt = None,
        lang: Annotated[
            str | None,
            typer.Option("--lang", help=message("help_opt_lang"), is_eager=True,
                         callback=_lang, show_default=False, metavar="sv|en"),
        ] = None,
        debug: Annotated[bool, typer.Option("--debug", help=message("help_opt_debug"))] = False,
        version: Annotated[
            bool,
            typer.Option("--version", help=message("help_opt_version"), is_eager=True,
                         callback=_version),
        ] = False,
    ) -> None:
        from studsa import i18n

        i18n.override_language(lang)  # each run anew (the runner of the tests runs many)
        common.state.debug = debug
        common.state.project = project

    root.__doc__ = message("help_root_options")
    return root


def _register(application: typer.Typer) -> None:
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
        workshop,
    )

    modules = (demo, project, identify, score, place, followup, versions, remiss, render, data,
               workshop)
    for module in modules:
        module.register(application)
    help.apply(application)


_BUILT: list[typer.Typer] = []


def __getattr__(name: str) -> typer.Typer:
    """``app``, built on first use (after ``main`` has chosen the terminal's language)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if not _BUILT:
        _BUILT.append(build_app())
    return _BUILT[0]


_VALUE_OPTIONS = ("-p", "--project", "--lang")  # the root options that take a value
_FLAG_OPTIONS = ("--debug",)


def main() -> None:
    """Console-script entry point: the app with only the command ``argv`` runs."""
    import sys

    from studsa.cli.language import choose

    argv = sys.argv[1:]
    choose(argv)
    try:
        app_for(argv)()
    except SystemExit:
        # Output still buffered is written at exit; a reader that has gone is no error.
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            from studsa.cli import common

            common.silence_stdout()
            raise SystemExit(common.CLOSED_PIPE) from None
        raise


def command_name(argv: list[str]) -> str | None:
    """The command named in ``argv`` after the global options, or None if unsure."""
    tokens = iter(argv)
    for token in tokens:
        if token in _VALUE_OPTIONS:
            next(tokens, None)
        elif token in _FLAG_OPTIONS or token.startswith(("--project=", "--lang=", "-p")):
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

    app = __getattr__("app")
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


__all__ = ["Path", "app", "app_for", "build_app", "command_name", "main"]
