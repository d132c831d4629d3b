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
from studsa.i18n import count, message

STATES = {"draft": "cli_state_draft", "review": "cli_state_review",
          "reported": "method_state_reported", "decided": "cli_state_decided"}
"""The words for a deliverable's ``status:`` value."""


@handle_errors
def init(
    path: Annotated[Path, typer.Argument(help=message("help_init_path"))] = Path(),
    name: Annotated[str | None, typer.Option(help=message("help_init_name"))] = None,
    organisation: Annotated[
        str | None, typer.Option(help=message("help_init_organisation"))] = None,
    committee: Annotated[str | None, typer.Option(help=message("help_init_committee"))] = None,
    dnr: Annotated[str | None, typer.Option(help=message("help_init_dnr"))] = None,
    language: Annotated[
        str | None, typer.Option("--language", "-l", help=message("method_help_init_language"),
                                 show_default=False)
    ] = None,
    start_year: Annotated[
        int | None, typer.Option(help=message("help_init_start_year"))
    ] = None,
    example: Annotated[
        str | None, typer.Option(help=message("help_init_example"))
    ] = None,
) -> None:
    """Create a strategy project (help: help_init)."""
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
    files = count("cli_files", len(result.files))
    if result.example:
        console.done(message("cli_init_created_example", example=result.example,
                             root=result.root, files=files))
    else:
        console.done(message("cli_init_created", root=result.root, files=files))
    console.info(f"{message('cli_next')} {message('cli_init_next', root=result.root)}")


@handle_errors
def status(project: ProjectOpt = None, as_json: JsonOpt = False, today: TodayOpt = None
           ) -> None:
    """Show each phase's deliverable, version, status and problems (help: help_status)."""
    from studsa.workflow.status import project_status

    ws = open_workspace(project, today=today)
    report = project_status(ws)
    if as_json:
        console.print_json(report.as_dict())
        return
    table = Table(title=report.name, title_justify="left")
    for column in ("cli_status_phase", "cli_status_deliverable", "cli_status_version",
                   "cli_status_status", "cli_status_problems"):
        table.add_column(message(column), justify="right" if column in {
            "cli_status_version", "cli_status_problems"} else "left")
    for phase in report.phases:
        table.add_row(
            phase.phase,
            phase.deliverable,
            "" if phase.version is None else str(phase.version),
            (message(STATES[phase.status]) if phase.status else
             f"[red]{message('cli_status_invalid')}[/]" if phase.exists
             else message("cli_status_missing")),
            str(phase.problems) if phase.problems else "[green]0[/]",
        )
    console.out.print(table)
    marks = {"todo": "[cyan]•[/]", "warning": "[yellow]![/]", "info": "[dim]i[/]"}
    for note in report.notes:
        console.out.print(f"{marks[note.level]} {escape(note.message)}")
    console.out.print(f"[bold]{message('cli_next')}[/] {escape(report.next)}")


MAX_PRINTED = 200
"""Most findings ``validate`` prints (``--json`` gives every one)."""


@handle_errors
def validate(project: ProjectOpt = None, as_json: JsonOpt = False, today: TodayOpt = None
             ) -> None:
    """Check every file and cross-reference (help: help_validate)."""
    from studsa.workflow.validate import validate_workspace

    findings = validate_workspace(open_workspace(project, today=today))
    errors = [f for f in findings if f.severity == "error"]
    if as_json:
        console.print_json({"ok": not errors, "findings": [f.as_dict() for f in findings]})
    else:
        # A hostile file can hold thousands of problems; the terminal gets the first ones.
        for finding in findings[:MAX_PRINTED]:
            (console.error if finding.severity == "error" else console.warn)(str(finding))
        if len(findings) > MAX_PRINTED:
            console.info(message("safety_more_findings", n=len(findings) - MAX_PRINTED))
        if errors:
            console.info(count("cli_problems_found", len(errors)))
        else:
            console.done(message("cli_valid_warnings" if findings else "cli_valid"))
    if errors:
        raise typer.Exit(int(ExitCode.PROBLEMS))


def register(app: typer.Typer) -> None:
    """Add the project commands."""
    app.command(rich_help_panel=PANEL_PROJECT, help=message("help_init"))(init)
    app.command(rich_help_panel=PANEL_PROJECT, help=message("help_status"))(status)
    app.command(rich_help_panel=PANEL_PROJECT, help=message("help_validate"))(validate)
