"""``studsa demo``: the one-command tour on the bundled Malmö example."""

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from studsa import console
from studsa.cli.common import PANEL_PROJECT, handle_errors
from studsa.cli.project import status

if TYPE_CHECKING:
    from studsa.workflow.demo import DemoResult, PhaseSummary

HELP = (
    "Build the bundled Malmö example through all four phases and render every report.\n\n"
    "Copies Tekniska nämndens trygghets- och säkerhetsstrategi (Malmö stad, TN-2019-3986) "
    "into PATH, shows what each phase holds, the ranking beside the presidium's selection, "
    "records the decisions on the uppdragsbeskrivning, strategi and handlingsplan as frozen, "
    "verifiable versions, prints the status and renders every report into PATH/rapporter.\n\n"
    "Example: [bold]studsa demo[/], then [bold]cd studsa-demo && studsa status[/]"
)

PHASE_TITLES = {
    "avgransa": "Avgränsa (delimit)",
    "identifiera": "Identifiera (identify)",
    "prioritera": "Prioritera (prioritize)",
    "placera": "Placera (place)",
    "uppfoljning": "Uppföljning (follow-up)",
}


@handle_errors
def demo(
    path: Annotated[
        Path,
        typer.Argument(help="New or empty folder to build the demo in.", show_default=True),
    ] = Path("studsa-demo"),
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help="Report format: md, html, docx or pdf; repeat for several. Default: md.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Build the bundled Malmö example through all four phases and render every report."""
    from studsa.workflow.demo import run_demo

    result = run_demo(path, formats=formats or ["md"])
    console.done(f"copied the Malmö example to {result.root} ({len(result.files)} files)")
    for phase in result.phases:
        _print_phase(phase)
    console.out.rule("Status")
    status(project=result.root, as_json=False)
    if result.verified:
        console.out.print(f"verify: {result.verified}")
    _print_reports(result)
    for note in result.notes:
        console.info(f"note: {note}")
    console.info(f"next: cd {result.root} && studsa status")


def _print_phase(phase: "PhaseSummary") -> None:
    label = PHASE_TITLES.get(phase.phase, phase.phase)
    number = f"{phase.number} " if phase.number != "–" else ""
    console.out.rule(f"{number}{label}: {phase.deliverable}")
    console.out.print(f"[dim]{escape(phase.file)}[/]")
    for line in phase.lines:
        console.out.print(escape(line))
    if phase.ranking:
        _print_ranking(phase)
    for line in phase.after:
        console.out.print(escape(line))
    if phase.decision:
        console.out.print(f"[bold]{escape(phase.decision)}[/]")
    if phase.commands:
        console.out.print("[dim]more: " + escape(", ".join(phase.commands)) + "[/]")


def _print_ranking(phase: "PhaseSummary") -> None:

    table = Table(title="Ranking (criteria met; = marks a tie)", title_justify="left")
    table.add_column("rank", justify="right")
    table.add_column("challenge")
    table.add_column("score", justify="right")
    table.add_column("selected")
    shared = Counter(row.rank for row in phase.ranking)
    for row in phase.ranking:
        table.add_row(
            f"{row.rank}=" if shared[row.rank] > 1 else str(row.rank),
            escape(row.title),
            f"{row.score:g}",
            "[bold green]✓ selected[/]" if row.selected else "",
        )
    console.out.print(table)


def _print_reports(result: "DemoResult") -> None:
    if not result.reports:
        return
    console.out.rule("Reports")
    for report in result.reports:
        try:
            shown = report.relative_to(result.root).as_posix()
        except ValueError:
            shown = str(report)
        console.out.print(escape(shown))
    where = result.report_dir or result.root
    console.done(f"{len(result.reports)} report(s) written to {where}")


def register(app: typer.Typer) -> None:
    """Add ``studsa demo`` (first, so it heads the help)."""
    app.command(help=HELP, rich_help_panel=PANEL_PROJECT)(demo)
