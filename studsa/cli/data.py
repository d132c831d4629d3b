"""Data commands: ``studsa export`` (the project as JSON/CSV/XLSX) and ``studsa schema``."""

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from studsa import console
from studsa.cli.common import (
    PANEL_REPORTS,
    ForceOpt,
    JsonOpt,
    ProjectOpt,
    handle_errors,
    open_workspace,
)
from studsa.errors import ProjectNotFoundError


class ExportFormat(StrEnum):
    """Formats of ``studsa export``."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@handle_errors
def export(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="json, csv or xlsx.")
    ] = ExportFormat.json,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Where to write: a file for json/xlsx, a folder for csv (one file per table). "
            "Default: json on stdout, rapporter/export.xlsx, rapporter/export/.",
            show_default=False,
        ),
    ] = None,
    project: ProjectOpt = None,
    force: ForceOpt = False,
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
    result = export_project(ws, fmt.value, out, force=force)
    if result.text is not None:
        console.out.file.write(result.text)
        console.out.file.flush()
        return
    for path in result.written:
        console.out.print(ws.store.rel(path), markup=False)
    console.done(f"exported {len(result.written)} file(s) as {fmt.value}")


@handle_errors
def schema(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for the <kind>.schema.json files (default: .studsa/schema/ in the "
            "project).",
            show_default=False,
        ),
    ] = None,
    project: ProjectOpt = None,
    as_json: JsonOpt = False,
    force: ForceOpt = False,
) -> None:
    """Write JSON Schemas of every project file, so editors complete and check keys.

    Project files carry a [bold]# yaml-language-server: $schema=…[/] line that points at
    .studsa/schema/, so VS Code with the YAML extension (and other editors with the YAML
    language server) use them. [bold]--json[/] prints them all as one object instead.

    Example: [bold]studsa schema[/]
    """
    from studsa.storage.schemas import SCHEMA_DIR, all_schemas, write_schemas

    if as_json:
        console.print_json(all_schemas())
        return
    shown: Callable[[Path], str] = str
    root: Path | None = None
    if out is None:
        try:
            ws = open_workspace(project)
        except ProjectNotFoundError as err:
            err.hint = "outside a project, give --out DIR (or --json to print the schemas)"
            raise
        root = ws.root
        out = ws.root / SCHEMA_DIR
        shown = ws.store.rel
    else:
        from studsa.storage.gate import enclosing_project, out_target

        out = out_target(out, folder=True)
        root = enclosing_project(out)
    for path in write_schemas(out, root=root, force=force):
        console.out.print(shown(path), markup=False)
    console.done(f"wrote the JSON Schemas to {out}")


def register(app: typer.Typer) -> None:
    """Add the data commands."""
    app.command(rich_help_panel=PANEL_REPORTS)(export)
    app.command(rich_help_panel=PANEL_REPORTS)(schema)
