"""Remiss (consultation) rounds: open, answer, respond, list."""

from typing import Annotated

import typer
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_VERSIONS,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    new_app,
    open_workspace,
    terminal,
)
from studsa.i18n import and_list, count, message

remiss_app = new_app(
    message("help_remiss_1")
)
DeliverableOpt = Annotated[str | None, typer.Option(
    "--deliverable", "-d",
    help=message("help_remiss_2"))]
DateOpt = Annotated[str | None, typer.Option("--date", help=message("help_remiss_3"))]


def _date(text: str | None, what: str = "--date"):  # type: ignore[no-untyped-def]
    from studsa.workflow.versions import parse_date

    return None if text is None else parse_date(text, what)


@remiss_app.command("open", help=message("help_open_"))
@handle_errors
def open_(
    deliverable: Annotated[str, typer.Argument(
        help=message("help_remiss_4"), show_default=False)],
    to: Annotated[list[str], typer.Option(
        "--to", help=message("help_remiss_5"), show_default=False)],
    deadline: Annotated[str, typer.Option(
        "--deadline", help=message("help_remiss_6"), show_default=False)],
    date: DateOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Send a deliverable on remiss; it goes to status review.

    Example: [bold]studsa remiss open strategi --to Stadsbyggnadsnämnden --to
    Kulturnämnden --deadline 2021-02-15[/]
    """
    from studsa.workflow.remiss import open_round

    ws = open_workspace(project, write=True)
    result = open_round(ws, deliverable, to, _date(deadline, "--deadline"),
                        _date(date))
    console.done(message("cli_remiss_opened", deliverable=result.deliverable,
                         version=result.version,
                         recipients=count("cli_recipients", len(result.recipients)),
                         deadline=terminal().date(result.deadline), file=result.file))


@remiss_app.command("answer", help=message("help_answer_"))
@handle_errors
def answer_(
    body: Annotated[str, typer.Argument(help=message("help_remiss_7"), show_default=False)],
    point: Annotated[list[str], typer.Option(
        "--point", help=message("help_remiss_8"), show_default=False)],
    about: Annotated[list[str] | None, typer.Option(
        "--about", help=message("help_remiss_9"))] = None,
    date: DateOpt = None,
    deliverable: DeliverableOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Record a recipient's answer; its points get ids p1, p2, ….

    Example: [bold]studsa remiss answer Kulturnämnden --date 2021-02-10 --point "Add
    libraries as meeting places" --about trygga-motesplatser[/]
    """
    from studsa.workflow.remiss import answer

    ws = open_workspace(project, write=True)
    result = answer(ws, body, point, about, _date(date), deliverable)
    console.done(message("cli_remiss_answered", body=result.body,
                         points=and_list(result.points), file=result.file))


@remiss_app.command("respond", help=message("help_respond_"))
@handle_errors
def respond_(
    point: Annotated[str, typer.Argument(help=message("help_remiss_10"), show_default=False)],
    decision: Annotated[str, typer.Option(
        "--decision", help=message("help_remiss_11"), show_default=False)],
    why: Annotated[str, typer.Option("--why", help=message("help_remiss_12"),
                                     show_default=False)],
    date: DateOpt = None,
    deliverable: DeliverableOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Record how a point was handled and why.

    Example: [bold]studsa remiss respond p3 --decision partly --why "Libraries are added
    as an example in the challenge description."[/]
    """
    from studsa.workflow.remiss import respond

    ws = open_workspace(project, write=True)
    result = respond(ws, point, decision, why, _date(date), deliverable)
    console.done(message("cli_response_replaced" if result.replaced else "cli_response_recorded",
                         point=result.point, decision=result.decision, file=result.file))


@remiss_app.command("list", help=message("help_list_"))
@handle_errors
def list_(project: ProjectOpt = None, as_json: JsonOpt = False) -> None:
    """List the remiss rounds: recipients answered or not, points open."""
    from studsa.workflow.remiss import rounds, summarize

    ws = open_workspace(project)
    summaries = [summarize(ws, doc) for doc in rounds(ws)]
    if as_json:
        console.print_json([s.as_dict() for s in summaries])
        return
    if not summaries:
        console.info(message("cli_no_rounds"))
        return
    table = Table(title="remiss", title_justify="left")
    for column in ("cli_col_round", "cli_col_deadline", "cli_col_answered",
                   "cli_col_waiting_for", "cli_col_points", "cli_col_no_response"):
        table.add_column(message(column))
    for s in summaries:
        answered = sum(1 for r in s.recipients if r.answered)
        table.add_row(f"{s.deliverable} v{s.version}", terminal().date(s.deadline),
                      f"{answered}/{len(s.recipients)}",
                      ", ".join(s.missing), str(sum(len(g.points) for g in s.groups)),
                      ", ".join(s.unanswered_points))
    console.out.print(table)


def register(app: typer.Typer) -> None:
    """Add the remiss command group."""
    app.add_typer(remiss_app, name="remiss", rich_help_panel=PANEL_VERSIONS)
