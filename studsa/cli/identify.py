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

if TYPE_CHECKING:
    from studsa.workflow.identify import Change

theme_app = new_app("Themes (tematiska områden) that group the challenges.")
challenge_app = new_app("Challenges (utmaningar): add, list, show, edit, remove, import.")
source_app = new_app("Sources: the evidence behind challenges (närvärld and invärld analysis).")

IdOpt = Annotated[
    str | None,
    typer.Option("--id", help="The id (default: derived from the title).", show_default=False),
]
DescriptionOpt = Annotated[
    str | None, typer.Option("--description", "-d", help="Free text.", show_default=False)
]


def _workspace(project: Path | None, *, write: bool = False) -> Any:
    # Writing commands hold the project lock from the first read to the last write.
    return open_workspace(project, write=write)


def _report(change: "Change") -> None:
    if not change.written:
        console.info(f"{change.what} {change.id!r} already as asked; nothing to write")
        return
    console.done(f"{change.action} {change.what} {change.id!r} ({change.title}) in {change.file}")
    if change.new_version is not None:
        console.info(
            f"the utmaningskarta was decided; this change starts version "
            f"{change.new_version} as a draft"
        )


def _table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    table = Table(title=title, title_justify="left")
    for column in columns:
        # Ids are what users type next: never cut them.
        if column == "id":
            table.add_column(column, no_wrap=True, overflow="fold")
        else:
            table.add_column(column)
    for row in rows:
        table.add_row(*(escape(cell) for cell in row))
    console.out.print(table)


# --- theme -----------------------------------------------------------------------------
@theme_app.command("add")
@handle_errors
def theme_add(
    title: Annotated[str, typer.Argument(help="The theme's title.")],
    theme_id: IdOpt = None,
    description: DescriptionOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Add a theme. Example: [bold]studsa theme add "Trafikmiljö"[/] (id trafikmiljo)."""
    from studsa.workflow.identify import add_theme

    _report(add_theme(_workspace(project, write=True), title, theme_id, description))


@theme_app.command("list")
@handle_errors
def theme_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the themes with their number of challenges."""
    from studsa.workflow.identify import theme_rows

    rows = theme_rows(_workspace(project))
    if as_json:
        console.print_json(rows)
        return
    _table("Themes", ["id", "title", "challenges"],
           [[r["id"], r["title"], str(r["challenges"])] for r in rows])


@theme_app.command("edit")
@handle_errors
def theme_edit(
    theme_id: Annotated[str, typer.Argument(metavar="ID", help="The theme's id.")],
    title: Annotated[str | None, typer.Option(help="New title.", show_default=False)] = None,
    description: Annotated[
        str | None,
        typer.Option("--description", "-d", help="New description ('' clears it).",
                     show_default=False),
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Change a theme's title or description (its id stays)."""
    from studsa.workflow.identify import edit_theme

    _report(edit_theme(_workspace(project, write=True), theme_id, title, description))


@theme_app.command("remove")
@handle_errors
def theme_remove(
    theme_id: Annotated[str, typer.Argument(metavar="ID", help="The theme's id.")],
    project: ProjectOpt = None,
) -> None:
    """Remove a theme; refused while challenges are in it (move or remove them first)."""
    from studsa.workflow.identify import remove_theme

    _report(remove_theme(_workspace(project, write=True), theme_id))


# --- challenge -------------------------------------------------------------------------
@challenge_app.command("add")
@handle_errors
def challenge_add(
    title: Annotated[str, typer.Argument(help="The challenge's title.")],
    theme: Annotated[
        str, typer.Option("--theme", "-t", help="Theme id or title.", show_default=False)
    ],
    challenge_id: IdOpt = None,
    description: DescriptionOpt = None,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="A source id or title it rests on (repeatable).",
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


@challenge_app.command("list")
@handle_errors
def challenge_list(
    theme: Annotated[
        str | None, typer.Option("--theme", "-t", help="Only this theme (id or title).",
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
    _table("Challenges", ["id", "title", "theme", "sources", "scope"], [
        [r["id"], r["title"], r["theme"], ", ".join(r["sources"]),
         "out: " + r["out_of_scope"] if r["out_of_scope"] else "in"]
        for r in rows
    ])


@challenge_app.command("show")
@handle_errors
def challenge_show(
    challenge_id: Annotated[str, typer.Argument(metavar="ID", help="The challenge's id.")],
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
    print_(f"[bold]{escape(c.title)}[/] ({escape(c.id)})" + ("  [dim]example[/]" if c.example
                                                             else ""))
    theme = f"{detail.theme.title} ({c.theme})" if detail.theme else f"{c.theme} (missing!)"
    print_(f"theme: {escape(theme)}")
    print_("scope: " + (f"out of scope: {escape(c.out_of_scope)}" if c.out_of_scope
                        else "in scope"))
    if c.description:
        print_(f"description: {escape(c.description)}")
    print_("sources:" + ("" if detail.sources else " none"))
    for sid, src in detail.sources:
        line = f"{src.title} [{src.kind}]" if src else "(missing!)"
        print_(f"  - {escape(sid)}: {escape(line)}")
    print_("used in:" + ("" if detail.references else " nothing yet"))
    for ref in detail.references:
        print_(f"  - {escape(ref.file)}: {escape(ref.what)}")


@challenge_app.command("edit")
@handle_errors
def challenge_edit(
    challenge_id: Annotated[str, typer.Argument(metavar="ID", help="The challenge's id.")],
    title: Annotated[str | None, typer.Option(help="New title.", show_default=False)] = None,
    theme: Annotated[
        str | None, typer.Option("--theme", "-t", help="Move to this theme (id or title).",
                                 show_default=False)
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", "-d", help="New description ('' clears it).",
                                 show_default=False)
    ] = None,
    add_source: Annotated[
        list[str] | None, typer.Option("--add-source", help="Cite a source (repeatable).",
                                       show_default=False)
    ] = None,
    remove_source: Annotated[
        list[str] | None, typer.Option("--remove-source", help="Stop citing a source "
                                       "(repeatable).", show_default=False)
    ] = None,
    out_of_scope: Annotated[
        str | None, typer.Option("--out-of-scope", metavar="REASON",
                                 help="Leave it out of the strategy, with the reason.",
                                 show_default=False)
    ] = None,
    in_scope: Annotated[
        bool, typer.Option("--in-scope", help="Bring an out-of-scope challenge back.")
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


@challenge_app.command("remove")
@handle_errors
def challenge_remove(
    challenge_id: Annotated[str, typer.Argument(metavar="ID", help="The challenge's id.")],
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


@challenge_app.command("import")
@handle_errors
def challenge_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A .csv or .xlsx file.")],
    create_themes: Annotated[
        bool, typer.Option("--create-themes", help="Create themes the sheet names that do not "
                           "exist yet (ids derived from their names).")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check the sheet and show what would be added; "
                           "write nothing.")
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
        _table(f"Challenges from {result.sheet}", ["id", "title", "theme"], [
            [c.id, c.title, c.theme + (" (new)" if c.theme in new_themes else "")]
            for c in result.challenges
        ])
    themes = f" and {len(result.themes)} new theme(s)" if result.themes else ""
    count = f"{len(result.challenges)} challenge(s){themes}"
    if result.dry_run:
        console.info(f"dry run: would add {count} to {result.file}; nothing was written")
        return
    console.done(f"imported {count} into {result.file}")
    if result.new_version is not None:
        console.info(f"the utmaningskarta was decided; this import starts version "
                     f"{result.new_version} as a draft")


# --- source ----------------------------------------------------------------------------
@source_app.command("add")
@handle_errors
def source_add(
    title: Annotated[str, typer.Argument(help="The source's title.")],
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="narvarld (external analysis: agencies, "
                          "research, other municipalities) or invarld (internal: interviews, "
                          "workshops).", show_default=False)
    ],
    source_id: IdOpt = None,
    organisation: Annotated[str | None, typer.Option(help="Who published it.",
                                                     show_default=False)] = None,
    year: Annotated[str | None, typer.Option(help="Year of publication.",
                                             show_default=False)] = None,
    url: Annotated[str | None, typer.Option(help="Where to find it.", show_default=False)] = None,
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


@source_app.command("list")
@handle_errors
def source_list(
    kind: Annotated[
        str | None, typer.Option("--kind", "-k", help="Only narvarld or invarld.",
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
    _table("Sources", ["id", "kind", "year", "cited by", "title", "organisation"], [
        [r["id"], r["kind"], r["year"] or "", str(r["cited_by"]), r["title"],
         r["organisation"] or ""]
        for r in rows
    ])


def register(app: typer.Typer) -> None:
    """Add the phase 2 command groups."""
    app.add_typer(theme_app, name="theme", rich_help_panel=PANEL_IDENTIFIERA)
    app.add_typer(challenge_app, name="challenge", rich_help_panel=PANEL_IDENTIFIERA)
    app.add_typer(source_app, name="source", rich_help_panel=PANEL_IDENTIFIERA)
