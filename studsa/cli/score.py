"""Phase 3 commands: criterion, rate, score (and score import), select."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_PRIORITERA,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    new_app,
    open_workspace,
    skipped_columns,
)
from studsa.cli.score_view import ROWS, print_report
from studsa.errors import UsageError

criterion_app = new_app(
    "Prioritization criteria: each has a scale (yes-no, 0-3, 1-5) and a weight.\n\n"
    "Example: [bold]studsa criterion add \"Kostnadseffektiv\" --scale 1-5 --weight 2[/]"
)
score_app = typer.Typer(
    help="Rank the challenges, and import assessments (see `studsa score --help`).",
    invoke_without_command=True,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

ScaleOpt = Annotated[str, typer.Option("--scale", help="yes-no, 0-3 or 1-5.")]
MethodOpt = Annotated[
    str | None,
    typer.Option("--method", "-m", help="count, weighted or borda (default: strategi.yaml's).",
                 show_default=False),
]
AllowMissingOpt = Annotated[
    bool, typer.Option("--allow-missing", help="Count missing verdicts as not met / lowest.")
]


# --- criterion -------------------------------------------------------------------------
@criterion_app.command("add")
@handle_errors
def criterion_add(
    title: Annotated[str, typer.Argument(help="The criterion as the committee says it.")],
    cid: Annotated[str | None, typer.Option("--id", help="Id (default: from the title).")] = None,
    scale: ScaleOpt = "yes-no",
    weight: Annotated[float, typer.Option(help="Weight for --method weighted.")] = 1.0,
    description: Annotated[str | None, typer.Option(help="What meeting it means.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a criterion.

    Example: [bold]studsa criterion add "Ger snabb effekt" --id snabb_effekt[/]
    """
    from studsa.workflow.prioritize.criteria import add_criterion

    ws = open_workspace(project, write=True)
    change = add_criterion(ws, title, cid, scale, weight, description)
    c = change.criterion
    console.done(f"added criterion {c.id} ({c.scale}, weight {c.weight:g}) to strategi.yaml")


@criterion_app.command("list")
@handle_errors
def criterion_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the criteria with scale, weight and how many values are recorded."""
    from studsa.workflow.prioritize.criteria import criteria_rows

    rows = criteria_rows(open_workspace(project))
    if as_json:
        console.print_json(rows)
        return
    table = Table()
    for column in ("id", "title", "scale", "weight", "values"):
        table.add_column(column, justify="right" if column in {"weight", "values"} else "left")
    for row in rows:
        table.add_row(row["id"], row["title"], row["scale"], f"{row['weight']:g}",
                      str(row["values"]))
    console.out.print(table)


@criterion_app.command("edit")
@handle_errors
def criterion_edit(
    cid: Annotated[str, typer.Argument(help="The criterion's id.")],
    weight: Annotated[float | None, typer.Option(help="New weight (≥ 0).")] = None,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    scale: Annotated[str | None, typer.Option(help="New scale: yes-no, 0-3 or 1-5.")] = None,
    description: Annotated[str | None, typer.Option(help="New description.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Change a criterion's weight, title, scale or description.

    A new scale is refused while any recorded value is off it (they are listed).
    Example: [bold]studsa criterion edit evidens --weight 2[/]
    """
    from studsa.workflow.prioritize.criteria import edit_criterion

    if all(v is None for v in (weight, title, scale, description)):
        raise UsageError("nothing to change; give --weight, --title, --scale or --description")
    ws = open_workspace(project, write=True)
    change = edit_criterion(ws, cid, weight, title, scale, description)
    c = change.criterion
    console.done(f"criterion {c.id}: {c.title} ({c.scale}, weight {c.weight:g})"
                 + ("" if change.files else " (nothing changed)"))


@criterion_app.command("remove")
@handle_errors
def criterion_remove(
    cid: Annotated[str, typer.Argument(help="The criterion's id.")],
    drop_values: Annotated[
        bool, typer.Option("--drop-values", help="Also delete its values from every rater file.")
    ] = False,
    project: ProjectOpt = None,
) -> None:
    """Remove a criterion.

    Refused while raters' files hold values for it (nothing is lost silently); with
    --drop-values those values are deleted from every rater file in the same step.
    """
    from studsa.workflow.prioritize.criteria import remove_criterion

    change = remove_criterion(open_workspace(project, write=True), cid, drop_values)
    extra = f" and {change.dropped_values} recorded value(s)" if change.dropped_values else ""
    console.done(f"removed criterion {cid}{extra}")


# --- rate ------------------------------------------------------------------------------
@handle_errors
def rate(
    challenge: Annotated[str, typer.Argument(help="The challenge's id.")],
    values: Annotated[
        list[str], typer.Argument(help="CRITERION=VALUE pairs (ja/nej, yes/no, 1/0, or 0-3/1-5).",
                                  show_default=False)
    ],
    rater: Annotated[str, typer.Option("--rater", "-r", help="Who assesses (a name).")],
    source: Annotated[
        list[str] | None, typer.Option("--source", help="A phase-2 source backing these values.")
    ] = None,
    comment: Annotated[str | None, typer.Option(help="A note kept with these values.")] = None,
    project: ProjectOpt = None,
) -> None:
    """Record one rater's assessment of one challenge.

    Writes 3-prioritera/bedomningar/<rater>.yaml (created when new).
    Example: [bold]studsa rate renhallning --rater "Anna" forebyggande=ja evidens=nej[/]
    """
    from studsa.workflow.prioritize.rating import rate as do_rate

    result = do_rate(open_workspace(project, write=True), challenge, rater, values, source, comment)
    shown = ", ".join(f"{k}={_show(v)}" for k, v in result.values.items())
    console.done(f"{result.rater} on {result.challenge}: {shown} ({result.file})")
    if result.out_of_scope:
        console.warn(f"{result.challenge} is out of scope; it is not ranked")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- score -----------------------------------------------------------------------------
@score_app.callback()
@handle_errors
def score(
    ctx: typer.Context,
    method: MethodOpt = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help="Drop each criterion / move each weight ±50 %.")
    ] = False,
    top: Annotated[
        int | None, typer.Option("--top", "-k", help="Size of the shortlist (default: the "
                                 "selection's size, else 4).", show_default=False)
    ] = None,
    allow_missing: AllowMissingOpt = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show every row of the ranking (default: the first "
                           "30, or up to 45 to end the top-K tie group).")
    ] = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Rank the challenges (count, weighted or borda), with ties, stability and disagreement.

    count: criteria met (yes-no by share of raters ≥ threshold; numeric at or above the
    scale midpoint). weighted: Σ weight × value normalised to 0..1. borda: each rater's own
    ranking, summed as Borda points. Ranks are 1, 2, 2, 4; ties listed by id.
    Example: [bold]studsa score --method weighted --sensitivity --top 4[/]
    """
    if ctx.invoked_subcommand is not None:
        return
    from studsa.workflow.prioritize import score_project

    report = score_project(open_workspace(project), method, allow_missing, top, sensitivity)
    if as_json:
        console.print_json(report.as_dict())
        return
    print_report(report, show_sensitivity=sensitivity, limit=None if show_all else ROWS)


@score_app.command("import")
@handle_errors
def score_import(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file.")],
    rater: Annotated[
        str | None, typer.Option("--rater", "-r", help="The rater when the file has no "
                                 "'rater' column.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")] = False,
    project: ProjectOpt = None,
) -> None:
    """Import assessments from a spreadsheet (CSV or XLSX).

    Header: [bold]challenge[/] (id or title), optional [bold]rater[/], one column per criterion
    (its id or title); optionally [bold]role[/], [bold]date[/], [bold]sources[/],
    [bold]comment[/] and per criterion [bold]ID.sources[/] and [bold]ID.comment[/]. Swedish
    headers work too (Utmaning, Bedömare, Roll, Datum, Källor, Kommentar, "evidens: källor");
    other columns are skipped, with a line saying which. In a workbook the sheet named
    Bedömningar or assessments is read (else the first), so the sheet `studsa export --format
    xlsx` writes imports as it is. Yes-no cells: ja/nej, yes/no, true/false, 1/0; an empty
    cell leaves that value unrecorded. Any problem names the file, row and column, and
    nothing is imported.
    Example: [bold]studsa score import bedomningar.xlsx --rater "Anna Andersson"[/]
    """
    from studsa.workflow.prioritize.score_import import import_scores

    result = import_scores(open_workspace(project, write=True), file, rater, dry_run)
    skipped_columns(result.skipped)
    verb = "would import" if dry_run else "imported"
    console.done(f"{verb} {result.values} value(s) from {result.rows} row(s) for "
                 f"{len(result.raters)} rater(s)"
                 + (f"; new: {', '.join(result.new_raters)}" if result.new_raters else ""))
    if result.empty:
        console.info(f"{result.empty} empty cell(s) left unrecorded")
    if dry_run:
        console.info("dry run: nothing was written")


# --- select ----------------------------------------------------------------------------
@handle_errors
def select(
    ids: Annotated[list[str], typer.Argument(help="The chosen challenges' ids.",
                                             show_default=False)],
    rationale: Annotated[str | None, typer.Option(help="Why these, in a sentence or two.")] = None,
    why: Annotated[
        list[str] | None,
        typer.Option("--why", help="ID=TEXT: the reason for choosing a challenge ranked below "
                     "an unchosen one (repeat per challenge)."),
    ] = None,
    made_at: Annotated[
        str | None, typer.Option("--made-at", help="Where/when, e.g. 'workshop with the "
                                 "presidium 2020-06-10'.")
    ] = None,
    method: MethodOpt = None,
    allow_missing: AllowMissingOpt = False,
    project: ProjectOpt = None,
) -> None:
    """Record the final prioritization beside the ranking it was made against.

    Every selected challenge ranked below an unselected one needs --why ID=TEXT.
    Example: [bold]studsa select renhallning trafik --rationale "Workshop 2020-06" --why
    trafik="Brett stöd i presidiet"[/]
    """
    from studsa.workflow.prioritize.selection import parse_why
    from studsa.workflow.prioritize.selection import select as do_select

    ws = open_workspace(project, write=True)
    result = do_select(ws, ids, rationale, parse_why(why or []), made_at,
                       method, allow_missing)
    console.done(f"selected {', '.join(result.selection.challenges)} "
                 f"(method {result.selection.method}) in {result.file}")
    if result.deviations:
        console.info(f"deviates from the ranking for: {', '.join(result.deviations)} "
                     "(reasons recorded)")


def register(app: typer.Typer) -> None:
    """Add the phase 3 commands."""
    app.add_typer(criterion_app, name="criterion", rich_help_panel=PANEL_PRIORITERA)
    app.command(rich_help_panel=PANEL_PRIORITERA)(rate)
    app.add_typer(score_app, name="score", rich_help_panel=PANEL_PRIORITERA)
    app.command(rich_help_panel=PANEL_PRIORITERA)(select)
