"""Data commands: ``studsa export`` (the project as JSON/CSV/XLSX) and ``studsa schema``."""

import contextlib
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from studsa import console
from studsa.cli.common import PANEL_REPORTS, JsonOpt, ProjectOpt, handle_errors, open_workspace
from studsa.errors import ProjectNotFoundError, StudsaError
from studsa.i18n import count, message


class ExportFormat(StrEnum):
    """Formats of ``studsa export``."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@handle_errors
def export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help=message("help_data_1"))
    ] = ExportFormat.json,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=message("help_data_2"),
            show_default=False,
        ),
    ] = None,
    project: ProjectOpt = None,
) -> None:
    """Export the whole project as data for Excel and other systems.

    Tables: project, departments, themes, sources, challenges, criteria, assessments,
    ranking, selection, placements, activities, follow-up, remiss points and decisions.
    Spreadsheet cells that start with =, +, - or @ get a leading ' so they never run as
    formulas.

    Example: [bold]studsa export --format xlsx --out strategi.xlsx[/]
    """
    from studsa.workflow.export import export_project

    ws = open_workspace(project)
    result = export_project(ws, fmt.value, out)
    if result.text is not None:
        console.out.file.write(result.text)
        console.out.file.flush()
        return
    for path in result.written:
        console.out.print(ws.store.rel(path), markup=False)
    console.done(count("cli_exported", len(result.written), format=fmt.value))


@handle_errors
def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help=message("help_data_3"),
            show_default=False,
        ),
    ] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write JSON Schemas of every project file, so editors complete and check keys.

    Project files carry a [bold]# yaml-language-server: $schema=…[/] line that points at
    .studsa/schema/, so VS Code with the YAML extension (and other editors with the YAML
    language server) use them; every key has a description in the project's language,
    shown on hover. [bold]--json[/] prints them all as one object instead.

    Example: [bold]studsa schema[/]
    """
    from studsa.i18n import terminal_language
    from studsa.storage.schemas import SCHEMA_DIR, all_schemas, write_schemas

    shown: Callable[[Path], str] = str
    ws = None
    try:
        ws = open_workspace(project)
    except ProjectNotFoundError as err:
        if out is None and not as_json:
            err.hint = message("cli_schema_outside")
            raise
    language = terminal_language()
    if ws is not None:
        with contextlib.suppress(StudsaError):  # a broken studsa.yaml: `validate` says why
            language = ws.language
    if as_json:
        console.print_json(all_schemas(language))
        return
    if out is None:
        assert ws is not None  # without a project, no --out was refused above
        out = ws.root / SCHEMA_DIR
        shown = ws.store.rel
    for path in write_schemas(out, language):
        console.out.print(shown(path), markup=False)
    console.done(message("cli_wrote_schemas", out=out))


def register(app: typer.Typer) -> None:
    """Add the data commands."""
    app.command(rich_help_panel=PANEL_REPORTS, help=message("help_export"))(export)
    app.command(rich_help_panel=PANEL_REPORTS, help=message("help_schema"))(schema)
