"""Phase 2 commands: ``theme``, ``challenge`` and ``source`` (the utmaningskarta)."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_IDENTIFIERA,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    new_app,
    open_workspace,
    skipped_columns,
)
from studsa.i18n import count, message

if TYPE_CHECKING:
    from studsa.workflow.identify import Change

theme_app = new_app(message("help_theme"))
challenge_app = new_app(message("help_challenge"))
source_app = new_app(message("help_source"))

IdOpt = Annotated[
    str | None,
    typer.Option("--id", help=message("help_opt_id"), show_default=False),
]
DescriptionOpt = Annotated[
    str | None, typer.Option("--description", "-d", help=message("help_opt_description"),
                             show_default=False)
]
NewTitleOpt = Annotated[
    str | None, typer.Option(help=message("help_new_title"), show_default=False)]
ClearDescriptionOpt = Annotated[
    str | None,
    typer.Option("--description", "-d", help=message("help_new_description_clear"),
                 show_default=False),
]

# What a change did, named in full so the catalog test finds every key.
_DONE = {
    ("added", "theme"): "cli_added_theme", ("changed", "theme"): "cli_changed_theme",
    ("removed", "theme"): "cli_removed_theme", ("added", "challenge"): "cli_added_challenge",
    ("changed", "challenge"): "cli_changed_challenge",
    ("removed", "challenge"): "cli_removed_challenge", ("added", "source"): "cli_added_source",
}
_UNCHANGED = {"theme": "cli_unchanged_theme", "challenge": "cli_unchanged_challenge",
              "source": "cli_unchanged_source"}


def _workspace(project: Path | None, *, write: bool = False) -> Any:
    # Writing commands hold the project lock from the first read to the last write.
    return open_workspace(project, write=write)


def _report(change: "Change") -> None:
    if not change.written:
        console.info(message(_UNCHANGED[change.what], id=change.id))
        return
    console.done(message(_DONE[change.action, change.what], id=change.id, title=change.title,
                         file=change.file))
    if change.new_version is not None:
        console.info(message("cli_new_draft_version", version=change.new_version))


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title, title_justify="left")
    for column in columns:
        # Ids are what users type next: never cut them.
        if column == "cli_col_id":
            table.add_column(message(column), no_wrap=True, overflow="fold")
        else:
            table.add_column(message(column))
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console.out.print(table)


# --- theme -----------------------------------------------------------------------------
@theme_app.command("add", help=message("help_theme_add"))
@handle_errors
def theme_add(
    title: Annotated[str, typer.Argument(help=message("help_theme_title"))],
    theme_id: IdOpt = None,
    description: DescriptionOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Add a theme. Example: [bold]studsa theme add "Trafikmiljö"[/] (id trafikmiljo)."""
    from studsa.workflow.identify import add_theme

    _report(add_theme(_workspace(project, write=True), title, theme_id, description))


@theme_app.command("list", help=message("help_theme_list"))
@handle_errors
def theme_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the themes with their number of challenges."""
    from studsa.workflow.identify import theme_rows

    rows = theme_rows(_workspace(project))
    if as_json:
        console.print_json(rows)
        return
    _table(message("cli_themes"), ["cli_col_id", "cli_col_title", "cli_col_challenges"],
           [[r["id"], r["title"], str(r["challenges"])] for r in rows])


@theme_app.command("edit", help=message("help_theme_edit"))
@handle_errors
def theme_edit(
    theme_id: Annotated[str, typer.Argument(metavar="ID", help=message("help_theme_id"))],
    title: NewTitleOpt = None,
    description: ClearDescriptionOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Change a theme's title or description (its id stays)."""
    from studsa.workflow.identify import edit_theme

    _report(edit_theme(_workspace(project, write=True), theme_id, title, description))


@theme_app.command("remove", help=message("help_theme_remove"))
@handle_errors
def theme_remove(
    theme_id: Annotated[str, typer.Argument(metavar="ID", help=message("help_theme_id"))],
    project: ProjectOpt = None,
) -> None:
    """Remove a theme; refused while challenges are in it (move or remove them first)."""
    from studsa.workflow.identify import remove_theme

    _report(remove_theme(_workspace(project, write=True), theme_id))


# --- challenge -------------------------------------------------------------------------
@challenge_app.command("add", help=message("help_challenge_add"))
@handle_errors
def challenge_add(
    title: Annotated[str, typer.Argument(help=message("help_challenge_title"))],
    theme: Annotated[
        str, typer.Option("--theme", "-t", help=message("help_opt_theme"), show_default=False)
    ],
    challenge_id: IdOpt = None,
    description: DescriptionOpt = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help=message("help_challenge_source"),
                     show_default=False),
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a challenge to a theme.

    Example: [bold]studsa challenge add "Renhållning för ökad trygghet" --theme
    stadsmiljo --source trygghetsundersokning[/] (id renhallning-for-okad-trygghet).
    """
    from studsa.workflow.challenges import add_challenge

    change = add_challenge(_workspace(project, write=True), title, theme, challenge_id, description,
                           source or [])
    _report(change)


@challenge_app.command("list", help=message("help_challenge_list"))
@handle_errors
def challenge_list(
    theme: Annotated[
        str | None, typer.Option("--theme", "-t", help=message("help_only_theme"),
                                 show_default=False)
    ] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the challenges (out-of-scope ones are marked)."""
    from studsa.workflow.challenges import challenge_rows

    rows = challenge_rows(_workspace(project), theme)
    if as_json:
        console.print_json(rows)
        return
    _table(message("cli_challenges"), ["cli_col_id", "cli_col_title", "cli_col_theme",
                                       "cli_col_sources", "cli_col_scope"], [
        [r["id"], r["title"], r["theme"], ", ".join(r["sources"]),
         message("cli_scope_out", reason=r["out_of_scope"]) if r["out_of_scope"]
         else message("cli_scope_in")]
        for r in rows
    ])


@challenge_app.command("show", help=message("help_challenge_show"))
@handle_errors
def challenge_show(
    challenge_id: Annotated[str, typer.Argument(metavar="ID", help=message("help_challenge_id"))],
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a challenge: theme, description, sources, scope and where it is used."""
    from studsa.workflow.challenges import show_challenge

    detail = show_challenge(_workspace(project), challenge_id)
    if as_json:
        console.print_json(detail.as_dict())
        return
    c = detail.challenge
    print_ = console.out.print
    print_(f"[bold]{escape(c.title)}[/] ({escape(c.id)})"
           + (f"  [dim]{message('cli_example')}[/]" if c.example else ""))
    theme = (f"{detail.theme.title} ({c.theme})" if detail.theme
             else f"{c.theme} {message('cli_missing_mark')}")
    print_(f"{message('cli_show_theme')} {escape(theme)}")
    print_(f"{message('cli_show_scope')} "
           + (escape(message("cli_show_out_of_scope", reason=c.out_of_scope)) if c.out_of_scope
              else message("cli_show_in_scope")))
    if c.description:
        print_(f"{message('cli_show_description')} {escape(c.description)}")
    print_(message("cli_show_sources") + ("" if detail.sources else " " + message("val_none")))
    for sid, src in detail.sources:
        line = f"{src.title} [{src.kind}]" if src else message("cli_missing_mark")
        print_(f"  - {escape(sid)}: {escape(line)}")
    print_(message("cli_show_used_in")
           + ("" if detail.references else " " + message("cli_show_nothing_yet")))
    for ref in detail.references:
        print_(f"  - {escape(ref.file)}: {escape(ref.what)}")


@challenge_app.command("edit", help=message("help_challenge_edit"))
@handle_errors
def challenge_edit(
    challenge_id: Annotated[str, typer.Argument(metavar="ID", help=message("help_challenge_id"))],
    title: NewTitleOpt = None,
    theme: Annotated[
        str | None, typer.Option("--theme", "-t", help=message("help_move_theme"),
                                 show_default=False)
    ] = None,
    description: ClearDescriptionOpt = None,
    add_source: Annotated[
        list[str] | None, typer.Option("--add-source", help=message("help_add_source"),
                                       show_default=False)
    ] = None,
    remove_source: Annotated[
        list[str] | None, typer.Option("--remove-source", help=message("help_remove_source"),
                                       show_default=False)
    ] = None,
    out_of_scope: Annotated[
        str | None, typer.Option("--out-of-scope", metavar="REASON",
                                 help=message("help_out_of_scope"), show_default=False)
    ] = None,
    in_scope: Annotated[
        bool, typer.Option("--in-scope", help=message("help_in_scope"))
    ] = False,
    project: ProjectOpt = None,
) -> None:
    """Change a challenge; its id stays.

    Example: [bold]studsa challenge edit klotter --out-of-scope "Fungerar redan väl"[/]
    """
    from studsa.workflow.challenges import ChallengeEdit, edit_challenge

    edit = ChallengeEdit(title=title, theme=theme, description=description,
                         add_sources=tuple(add_source or ()),
                         remove_sources=tuple(remove_source or ()),
                         out_of_scope=out_of_scope, in_scope=in_scope)
    _report(edit_challenge(_workspace(project, write=True), challenge_id, edit))


@challenge_app.command("remove", help=message("help_challenge_remove"))
@handle_errors
def challenge_remove(
    challenge_id: Annotated[str, typer.Argument(metavar="ID", help=message("help_challenge_id"))],
    project: ProjectOpt = None,
) -> None:
    """Delete a challenge that nothing uses yet.

    Refused (exit 1, naming each place) while an assessment, the selection or the
    handlingsplan refers to it: there is no --force, because that would leave those
    references dangling. To keep a challenge but leave it out of the strategy, use
    [bold]studsa challenge edit ID --out-of-scope REASON[/] instead.
    """
    from studsa.workflow.challenges import remove_challenge

    _report(remove_challenge(_workspace(project, write=True), challenge_id))


@challenge_app.command("import", help=message("help_challenge_import"))
@handle_errors
def challenge_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=message("help_import_file"))],
    create_themes: Annotated[
        bool, typer.Option("--create-themes", help=message("help_create_themes"))
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=message("help_import_dry_run"))
    ] = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Import challenges from a spreadsheet, all or nothing.

    The first row names the columns: [bold]title[/] and [bold]theme[/] (a theme id or
    title), optionally [bold]id[/] (derived from the title when empty),
    [bold]description[/] and [bold]sources[/] (source ids or titles separated by ';').
    Swedish headers work too ([bold]Titel[/], [bold]Tema[/], [bold]Beskrivning[/],
    [bold]Källor[/]), as do [bold]out_of_scope[/] (the reason) and [bold]example[/] (ja/nej);
    other columns are skipped, with a line saying which. CSV as Excel saves it (UTF-8 or
    Windows-1252, ',' or ';') or .xlsx (the sheet named Utmaningar or challenges, else the
    first), so a workbook from `studsa export --format xlsx` imports as it is. Any problem
    (unknown theme, duplicate id, ...) is reported as file:row:column and nothing is
    written.

    Example: [bold]studsa challenge import utmaningar.xlsx --create-themes --dry-run[/]
    """
    from studsa.workflow.challenge_import import import_challenges

    result = import_challenges(_workspace(project, write=not dry_run), file, create_themes,
                               dry_run)
    skipped_columns(result.skipped)
    if as_json:
        console.print_json(result.as_dict())
    else:
        new_themes = {t.id for t in result.themes}
        _table(message("cli_challenges_from", sheet=result.sheet),
               ["cli_col_id", "cli_col_title", "cli_col_theme"], [
            [c.id, c.title, c.theme + (message("cli_new_mark") if c.theme in new_themes else "")]
            for c in result.challenges
        ])
    what = count("cli_n_challenges", len(result.challenges))
    if result.themes:
        what = message("cli_and", first=what, second=count("cli_n_new_themes",
                                                            len(result.themes)))
    if result.dry_run:
        console.info(message("cli_import_dry_run", what=what, file=result.file))
        return
    console.done(message("cli_imported_challenges", what=what, file=result.file))
    if result.new_version is not None:
        console.info(message("cli_new_draft_version", version=result.new_version))


# --- source ----------------------------------------------------------------------------
@source_app.command("add", help=message("help_source_add"))
@handle_errors
def source_add(
    title: Annotated[str, typer.Argument(help=message("help_source_title"))],
    kind: Annotated[
        str, typer.Option("--kind", "-k", help=message("help_source_kind"), show_default=False)
    ],
    source_id: IdOpt = None,
    organisation: Annotated[str | None, typer.Option(help=message("help_source_organisation"),
                                                     show_default=False)] = None,
    year: Annotated[str | None, typer.Option(help=message("help_source_year"),
                                             show_default=False)] = None,
    url: Annotated[
        str | None, typer.Option(help=message("help_source_url"), show_default=False)] = None,
    description: DescriptionOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Add a source of evidence.

    Example: [bold]studsa source add "Nationella trygghetsundersökningen" --kind narvarld
    --organisation Brå --year 2020[/]
    """
    from studsa.workflow.identify import SourceInput, add_source

    given = SourceInput(title=title, kind=kind, id=source_id, organisation=organisation,
                        year=year, url=url, description=description)
    _report(add_source(_workspace(project, write=True), given))


@source_app.command("list", help=message("help_source_list"))
@handle_errors
def source_list(
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help=message("help_source_only_kind"),
                                 show_default=False)
    ] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the sources and how many challenges cite each."""
    from studsa.workflow.identify import source_rows

    rows = source_rows(_workspace(project), kind)
    if as_json:
        console.print_json(rows)
        return
    _table(message("cli_sources"), ["cli_col_id", "cli_col_kind", "cli_col_year",
                                    "cli_col_cited_by", "cli_col_title", "cli_col_organisation"], [
        [r["id"], r["kind"], r["year"] or "", str(r["cited_by"]), r["title"],
         r["organisation"] or ""]
        for r in rows
    ])


def register(app: typer.Typer) -> None:
    """Add the phase 2 command groups."""
    app.add_typer(theme_app, name="theme", rich_help_panel=PANEL_IDENTIFIERA)
    app.add_typer(challenge_app, name="challenge", rich_help_panel=PANEL_IDENTIFIERA)
    app.add_typer(source_app, name="source", rich_help_panel=PANEL_IDENTIFIERA)
