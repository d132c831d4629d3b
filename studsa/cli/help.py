"""How ``--help`` reads: flags without a ``<bool>`` placeholder, panels in method order, and
the framework's own words (usage line, panel titles, ``--help`` and completion options) in the
terminal's language from the catalog.

Typer's own command and group classes, subclassed through its documented ``cls=`` hook
and set on every registered command and group once, when the app is wired.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from studsa.cli.common import PANEL_ORDER
from studsa.i18n import message

# The options Typer and Click add themselves, whose help the catalog gives.
_OWN_HELP = {"help": "help_opt_help", "install_completion": "help_opt_install_completion",
             "show_completion": "help_opt_show_completion"}


# The value placeholders Typer shows for a type (``<str>``), in the catalog's words.
_VALUE_WORDS = {"<str>": "cli_metavar_text", "<list[str]>": "cli_metavar_text",
                "<int>": "cli_metavar_int",
                "<float>": "cli_metavar_number", "<path>": "cli_metavar_path"}


def _plain_flags(params: list[Any], ctx: Any) -> list[Any]:
    # A flag takes no value, so its help shows no value type ("<bool>"); an option or
    # argument with no panel of its own goes under the catalog's panel title.
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif (param.param_type_name == "option" and param.metavar is None
              and param.display_type(ctx) in _VALUE_WORDS):
            param.metavar = message(_VALUE_WORDS[param.display_type(ctx)])
        if param.name in _OWN_HELP:
            param.help = message(_OWN_HELP[param.name])
        if getattr(param, "rich_help_panel", None) is None:
            param.rich_help_panel = message(
                "cli_panel_options" if param.param_type_name == "option" else
                "cli_panel_arguments")
    return params


def _usage(command: Any, ctx: Any, formatter: Any) -> None:
    formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)),
                          prefix=message("cli_usage") + " ")


class StudsaCommand(TyperCommand):
    """A command whose flags show no value type in ``--help``."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The command's parameters (with ``--help``), flags without a metavar."""
        return _plain_flags(super().get_params(ctx), ctx)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """The usage line, its prefix and placeholders in the terminal's language."""
        self.options_metavar = message("cli_metavar_options")
        _usage(self, ctx, formatter)


class StudsaGroup(TyperGroup):
    """A group whose flags show no value type and whose commands list in method order."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's parameters (with ``--help``), flags without a metavar."""
        return _plain_flags(super().get_params(ctx), ctx)

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """The usage line, its prefix and placeholders in the terminal's language."""
        self.options_metavar = message("cli_metavar_options")
        self.subcommand_metavar = message("cli_metavar_command")
        _usage(self, ctx, formatter)

    def list_commands(self, ctx: Any) -> list[str]:
        """Commands by help panel in the method's order, each panel in registration order."""
        names = super().list_commands(ctx)

        def panel(name: str) -> int:
            title = getattr(self.commands[name], "rich_help_panel", None)
            return PANEL_ORDER.index(title) if title in PANEL_ORDER else len(PANEL_ORDER)

        return sorted(names, key=lambda name: (panel(name), names.index(name)))


def _default(cls: Any) -> bool:
    # Typer's own default (its class, or the placeholder standing for it), not a chosen one.
    return not isinstance(cls, type) or cls in (TyperCommand, TyperGroup)


def apply(app: typer.Typer) -> None:
    """Make every command and group of ``app`` (and of its sub-apps) use these classes."""
    if _default(app.info.cls):
        app.info.cls = StudsaGroup
    for command in app.registered_commands:
        if _default(command.cls):
            command.cls = StudsaCommand
        if not isinstance(command.rich_help_panel, str):  # None or Typer's placeholder
            command.rich_help_panel = message("cli_panel_commands")
    for group in app.registered_groups:
        if _default(group.cls):
            group.cls = StudsaGroup
        if not isinstance(group.rich_help_panel, str):
            group.rich_help_panel = message("cli_panel_commands")
        if group.typer_instance is not None:
            apply(group.typer_instance)
