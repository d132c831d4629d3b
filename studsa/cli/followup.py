"""Follow-up commands: followup new, record, import, list, show, rollover."""

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_UPPFOLJNING,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    new_app,
    open_workspace,
    skipped_columns,
)
from studsa.errors import ConflictError

followup_app = new_app(
    "Follow-up (uppföljning): per period, each activity's status. A year (2021) asks every "
    "department, a tertial (2021-T2) only those that report per tertial. Report only what "
    "changed: an activity without a report keeps its last status, marked as carried over."
)

STATUS_HELP = "not_started, ongoing, done, delayed or stopped."


def _kr(amount: int | None) -> str:
    return "" if amount is None else f"{amount:,}".replace(",", " ")


@followup_app.command("new")
@handle_errors
def followup_new(
    period: Annotated[str, typer.Argument(help="A year (2021) or a tertial (2021-T2).")],
    project: ProjectOpt = None,
) -> None:
    """Open a follow-up period and ask the departments its cadence calls for.

    Example: [bold]studsa followup new 2021-T2[/] (tertial departments),
    [bold]studsa followup new 2021[/] (every department)
    """
    from studsa.workflow.followup import new_period

    result = new_period(open_workspace(project, write=True), period)
    asked = ", ".join(f"{d.name} ({result.activities.get(d.id, 0)} activities)"
                      for d in result.asked)
    console.done(f"opened follow-up {result.period} in {result.file}; asks {asked}")
    if not any(result.activities.values()):
        console.warn(f"no activity of these departments runs in {result.period[:4]}")
    console.info(f"next: studsa followup record ACTIVITY --period {result.period} "
                 "--status STATUS --comment TEXT")


@followup_app.command("record")
@handle_errors
def followup_record(
    activity: Annotated[str, typer.Argument(help="Activity id.")],
    period: Annotated[str, typer.Option(help="The period: 2021 or 2021-T2.")],
    status: Annotated[str, typer.Option(help=STATUS_HELP)],
    comment: Annotated[str | None, typer.Option(
        help="What happened, why it is delayed or stopped.", show_default=False)] = None,
    spent: Annotated[str | None, typer.Option(
        help="Spent so far this year, whole kronor (SEK).", show_default=False)] = None,
    by: Annotated[str | None, typer.Option(help="Who reports.", show_default=False)] = None,
    date: Annotated[str | None, typer.Option(help="Date of the report (2021-09-15).",
                                             show_default=False)] = None,
    project: ProjectOpt = None,
) -> None:
    """Record an activity's status in a period (again to update it).

    Example: [bold]studsa followup record fler-papperskorgar --period 2021-T2 --status
    delayed --comment "Leveransen försenad" --spent 400000[/]
    """
    from studsa.workflow.followup import record
    from studsa.workflow.plan import parse_sek

    result = record(open_workspace(project, write=True), activity, period, status, comment=comment,
                    spent=parse_sek(spent, "--spent") if spent is not None else None,
                    by=by, date=date)
    for note in result.notes:
        console.warn(note)
    verb = "updated" if result.replaced else "recorded"
    console.done(f"{verb} {result.report.activity} in {result.period}: {result.report.status}")


@followup_app.command("import")
@handle_errors
def followup_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A .csv or .xlsx file.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")
                       ] = False,
    project: ProjectOpt = None,
) -> None:
    """Import activity reports (one row per period and activity) from a spreadsheet.

    Header: [bold]period[/] (2021 or 2021-T2), [bold]activity[/] (id), [bold]status[/]
    (not_started, ongoing, done, delayed, stopped, or Pågår, Klar …), optionally
    [bold]comment[/], [bold]spent[/] (kronor), [bold]reported_by[/] and [bold]date[/].
    Swedish headers work too (Period, Aktivitet, Status, Kommentar, Förbrukat, Rapporterad
    av, Datum); other columns are skipped, with a line saying which. In a workbook the sheet
    named Uppföljning or followup is read (else the first), so the sheet `studsa export
    --format xlsx` writes imports as it is. A period not open yet is opened; a row replaces
    the activity's report in its period. Any problem names the file, row and column, and
    nothing is written.
    Example: [bold]studsa followup import tertial2.xlsx --dry-run[/]
    """
    from studsa.workflow.followup_import import import_followup

    result = import_followup(open_workspace(project, write=True), file, dry_run)
    skipped_columns(result.skipped)
    verb = "would import" if dry_run else "imported"
    opened = f"; opens {', '.join(result.opened)}" if result.opened else ""
    console.done(f"{verb} {result.reports} report(s) for {', '.join(result.periods)}"
                 f" ({result.replaced} replaced){opened}")
    if dry_run:
        console.info("dry run: nothing was written")


@followup_app.command("list")
@handle_errors
def followup_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the follow-up periods and what is still missing in each."""
    from studsa.workflow.followup import list_periods

    rows = list_periods(open_workspace(project))
    if as_json:
        console.print_json([row.as_dict() for row in rows])
        return
    if not rows:
        console.info("no follow-up periods yet; open one with `studsa followup new 2021`")
        return
    table = Table()
    for column in ("period", "status", "asked", "activities", "reports", "not reported",
                   "no status yet"):
        table.add_column(column, justify="right" if column in {"activities", "reports"}
                         else "left")
    for row in rows:
        table.add_row(row.period, row.status, ", ".join(row.asked), str(row.activities),
                      str(row.reports), ", ".join(row.not_reported),
                      ", ".join(row.never_reported))
    console.out.print(table)


@followup_app.command("show")
@handle_errors
def followup_show(
    period: Annotated[str | None, typer.Argument(help="Period (default: the latest).")] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the lägesbild of a period: each activity's status, carried-over ones marked.

    Example: [bold]studsa followup show 2021-T2[/]
    """
    from studsa.workflow.followup import lagesbild

    picture = lagesbild(open_workspace(project), period)
    if as_json:
        console.print_json(asdict(picture))
        return
    _print_lagesbild(picture)


def _print_lagesbild(picture: Any) -> None:
    table = Table(title=f"Lägesbild {picture.period}", title_justify="left")
    for column in ("activity", "department", "status", "carried from", "planned (kr)",
                   "spent (kr)", "comment"):
        table.add_column(column, justify="right" if "kr" in column else "left",
                         no_wrap=column == "activity")
    for e in picture.entries:
        table.add_row(escape(e.activity.id), escape(e.activity.department_name),
                      "no status yet" if e.never_reported else e.status,
                      e.carried_from or "", _kr(e.planned), _kr(e.spent),
                      escape(e.comment or ""))
    console.out.print(table)
    counts = ", ".join(f"{c.status} {c.count}" for c in picture.counts if c.count)
    console.out.print(f"statuses: {counts or 'none'}"
                      + (f"; no status yet: {picture.never_reported}"
                         if picture.never_reported else ""))
    if picture.not_reported:
        names = ", ".join(d.name for d in picture.not_reported)
        console.out.print(f"not reported: {escape(names)}")


@followup_app.command("rollover")
@handle_errors
def followup_rollover(
    year: Annotated[int, typer.Argument(help="The year to close: its unfinished activities "
                                             "are proposed for the next year.")],
    skip: Annotated[list[str] | None, typer.Option(
        "--skip", help="Leave this activity out of the proposal (repeatable).",
        show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write the proposal without asking.")
                   ] = False,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Propose next year's activities from this year's unfinished ones; write on confirm.

    Nothing is carried silently: the proposal is printed, and written only with --yes or
    when you answer yes at the prompt.

    Example: [bold]studsa followup rollover 2021[/], then [bold]studsa followup rollover
    2021 --skip gammal-aktivitet --yes[/]
    """
    from studsa.workflow.rollover import apply_rollover, propose_rollover

    ws = open_workspace(project)
    proposal = propose_rollover(ws, year, tuple(skip or ()))
    if as_json:
        console.print_json(asdict(proposal))
    else:
        _print_proposal(proposal)
    carriable = [i for i in proposal.items if i.problem is None]
    if not carriable:
        console.info(f"nothing to carry over from {year}")
        return
    if not yes:
        if as_json or not _interactive():
            console.info("nothing written; rerun with --yes to add these activities "
                         "(--skip ID to leave one out)")
            return
        if not typer.confirm(f"add {len(carriable)} activities to {year + 1}?", default=False,
                             err=True):
            console.info("nothing written")
            return
    # Take the write lock only now (not while the user reads the proposal), and make
    # sure the proposal still holds.
    writer = open_workspace(project, write=True)
    if propose_rollover(writer, year, tuple(skip or ())) != proposal:
        raise ConflictError("the plan or its follow-up changed while the proposal was shown; "
                            "nothing was written, run the command again")
    created = apply_rollover(writer, proposal)
    console.done(f"added {len(created)} activities to {year + 1}: "
                 + ", ".join(a.id for a in created))


def _interactive() -> bool:
    return sys.stdin.isatty()


def _print_proposal(proposal: Any) -> None:
    if not proposal.periods:
        console.warn(f"no follow-up period of {proposal.year}: every activity without a "
                     "report counts as not started")
    table = Table(title=f"Proposed for {proposal.to_year} (unfinished in {proposal.year})",
                  title_justify="left")
    for column in ("new id", "from", "status", "department", "cost (kr)", "note"):
        table.add_column(column, justify="right" if column == "cost (kr)" else "left",
                         no_wrap=column in {"new id", "from"})
    for item in proposal.items:
        status = item.status + (f" ({item.status_period})" if item.status_period
                                else " (no report)")
        note = f"not carried: {item.problem}" if item.problem else (item.cost_note or "")
        table.add_row(escape(item.new_id), escape(item.source), status,
                      escape(item.department), _kr(item.cost), escape(note))
    console.out.print(table)
    for label, ids in (("done or stopped", proposal.finished),
                       ("continues into next year", proposal.continuing),
                       ("already carried over", proposal.already),
                       ("skipped", proposal.skipped)):
        if ids:
            console.out.print(f"{label}: {', '.join(ids)}")


def register(app: typer.Typer) -> None:
    """Add the follow-up commands."""
    app.add_typer(followup_app, name="followup", rich_help_panel=PANEL_UPPFOLJNING)
