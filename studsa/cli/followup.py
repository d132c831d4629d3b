"""Follow-up commands: followup new, record, import, list, show, rollover."""

import datetime as dt
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
    terminal,
)
from studsa.cli.project import STATES
from studsa.errors import ConflictError
from studsa.i18n import and_list, count, message

followup_app = new_app(
    message("help_followup_1")
)

STATUS_HELP = message("help_followup_status")


def _kr(amount: int | None) -> str:
    return "" if amount is None else terminal().money(amount)


@followup_app.command("new", help=message("help_followup_new"))
@handle_errors
def followup_new(
    period: Annotated[str, typer.Argument(help=message("help_followup_2"))],
    project: ProjectOpt = None,
) -> None:
    """Open a follow-up period and ask the departments its cadence calls for.

    Example: [bold]studsa followup new 2021-T2[/] (tertial departments),
    [bold]studsa followup new 2021[/] (every department)
    """
    from studsa.workflow.followup import new_period

    result = new_period(open_workspace(project, write=True), period)
    asked = and_list(f"{d.name} ({count('wf_activities', result.activities.get(d.id, 0))})"
                     for d in result.asked)
    if result.asked:
        console.done(message("cli_followup_opened", period=result.period, file=result.file,
                             asked=asked))
    else:
        console.done(message("method_followup_opened_nobody", period=result.period,
                             file=result.file))
        console.warn(message("cli_followup_no_activity", year=result.period[:4]))
    if result.left_out and result.asked:
        console.info(message("method_followup_left_out",
                             names=and_list(d.name for d in result.left_out),
                             year=result.period[:4]))
    console.info(f"{message('cli_next')} {message('cli_followup_next', period=result.period)}")


@followup_app.command("record", help=message("help_followup_record"))
@handle_errors
def followup_record(
    activity: Annotated[str, typer.Argument(help=message("help_place_32"))],
    period: Annotated[str, typer.Option(help=message("help_followup_3"))],
    status: Annotated[str, typer.Option(help=STATUS_HELP)],
    comment: Annotated[str | None, typer.Option(
        help=message("help_followup_4"), show_default=False)] = None,
    spent: Annotated[str | None, typer.Option(
        help=message("help_followup_5"), show_default=False)] = None,
    by: Annotated[
        str | None, typer.Option(help=message("help_followup_6"), show_default=False)] = None,
    date: Annotated[str | None, typer.Option(help=message("help_followup_7"),
                                             show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help=message("method_help_record_force"))
                     ] = False,
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
                    by=by, date=date, force=force)
    for note in result.notes:
        console.warn(note)
    console.done(message("cli_report_updated" if result.replaced else "cli_report_recorded",
                         activity=result.report.activity, period=result.period,
                         status=result.report.status))


@followup_app.command("import", help=message("xc_help_followup_import"))
@handle_errors
def followup_import(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=message("help_import_file"))],
    dry_run: Annotated[bool, typer.Option("--dry-run", help=message("help_dry_run"))
                       ] = False,
    project: ProjectOpt = None,
) -> None:
    """Import activity reports from a spreadsheet."""
    from studsa.workflow.followup_import import import_followup

    result = import_followup(open_workspace(project, write=True), file, dry_run)
    skipped_columns(result.skipped)
    opened = (message("xc_followup_opens", periods=and_list(result.opened))
              if result.opened else "")
    console.done(message("xc_followup_would_import" if dry_run else "xc_followup_imported",
                         reports=count("xc_count_reports", result.reports),
                         periods=and_list(result.periods), replaced=result.replaced) + opened)
    if dry_run:
        console.info(message("cli_dry_run"))


@followup_app.command("report", help=message("method_help_followup_report"))
@handle_errors
def followup_report(
    period: Annotated[str, typer.Argument(help=message("help_followup_3"), show_default=False)],
    to: Annotated[str | None, typer.Option("--to", help=message("method_help_report_to"),
                                           show_default=False)] = None,
    date: Annotated[str | None, typer.Option("--date", help=message("method_help_report_date"),
                                             show_default=False)] = None,
    project: ProjectOpt = None,
) -> None:
    """Mark a period's lägesbild as reported (to the committee, or --to BODY)."""
    from studsa.workflow.followup_state import report_period
    from studsa.workflow.versions import parse_date

    ws = open_workspace(project, write=True)
    when = parse_date(date) if date is not None else (ws.today or dt.date.today())
    result = report_period(ws, period, to=to, date=when)
    console.done(message("method_followup_reported", period=result.period, to=result.to,
                         date=terminal().date(result.date), file=result.file))


@followup_app.command("decide", help=message("method_help_followup_decide"))
@handle_errors
def followup_decide(
    period: Annotated[str, typer.Argument(help=message("help_followup_3"), show_default=False)],
    by: Annotated[str, typer.Option("--by", help=message("help_versions_2"),
                                    show_default=False)],
    date: Annotated[str, typer.Option("--date", help=message("help_versions_3"),
                                      show_default=False)],
    paragraph: Annotated[str | None, typer.Option(
        "--paragraph", help=message("help_versions_4"))] = None,
    dnr: Annotated[str | None, typer.Option("--dnr", help=message("help_versions_5"))] = None,
    project: ProjectOpt = None,
) -> None:
    """Record the decision on a period's lägesbild and freeze it (verify proves it)."""
    from studsa.workflow.followup_state import decide_period
    from studsa.workflow.versions import parse_date

    d = decide_period(open_workspace(project, write=True), period, by=by,
                      date=parse_date(date), paragraph=paragraph, dnr=dnr)
    where = f" {d.paragraph}" if d.paragraph else ""
    console.done(message("cli_decided", deliverable=f"{d.deliverable} {d.period}",
                         version=d.version, by=d.by, date=terminal().date(d.date),
                         where=where, file=d.file))


@followup_app.command("list", help=message("help_followup_list"))
@handle_errors
def followup_list(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the follow-up periods and what is still missing in each."""
    from studsa.workflow.followup import list_periods

    rows = list_periods(open_workspace(project))
    if as_json:
        console.print_json([row.as_dict() for row in rows])
        return
    if not rows:
        console.info(message("cli_no_periods"))
        return
    table = Table()
    for column in ("cli_col_period", "cli_col_status", "cli_col_asked", "cli_col_activities",
                   "cli_col_reports", "cli_col_not_reported", "cli_col_no_status"):
        table.add_column(message(column), justify="right" if column in {
            "cli_col_activities", "cli_col_reports"} else "left")
    for row in rows:
        table.add_row(row.period, message(STATES[row.status]) if row.status in STATES
                      else row.status, ", ".join(row.asked), str(row.activities),
                      str(row.reports), ", ".join(row.not_reported),
                      ", ".join(row.never_reported))
    console.out.print(table)


@followup_app.command("show", help=message("help_followup_show"))
@handle_errors
def followup_show(
    period: Annotated[str | None, typer.Argument(help=message("help_followup_8"))] = None,
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
    table = Table(title=message("cli_lagesbild_title", period=picture.period),
                  title_justify="left")
    for column in ("cli_col_activity", "cli_col_department", "cli_col_status",
                   "cli_col_carried_from", "cli_col_planned", "cli_col_spent", "cli_col_comment"):
        table.add_column(message(column), justify="right" if column in {
            "cli_col_planned", "cli_col_spent"} else "left", no_wrap=column == "cli_col_activity")
    for e in picture.entries:
        table.add_row(escape(e.activity.id), escape(e.activity.department_name),
                      message("cli_no_status_yet") if e.never_reported else e.status,
                      e.carried_from or "", _kr(e.planned), _kr(e.spent),
                      escape(e.comment or ""))
    console.out.print(table)
    counts = ", ".join(f"{c.status} {c.count}" for c in picture.counts if c.count)
    console.out.print(message("cli_statuses", counts=counts or message("val_none"))
                      + (message("cli_statuses_no_status", n=picture.never_reported)
                         if picture.never_reported else ""))
    if picture.not_reported:
        names = and_list(d.name for d in picture.not_reported)
        console.out.print(escape(message("cli_not_reported", names=names)))


@followup_app.command("rollover", help=message("help_followup_rollover"))
@handle_errors
def followup_rollover(
    year: Annotated[int, typer.Argument(help=message("help_followup_9"))],
    skip: Annotated[list[str] | None, typer.Option(
        "--skip", help=message("help_followup_10"),
        show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=message("help_followup_11"))
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
        console.info(message("cli_nothing_to_carry", year=year))
        return
    if not yes:
        if as_json or not _interactive():
            console.info(message("cli_rollover_rerun"))
            return
        if not typer.confirm(count("cli_rollover_confirm", len(carriable), year=year + 1),
                             default=False, err=True):
            console.info(message("cli_nothing_written"))
            return
    # Take the write lock only now (not while the user reads the proposal), and make
    # sure the proposal still holds.
    writer = open_workspace(project, write=True)
    if propose_rollover(writer, year, tuple(skip or ())) != proposal:
        raise ConflictError(message("cli_rollover_changed"))
    created = apply_rollover(writer, proposal)
    console.done(count("cli_rollover_added", len(created), year=year + 1,
                       ids=", ".join(a.id for a in created)))


def _interactive() -> bool:
    return sys.stdin.isatty()


def _print_proposal(proposal: Any) -> None:
    if not proposal.periods:
        console.warn(message("cli_rollover_no_period", year=proposal.year))
    table = Table(title=message("cli_rollover_title", to_year=proposal.to_year,
                                year=proposal.year), title_justify="left")
    for column in ("cli_col_new_id", "cli_col_from", "cli_col_status", "cli_col_department",
                   "cli_col_cost", "cli_col_note"):
        table.add_column(message(column), justify="right" if column == "cli_col_cost" else "left",
                         no_wrap=column in {"cli_col_new_id", "cli_col_from"})
    for item in proposal.items:
        status = item.status + (f" ({item.status_period})" if item.status_period
                                else message("cli_no_report_mark"))
        note = (message("cli_not_carried", problem=item.problem) if item.problem
                else (item.cost_note or ""))
        table.add_row(escape(item.new_id), escape(item.source), status,
                      escape(item.department), _kr(item.cost), escape(note))
    console.out.print(table)
    for label, ids in (("cli_rollover_finished", proposal.finished),
                       ("cli_rollover_continuing", proposal.continuing),
                       ("cli_rollover_already", proposal.already),
                       ("cli_rollover_skipped", proposal.skipped)):
        if ids:
            console.out.print(f"{message(label)}: {', '.join(ids)}")


def register(app: typer.Typer) -> None:
    """Add the follow-up commands."""
    app.add_typer(followup_app, name="followup", rich_help_panel=PANEL_UPPFOLJNING)
