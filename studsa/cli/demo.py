"""``studsa demo``: the one-command tour on the bundled Malmö example."""

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from studsa import console, i18n
from studsa.cli.common import PANEL_PROJECT, handle_errors, terminal
from studsa.cli.language import project_language
from studsa.cli.project import status
from studsa.i18n import count, message

if TYPE_CHECKING:
    from studsa.workflow.demo import DemoResult, PhaseSummary

PHASE_TITLES = {
    "avgransa": "cli_phase_avgransa",
    "identifiera": "cli_phase_identifiera",
    "prioritera": "cli_phase_prioritera",
    "placera": "cli_phase_placera",
    "uppfoljning": "cli_phase_uppfoljning",
}


@handle_errors
def demo(
    path: Annotated[
        Path,
        typer.Argument(help=message("help_demo_1"), show_default=True),
    ] = Path("studsa-demo"),
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            "-f",
            help=message("help_demo_2"),
            show_default=False,
        ),
    ] = None,
) -> None:
    """Build the bundled Malmö example through all four phases and render every report."""
    from studsa.workflow.demo import run_demo

    result = run_demo(path, formats=formats or ["md"])
    if not i18n.overridden():  # from here on the terminal is inside the example project
        i18n.use_language(project_language(result.root))
    console.done(message("cli_demo_copied", root=result.root,
                         files=count("cli_files", len(result.files))))
    for phase in result.phases:
        _print_phase(phase)
    console.out.rule(message("cli_rule_status"))
    status(project=result.root, as_json=False)
    if result.verified:
        console.out.print(f"{message('cli_demo_verify')} {result.verified}")
    _print_reports(result)
    for note in result.notes:
        console.info(f"{message('cli_demo_note')} {note}")
    console.info(f"{message('cli_next')} {message('cli_init_next', root=result.root)}")


def _print_phase(phase: "PhaseSummary") -> None:
    label = message(PHASE_TITLES[phase.phase]) if phase.phase in PHASE_TITLES else phase.phase
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
        console.out.print(f"[dim]{message('cli_demo_more')} "
                          + escape(", ".join(phase.commands)) + "[/]")


def _print_ranking(phase: "PhaseSummary") -> None:

    table = Table(title=message("cli_demo_ranking"), title_justify="left")
    table.add_column(message("cli_col_rank"), justify="right")
    table.add_column(message("cli_col_challenge"))
    table.add_column(message("cli_col_score"), justify="right")
    table.add_column(message("cli_col_selected"))
    shared = Counter(row.rank for row in phase.ranking)
    for row in phase.ranking:
        table.add_row(
            f"{row.rank}=" if shared[row.rank] > 1 else str(row.rank),
            escape(row.title),
            terminal().number(row.score),
            f"[bold green]✓ {message('cli_col_selected')}[/]" if row.selected else "",
        )
    console.out.print(table)


def _print_reports(result: "DemoResult") -> None:
    if not result.reports:
        return
    console.out.rule(message("cli_rule_reports"))
    for report in result.reports:
        try:
            shown = report.relative_to(result.root).as_posix()
        except ValueError:
            shown = str(report)
        console.out.print(escape(shown))
    where = result.report_dir or result.root
    console.done(count("cli_demo_reports", len(result.reports), where=where))


def register(app: typer.Typer) -> None:
    """Add ``studsa demo`` (first, so it heads the help)."""
    app.command(help=message("help_demo"), rich_help_panel=PANEL_PROJECT)(demo)
