"""How ``--help`` reads: flags without a ``<bool>`` placeholder, panels in method order.

Typer's own command and group classes, subclassed through its documented ``cls=`` hook
and set on every registered command and group once, when the app is wired.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from studsa.cli.common import PANEL_ORDER


def _plain_flags(params: list[Any]) -> list[Any]:
    # A flag takes no value, so its help shows no value type ("<bool>").
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class StudsaCommand(TyperCommand):
    """A command whose flags show no value type in ``--help``."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The command's parameters (with ``--help``), flags without a metavar."""
        return _plain_flags(super().get_params(ctx))


class StudsaGroup(TyperGroup):
    """A group whose flags show no value type and whose commands list in method order."""

    def get_params(self, ctx: Any) -> list[Any]:
        """The group's parameters (with ``--help``), flags without a metavar."""
        return _plain_flags(super().get_params(ctx))

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
    for group in app.registered_groups:
        if _default(group.cls):
            group.cls = StudsaGroup
        if group.typer_instance is not None:
            apply(group.typer_instance)
