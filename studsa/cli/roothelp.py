"""``studsa --help`` drawn as Typer's rich help is, without importing Typer's formatter.

Typer's formatter (``typer.rich_utils``) imports rich's Markdown (markdown-it), tracebacks
and syntax highlighting (pygments) when it loads, about as long as Typer itself takes; the
top-level help uses none of them. ``LeanHelpGroup`` draws the same usage line, help text,
option panel and command panels from the same click objects with the few rich pieces they
need, and ``help_app`` lists the commands without building them. Styles and texts are
Typer's (0.29); tests compare the output with Typer's own, plain and in colour, so a Typer
that draws differently is noticed. Anything this does not draw (arguments, required
options, environment variables, ranges, deprecated commands, Markdown) is left to Typer's
formatter.
"""

from __future__ import annotations

import copy
import inspect
import os
import re
from gettext import gettext as _
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup, TyperOption

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text
    from typer import _click

# Typer's styles and texts (typer/rich_utils.py).
STYLE_OPTION = "bold cyan"
STYLE_SWITCH = "bold green"
STYLE_NEGATIVE_OPTION = "bold magenta"
STYLE_NEGATIVE_SWITCH = "bold red"
STYLE_TYPES = "bold yellow"
STYLE_TYPES_SEPARATOR = "dim"
STYLE_USAGE = "yellow"
STYLE_USAGE_COMMAND = "bold"
STYLE_HELPTEXT = "dim"
STYLE_OPTION_DEFAULT = "dim"
STYLE_PANEL_BORDER = "dim"
STYLE_COMMANDS_TABLE_FIRST_COLUMN = "bold cyan"
DEFAULT_STRING = _("[default: {}]")
OPTIONS_PANEL_TITLE = _("Options")
COMMANDS_PANEL_TITLE = _("Commands")
_PANEL = "rich_help_panel"
_EMOJI_CODE = re.compile(r":\S*:")


class LeanHelpGroup(TyperGroup):
    """A Typer group whose help is drawn by :func:`print_help` when it can be."""

    listed: typer.Typer | None = None
    """The app whose commands and groups this group lists (see :func:`help_app`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.listed is not None:
            for command in _listing(self.listed, self.rich_markup_mode):
                self.add_command(command)

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        """Draw the help with the lean formatter, or Typer's when it needs more."""
        if self.rich_markup_mode == "rich" and _drawable(self, ctx):
            print_help(self, ctx)
            return
        super().format_help(ctx, formatter)


def help_app(app: typer.Typer) -> typer.Typer:
    """A copy of ``app`` for its top-level help: its own options, its commands listed unbuilt.

    Each command and group is listed by name, help and panel: Typer would build every
    command's options (it reads ~70 signatures) before it shows any help.
    """
    root = copy.copy(app)
    root.info = copy.copy(app.info)
    root.info.cls = type("LeanHelpRoot", (LeanHelpGroup,), {"listed": app})
    root.registered_commands, root.registered_groups = [], []
    return root


def _listing(app: typer.Typer, markup: Any) -> list[Any]:
    """``app``'s commands and groups as Typer would name and describe them, unbuilt.

    Names, help texts and panels are resolved as ``typer.main`` resolves them; a group
    without a name (whose commands Typer lifts into the parent) is built the Typer way.
    """
    from typer.core import TyperCommand
    from typer.main import get_command_name, get_group_from_info, solve_typer_info_defaults

    listed: list[Any] = []
    for info in app.registered_commands:
        callback: Any = info.callback
        listed.append(TyperCommand(
            name=info.name or get_command_name(callback.__name__),
            help=inspect.getdoc(callback) if info.help is None else inspect.cleandoc(info.help),
            short_help=info.short_help, hidden=info.hidden, deprecated=info.deprecated,
            rich_markup_mode=markup, rich_help_panel=info.rich_help_panel,
        ))
    for group_info in app.registered_groups:
        solved = solve_typer_info_defaults(group_info)
        if solved.name:
            listed.append(TyperCommand(
                name=solved.name, help=solved.help, short_help=solved.short_help,
                hidden=solved.hidden, deprecated=solved.deprecated,
                rich_markup_mode=markup, rich_help_panel=solved.rich_help_panel,
            ))
            continue
        built = get_group_from_info(
            group_info, pretty_exceptions_short=app.pretty_exceptions_short,
            suggest_commands=app.suggest_commands, rich_markup_mode=markup,
        )
        listed.extend(built.commands.values())
    return listed


def _drawable(group: TyperGroup, ctx: _click.Context) -> bool:
    """Whether every part of this help is one that :func:`print_help` draws."""
    from typer import core

    if not core.HAS_RICH or group.deprecated or group.epilog:
        return False
    for param in group.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if not isinstance(param, TyperOption) or param.required or param.secondary_opts:
            return False
        if getattr(param, "envvar", None) or ctx.auto_envvar_prefix is not None:
            return False
        if param._get_number_range_help_str() or "\b" in (param.help or ""):
            return False
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and command.deprecated:
            return False
    return True


def print_help(group: TyperGroup, ctx: _click.Context) -> None:
    """Print the group's help: usage, help text, the options, then each command panel."""
    from rich.align import Align
    from rich.padding import Padding

    console = _console()
    console.print(Padding(_highlight(group.get_usage(ctx)), 1), style=STYLE_USAGE_COMMAND)
    if group.help:
        console.print(Padding(Align(_help_text(group.help), pad=False), (0, 1, 1, 1)))
    panels: dict[str, list[Any]] = {}
    for param in group.get_params(ctx):
        if not getattr(param, "hidden", False):
            panels.setdefault(getattr(param, _PANEL, None) or OPTIONS_PANEL_TITLE, []).append(param)
    for name in _default_first(panels, OPTIONS_PANEL_TITLE):
        _options_panel(console, name, panels[name], ctx)
    commands: dict[str, list[Any]] = {}
    for command_name in group.list_commands(ctx):
        command = group.get_command(ctx, command_name)
        if command and not command.hidden:
            panel = getattr(command, _PANEL, None) or COMMANDS_PANEL_TITLE
            commands.setdefault(panel, []).append(command)
    width = max((len(c.name or "") for cs in commands.values() for c in cs), default=0)
    for name in _default_first(commands, COMMANDS_PANEL_TITLE):
        _commands_panel(console, name, commands[name], width)


def _default_first(panels: dict[str, Any], default: str) -> list[str]:
    """Panel names as Typer orders them: the default panel, then the others as met."""
    return ([default] if default in panels else []) + [n for n in panels if n != default]


def _console() -> Console:
    from rich.console import Console
    from rich.theme import Theme

    force = True if (os.getenv("GITHUB_ACTIONS") or os.getenv("FORCE_COLOR")
                     or os.getenv("PY_COLORS")) else None
    if os.getenv("_TYPER_FORCE_DISABLE_TERMINAL"):
        force = False
    width = os.getenv("TERMINAL_WIDTH")
    return Console(
        theme=Theme({
            "option": STYLE_OPTION,
            "switch": STYLE_SWITCH,
            "negative_option": STYLE_NEGATIVE_OPTION,
            "negative_switch": STYLE_NEGATIVE_SWITCH,
            "types": STYLE_TYPES,
            "types_sep": STYLE_TYPES_SEPARATOR,
            "usage": STYLE_USAGE,
        }),
        highlighter=_highlighters()[0],
        color_system="auto",
        force_terminal=force,
        width=int(width) if width else None,
    )


_MADE: list[Any] = []


def _highlighters() -> list[Any]:
    """Typer's option highlighter and its highlighter of ``<type>`` brackets."""
    if not _MADE:
        from rich.highlighter import RegexHighlighter

        class OptionHighlighter(RegexHighlighter):
            highlights = [  # noqa: RUF012  (as rich declares them)
                r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
                r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
                r"(?P<types>\<[^\>]+\>)",
                r"(?P<usage>Usage: )",
            ]

        class TypesHighlighter(RegexHighlighter):
            highlights = [  # noqa: RUF012
                r"^(?P<types_sep>(\[|<))",
                r"(?P<types_sep>\|)",
                r"(?P<types_sep>(\]|>))(\.\.\.)?$",
            ]

        _MADE.extend([OptionHighlighter(), TypesHighlighter()])
    return _MADE


def _highlight(text: str | Text) -> Text:
    return _highlighters()[0](text)  # type: ignore[no-any-return]


def _rich_text(text: str, style: str = "") -> Text:
    """Typer's text of a help string in ``rich`` markup mode (markup or ANSI, highlighted)."""
    from rich.text import Text

    text = inspect.cleandoc(text)
    if "\033[" in text:
        return _highlight(Text.from_ansi(text, style=style))
    return _highlight(_markup(text, style))


def _markup(text: str, style: str = "") -> Text:
    """``Text.from_markup(text)``; rich loads its emoji table only if ``text`` may have one.

    An emoji code (``:name:``) has no space in it: a text without such a ``:…:`` has none
    to replace.
    """
    from rich.text import Text

    emoji = _EMOJI_CODE.search(text) is not None
    return Text.from_markup(text, style=style, emoji=emoji)


def _help_text(help_text: str) -> RenderableType:
    """The group's help: its first paragraph, then the rest dimmed."""
    from rich.console import Group
    from rich.text import Text

    help_text = inspect.cleandoc(help_text).partition("\f")[0]
    first, *rest = help_text.split("\n\n")
    if not first.startswith("\b"):
        first = first.replace("\n", " ")
    parts: list[Text] = [_rich_text(first.strip())]
    if rest:
        parts += [Text(""), _rich_text("\n\n".join(rest), style=STYLE_HELPTEXT)]
    return Group(*parts)


def _options_panel(console: Console, name: str, params: list[TyperOption],
                   ctx: _click.Context) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table(highlight=True, show_header=False, expand=True, box=None, show_lines=False,
                  leading=0, border_style=None, row_styles=None, pad_edge=False,
                  padding=(0, 1))
    for param in params:
        types = Text(style=STYLE_TYPES, overflow="fold")
        shown = param.display_type_rich(ctx=ctx)
        if shown is not None:
            types.append(shown)
        table.add_row(
            _highlight(",".join(o for o in param.opts if "--" in o)),
            _highlight(",".join(o for o in param.opts if "--" not in o)),
            _highlight(""),
            _highlight(""),
            _highlighters()[1](types),
            _param_help(param, ctx),
        )
    if params:
        console.print(Panel(table, border_style=STYLE_PANEL_BORDER, title=_markup(name),
                            title_align="left"))


def _param_help(param: TyperOption, ctx: _click.Context) -> RenderableType:
    """An option's help, then its default when Typer would show it."""
    from rich.columns import Columns
    from rich.text import Text

    items: list[Text] = []
    if param.help:
        paragraphs = [p.replace("\n", " ").strip() for p in param.help.split("\n\n")]
        items.append(_rich_text("\n".join(paragraphs).strip()))
    default = param._extract_default_help_str(ctx=ctx)
    as_text = isinstance(param.show_default, str)
    if as_text or (default is not None and (param.show_default or ctx.show_default)):
        shown = param._get_default_string(ctx=ctx, show_default_is_str=as_text,
                                          default_value=default)
        if shown:
            items.append(Text(DEFAULT_STRING.format(shown), style=STYLE_OPTION_DEFAULT))
    return Columns(items)


def _commands_panel(console: Console, name: str, commands: list[Any], width: int) -> None:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table(highlight=False, show_header=False, expand=True, box=None,
                  show_lines=False, leading=0, border_style=None, row_styles=None,
                  pad_edge=False, padding=(0, 1))
    table.add_column(style=STYLE_COMMANDS_TABLE_FIRST_COLUMN, no_wrap=True, width=width)
    table.add_column("Description", justify="left", no_wrap=False, ratio=10)
    for command in commands:
        first = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
        if first.startswith("\b"):
            first = first.replace("\b\n", "")
        table.add_row(Text(command.name or ""), _rich_text(first.strip()))
    if table.row_count:
        console.print(Panel(table, border_style=STYLE_PANEL_BORDER, title=_markup(name),
                            title_align="left"))
