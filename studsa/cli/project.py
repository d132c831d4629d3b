"""Project commands: init, status, validate."""

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_PROJECT,
    JsonOpt,
    ProjectOpt,
    TodayOpt,
    handle_errors,
    open_workspace,
)
from studsa.errors import ExitCode


@handle_errors
def init(
    path: Annotated[
        Path, typer.Argument(help="Folder to create (default: the current folder).")
    ] = Path(),
    name: Annotated[str | None, typer.Option(help="The strategy's name.")] = None,
    organisation: Annotated[str | None, typer.Option(help="The municipality.")] = None,
    committee: Annotated[str | None, typer.Option(help="The committee that decides.")] = None,
    dnr: Annotated[str | None, typer.Option(help="Registry number (diarienummer).")] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help="Report language: sv (default) or "
                                 "en.", show_default=False)
    ] = None,
    start_year: Annotated[
        int | None, typer.Option(help="The year the strategy starts (gives the mandate period).")
    ] = None,
    example: Annotated[
        str | None, typer.Option(help="Copy a bundled example instead (e.g. malmo).")
    ] = None,
) -> None:
    """Create a strategy project with commented skeleton files and the four default criteria.

    Example: [bold]studsa init trygghetsstrategi --name "Trygghetsstrategi" --committee
    "Tekniska nämnden"[/]
    """
    from studsa.workflow.project import InitOptions, init_project

    result = init_project(
        InitOptions(
            path=path,
            name=name,
            organisation=organisation,
            committee=committee,
            dnr=dnr,
            language=language,
            start_year=start_year,
            example=example,
        )
    )
    what = f"the example {result.example!r}" if result.example else "a new project"
    console.done(f"created {what} in {result.root} ({len(result.files)} files)")
    console.info(f"next: cd {result.root} && studsa status")


@handle_errors
def status(project: ProjectOpt = None, as_json: JsonOpt = False, today: TodayOpt = None
           ) -> None:
    """Show each phase's deliverable, version, status and problems, and the next step.

    Deadlines and due revisions are judged against today (or --today).
    """
    from studsa.workflow.status import project_status

    ws = open_workspace(project, today=today)
    report = project_status(ws)
    if as_json:
        console.print_json(report.as_dict())
        return
    table = Table(title=report.name, title_justify="left")
    for column in ("phase", "deliverable", "version", "status", "problems"):
        table.add_column(column, justify="right" if column in {"version", "problems"} else "left")
    for phase in report.phases:
        table.add_row(
            phase.phase,
            phase.deliverable,
            "" if phase.version is None else str(phase.version),
            phase.status or ("[red]invalid[/]" if phase.exists else "missing"),
            str(phase.problems) if phase.problems else "[green]0[/]",
        )
    console.out.print(table)
    marks = {"todo": "[cyan]•[/]", "warning": "[yellow]![/]", "info": "[dim]i[/]"}
    for note in report.notes:
        console.out.print(f"{marks[note.level]} {escape(note.message)}")
    console.out.print(f"[bold]next:[/] {escape(report.next)}")


@handle_errors
def validate(project: ProjectOpt = None, as_json: JsonOpt = False, today: TodayOpt = None
             ) -> None:
    """Check every file against its schema and every cross-reference; list all problems.

    Overdue clocks (revision, programme period, yearly follow-up, remiss deadline, judged
    against today or --today) are listed as warnings.
    """
    from studsa.workflow.validate import validate_workspace

    findings = validate_workspace(open_workspace(project, today=today))
    errors = [f for f in findings if f.severity == "error"]
    if as_json:
        console.print_json({"ok": not errors, "findings": [f.as_dict() for f in findings]})
    else:
        for finding in findings:
            (console.error if finding.severity == "error" else console.warn)(str(finding))
        if errors:
            console.info(f"{len(errors)} problem(s) found")
        else:
            console.done("the project is valid" + (" (with warnings)" if findings else ""))
    if errors:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def register(app: typer.Typer) -> None:
    """Add the project commands."""
    app.command(rich_help_panel=PANEL_PROJECT)(init)
    app.command(rich_help_panel=PANEL_PROJECT)(status)
    app.command(rich_help_panel=PANEL_PROJECT)(validate)
