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
    terminal,
)
from studsa.cli.score_view import ROWS, print_report
from studsa.errors import UsageError
from studsa.i18n import and_list, count, message

criterion_app = new_app(message("help_criterion"))
score_app = typer.Typer(
    help=message("help_score_group"),
    invoke_without_command=True,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)

ScaleOpt = Annotated[str, typer.Option("--scale", help=message("help_opt_scale"))]
MethodOpt = Annotated[
    str | None,
    typer.Option("--method", "-m", help=message("help_opt_method"), show_default=False),
]
AllowMissingOpt = Annotated[
    bool, typer.Option("--allow-missing", help=message("help_opt_allow_missing"))
]


# --- criterion -------------------------------------------------------------------------
@criterion_app.command("add", help=message("help_criterion_add"))
@handle_errors
def criterion_add(
    title: Annotated[str, typer.Argument(help=message("help_criterion_title"))],
    cid: Annotated[str | None, typer.Option("--id", help=message("help_opt_id"))] = None,
    scale: ScaleOpt = "yes-no",
    weight: Annotated[float, typer.Option(help=message("help_criterion_weight"))] = 1.0,
    description: Annotated[
        str | None, typer.Option(help=message("help_criterion_description"))] = None,
    project: ProjectOpt = None,
) -> None:
    """Add a criterion.

    Example: [bold]studsa criterion add "Ger snabb effekt" --id snabb_effekt[/]
    """
    from studsa.workflow.prioritize.criteria import add_criterion

    ws = open_workspace(project, write=True)
    change = add_criterion(ws, title, cid, scale, weight, description)
    c = change.criterion
    console.done(message("cli_criterion_added", id=c.id, scale=c.scale,
                         weight=terminal().number(c.weight)))


@criterion_app.command("list", help=message("help_criterion_list"))
@handle_errors
def criterion_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the criteria with scale, weight and how many values are recorded."""
    from studsa.workflow.prioritize.criteria import criteria_rows

    rows = criteria_rows(open_workspace(project))
    if as_json:
        console.print_json(rows)
        return
    table = Table()
    for column in ("cli_col_id", "cli_col_title", "cli_col_scale", "cli_col_weight",
                   "cli_col_values"):
        table.add_column(message(column), justify="right" if column in {
            "cli_col_weight", "cli_col_values"} else "left")
    for row in rows:
        table.add_row(row["id"], row["title"], row["scale"], terminal().number(row["weight"]),
                      str(row["values"]))
    console.out.print(table)


@criterion_app.command("edit", help=message("help_criterion_edit"))
@handle_errors
def criterion_edit(
    cid: Annotated[str, typer.Argument(help=message("help_criterion_id"))],
    weight: Annotated[float | None, typer.Option(help=message("help_new_weight"))] = None,
    title: Annotated[str | None, typer.Option(help=message("help_new_title"))] = None,
    scale: Annotated[str | None, typer.Option(help=message("help_new_scale"))] = None,
    description: Annotated[
        str | None, typer.Option(help=message("help_new_description"))] = None,
    project: ProjectOpt = None,
) -> None:
    """Change a criterion's weight, title, scale or description.

    A new scale is refused while any recorded value is off it (they are listed).
    Example: [bold]studsa criterion edit evidens --weight 2[/]
    """
    from studsa.workflow.prioritize.criteria import edit_criterion

    if all(v is None for v in (weight, title, scale, description)):
        raise UsageError(message("cli_nothing_to_change",
                                 options="--weight, --title, --scale, --description"))
    ws = open_workspace(project, write=True)
    change = edit_criterion(ws, cid, weight, title, scale, description)
    c = change.criterion
    console.done(message("cli_criterion_edited", id=c.id, title=c.title, scale=c.scale,
                         weight=terminal().number(c.weight))
                 + ("" if change.files else message("cli_nothing_changed")))


@criterion_app.command("remove", help=message("help_criterion_remove"))
@handle_errors
def criterion_remove(
    cid: Annotated[str, typer.Argument(help=message("help_criterion_id"))],
    drop_values: Annotated[
        bool, typer.Option("--drop-values", help=message("help_drop_values"))
    ] = False,
    project: ProjectOpt = None,
) -> None:
    """Remove a criterion.

    Refused while raters' files hold values for it (nothing is lost silently); with
    --drop-values those values are deleted from every rater file in the same step.
    """
    from studsa.workflow.prioritize.criteria import remove_criterion

    change = remove_criterion(open_workspace(project, write=True), cid, drop_values)
    if change.dropped_values:
        console.done(count("cli_criterion_removed_values", change.dropped_values, id=cid))
    else:
        console.done(message("cli_criterion_removed", id=cid))


# --- rate ------------------------------------------------------------------------------
@handle_errors
def rate(
    challenge: Annotated[str, typer.Argument(help=message("help_challenge_id"))],
    values: Annotated[
        list[str], typer.Argument(help=message("help_rate_values"), show_default=False)
    ],
    rater: Annotated[str, typer.Option("--rater", "-r", help=message("help_rate_rater"))],
    source: Annotated[
        list[str] | None, typer.Option("--source", help=message("help_rate_source"))
    ] = None,
    comment: Annotated[str | None, typer.Option(help=message("help_rate_comment"))] = None,
    project: ProjectOpt = None,
) -> None:
    """Record one rater's assessment of one challenge.

    Writes 3-prioritera/bedomningar/<rater>.yaml (created when new).
    Example: [bold]studsa rate renhallning --rater "Anna" forebyggande=ja evidens=nej[/]
    """
    from studsa.workflow.prioritize.rating import rate as do_rate

    result = do_rate(open_workspace(project, write=True), challenge, rater, values, source, comment)
    shown = ", ".join(f"{k}={_show(v)}" for k, v in result.values.items())
    console.done(message("cli_rated", rater=result.rater, challenge=result.challenge,
                         values=shown, file=result.file))
    if result.out_of_scope:
        console.warn(message("cli_rated_out_of_scope", challenge=result.challenge))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return message("cli_yes") if value else message("cli_no")
    return f"{value:g}" if isinstance(value, float) else str(value)


# --- score -----------------------------------------------------------------------------
@score_app.callback(help=message("help_score"))
@handle_errors
def score(
    ctx: typer.Context,
    method: MethodOpt = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity", help=message("help_score_sensitivity"))
    ] = False,
    top: Annotated[
        int | None, typer.Option("--top", "-k", help=message("help_score_top"),
                                 show_default=False)
    ] = None,
    allow_missing: AllowMissingOpt = False,
    show_all: Annotated[
        bool, typer.Option("--all", help=message("help_score_all"))
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


@score_app.command("import", help=message("help_score_import"))
@handle_errors
def score_import(
    file: Annotated[Path, typer.Argument(help=message("help_import_file"))],
    rater: Annotated[
        str | None, typer.Option("--rater", "-r", help=message("help_import_rater"))
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=message("help_dry_run"))] = False,
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
    console.done(message("cli_would_import" if dry_run else "cli_imported",
                         values=count("wf_values", result.values),
                         rows=count("cli_rows", result.rows),
                         raters=count("wf_raters", len(result.raters)))
                 + (message("cli_new_raters", names=and_list(result.new_raters))
                    if result.new_raters else ""))
    if result.empty:
        console.info(count("cli_empty_cells", result.empty))
    if dry_run:
        console.info(message("cli_dry_run"))


# --- select ----------------------------------------------------------------------------
@handle_errors
def select(
    ids: Annotated[list[str], typer.Argument(help=message("help_select_ids"),
                                             show_default=False)],
    rationale: Annotated[
        str | None, typer.Option(help=message("help_select_rationale"))] = None,
    why: Annotated[
        list[str] | None, typer.Option("--why", help=message("help_select_why")),
    ] = None,
    made_at: Annotated[
        str | None, typer.Option("--made-at", help=message("help_select_made_at"))
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
    if made_at:
        from studsa.workflow.minutes import check_made_at

        check_made_at(ws, made_at)
    result = do_select(ws, ids, rationale, parse_why(why or []), made_at,
                       method, allow_missing)
    console.done(message("cli_selected", ids=and_list(result.selection.challenges),
                         method=result.selection.method, file=result.file))
    if result.deviations:
        console.info(message("cli_deviates", ids=and_list(result.deviations)))


def register(app: typer.Typer) -> None:
    """Add the phase 3 commands."""
    app.add_typer(criterion_app, name="criterion", rich_help_panel=PANEL_PRIORITERA)
    app.command(rich_help_panel=PANEL_PRIORITERA, help=message("help_rate"))(rate)
    app.add_typer(score_app, name="score", rich_help_panel=PANEL_PRIORITERA)
    app.command(rich_help_panel=PANEL_PRIORITERA, help=message("help_select"))(select)
