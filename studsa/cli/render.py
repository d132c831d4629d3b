"""``studsa render``: the reports in Markdown, HTML, Word or PDF."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from studsa import console
from studsa.cli.common import (
    PANEL_REPORTS,
    ForceOpt,
    JsonOpt,
    ProjectOpt,
    TodayOpt,
    handle_errors,
    open_workspace,
)
from studsa.i18n import count, message

PROGRESS_THRESHOLD = 5
"""Show a progress bar when writing more files than this."""


def _progress() -> tuple[Any, Any]:
    """A lazily started rich progress bar on stderr, and a function to stop it."""
    state: dict[str, Any] = {}

    def update(done: int, total: int, path: Path) -> None:
        if total <= PROGRESS_THRESHOLD or state.get("off"):
            return
        if "bar" not in state and not console.err.is_terminal:
            state["off"] = True  # nothing to animate: skip loading the progress bar
            return
        if "bar" not in state:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            bar = Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.description}"), console=console.err,
                           transient=True)
            bar.start()
            state["bar"] = bar
            state["task"] = bar.add_task("", total=total)
        state["bar"].update(state["task"], completed=done, description=path.name)

    def stop() -> None:
        if "bar" in state:
            state["bar"].stop()

    return update, stop


def register(app: typer.Typer) -> None:
    """Add ``render`` to ``app``."""

    @app.command("render", rich_help_panel=PANEL_REPORTS, help=message("help_render"))
    @handle_errors
    def render(
        what: Annotated[
            list[str] | None,
            typer.Argument(
                help=message("help_render_1"),
                show_default=False,
            ),
        ] = None,
        fmt: Annotated[
            list[str] | None,
            typer.Option("--format", "-f", help=message("help_render_2"), show_default=False),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option("--out", "-o", help=message("help_render_3"), show_default=False),
        ] = None,
        period: Annotated[
            str | None,
            typer.Option("--period", help=message("help_render_4"), show_default=False),
        ] = None,
        list_only: Annotated[
            bool,
            typer.Option("--list-templates", help=message("help_render_5")),
        ] = False,
        project: ProjectOpt = None,
        as_json: JsonOpt = False,
        today: TodayOpt = None,
        force: ForceOpt = False,
    ) -> None:
        """Render the reports from the project's files (Markdown by default).

        The lägesbild names the deadlines passed on today (or --today).

        Templates in the project's mallar/ folder (or the folder named by `templates:` in
        studsa.yaml) override the built-in ones by file name.

        Example: studsa render strategi handlingsplan --format html --format docx
        """
        from studsa.workflow import render as core

        ws = open_workspace(project, today=today)
        if list_only:
            _list_templates(core.list_templates(ws), as_json)
            return
        formats = core.check_formats([f for item in fmt or ["md"] for f in item.split(",")])
        selection = core.select_reports(ws, what, period)
        for skipped in selection.skipped:
            console.info(message("cli_skipped_report", report=skipped.report,
                                 reason=skipped.reason))
        update, stop = _progress()
        try:
            written = core.render_reports(ws, selection.reports, formats, out, period,
                                          progress=update, force=force, warn=console.warn)
        finally:
            stop()
        shown = [ws.store.rel(path) for path in written]
        if as_json:
            console.print_json({"written": shown,
                                "skipped": [{"report": s.report, "reason": s.reason}
                                            for s in selection.skipped]})
            return
        for path in shown:
            console.out.print(path, markup=False)
        console.done(count("cli_wrote_files", len(shown)))


def _list_templates(sources: list[Any], as_json: bool) -> None:
    if as_json:
        console.print_json([{"id": s.report, "title": s.name, "origin": s.origin,
                             "path": str(s.path), "display": s.display} for s in sources])
        return
    table = Table(message("cli_col_report"), message("cli_col_template"), message("cli_col_from"),
                  box=None, pad_edge=False)
    for source in sources:
        table.add_row(source.report, source.name, source.display)
    console.out.print(table)
