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
)

remiss_app = new_app(
    "Consultation rounds (remiss): send a deliverable out, record answers and responses."
)
DeliverableOpt = Annotated[str | None, typer.Option(
    "--deliverable", "-d",
    help="Which round, when several deliverables are on remiss (default: the only one).")]
DateOpt = Annotated[str | None, typer.Option("--date", help="Date (YYYY-MM-DD).")]


def _date(text: str | None, what: str = "--date"):  # type: ignore[no-untyped-def]
    from studsa.workflow.versions import parse_date

    return None if text is None else parse_date(text, what)


@remiss_app.command("open")
@handle_errors
def open_(
    deliverable: Annotated[str, typer.Argument(
        help="Deliverable or phase to send (e.g. strategi).", show_default=False)],
    to: Annotated[list[str], typer.Option(
        "--to", help="A body asked to answer; repeat for each.", show_default=False)],
    deadline: Annotated[str, typer.Option(
        "--deadline", help="Last day to answer (YYYY-MM-DD).", show_default=False)],
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
    console.done(f"{result.deliverable} version {result.version} is on remiss to "
                 f"{len(result.recipients)} recipient(s) until {result.deadline} "
                 f"({result.file})")


@remiss_app.command("answer")
@handle_errors
def answer_(
    body: Annotated[str, typer.Argument(help="The recipient that answered.", show_default=False)],
    point: Annotated[list[str], typer.Option(
        "--point", help="One point of the answer; repeat for each.", show_default=False)],
    about: Annotated[list[str] | None, typer.Option(
        "--about", help="What the point concerns: a section (e.g. scope, criteria) or a "
                        "challenge id; once for all points or once per point.")] = None,
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
    console.done(f"{result.body}: recorded {', '.join(result.points)} in {result.file}")


@remiss_app.command("respond")
@handle_errors
def respond_(
    point: Annotated[str, typer.Argument(help="Point id, e.g. p3.", show_default=False)],
    decision: Annotated[str, typer.Option(
        "--decision", help="accepted, partly, rejected or noted.", show_default=False)],
    why: Annotated[str, typer.Option("--why", help="The reason, for the committee.",
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
    verb = "replaced the response to" if result.replaced else "recorded the response to"
    console.done(f"{verb} {result.point} ({result.decision}) in {result.file}")


@remiss_app.command("list")
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
        console.info("no remiss rounds yet; start one with `studsa remiss open`")
        return
    table = Table(title="remiss", title_justify="left")
    for column in ("round", "deadline", "answered", "waiting for", "points", "no response"):
        table.add_column(column)
    for s in summaries:
        answered = sum(1 for r in s.recipients if r.answered)
        table.add_row(f"{s.deliverable} v{s.version}", s.deadline.isoformat(),
                      f"{answered}/{len(s.recipients)}",
                      ", ".join(s.missing), str(sum(len(g.points) for g in s.groups)),
                      ", ".join(s.unanswered_points))
    console.out.print(table)


def register(app: typer.Typer) -> None:
    """Add the remiss command group."""
    app.add_typer(remiss_app, name="remiss", rich_help_panel=PANEL_VERSIONS)
