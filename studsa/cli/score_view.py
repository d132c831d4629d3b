"""Terminal rendering of ``studsa score``: the ranking table and what follows it."""

from collections import Counter
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from studsa import console


def _cell(result: Any, scale: str) -> str:
    mark = "✓" if result.met else "·"
    if scale == "yes-no":
        return f"{mark} {result.yes}/{result.raters}" + (f" (+{result.missing}?)"
                                                        if result.missing else "")
    spread = (f" {result.low:g}–{result.high:g}" if result.low is not None
              and result.low != result.high else "")
    return f"{mark} {result.result:g}{spread}"


ROWS = 30
"""Rows the terminal table shows by default (one screen); ``--all`` shows every row."""


def shown_rows(report: Any, limit: int | None) -> int:
    """How many ranking rows to print: all when they fit in ``limit``, else ``limit``.

    The top-K tie group is shown whole when it ends within 1.5 × ``limit`` rows, so a
    shortlist is not cut in the middle of a tie just past the default.
    """
    total = len(report.ranking)
    if limit is None or total <= limit:
        return total
    cut = sum(1 for e in report.ranking if e.rank <= report.top)
    return cut if limit < cut <= limit * 3 // 2 else limit


def _ranking_table(report: Any, rows: int) -> Table:
    selected = report.selection is not None
    table = Table(title=f"Ranking ({report.method})", title_justify="left")
    table.add_column("rank", justify="right", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title", overflow="fold", max_width=36)
    for criterion in report.criteria:
        table.add_column(criterion.id, justify="right")
    table.add_column("score", justify="right", no_wrap=True)
    if selected:
        table.add_column("selected")
    ties = Counter(e.rank for e in report.ranking)
    for position, entry in enumerate(report.ranking[:rows]):
        tied = ties[entry.rank] > 1
        # Text cells: user text is shown as written, never read as rich markup.
        row = [f"{entry.rank}{'=' if tied else ''}", entry.id, entry.title]
        row += [_cell(entry.per_criterion[c.id], c.scale) for c in report.criteria]
        row.append(f"{entry.score:g}")
        if selected:
            row.append(("✓ " + (entry.why or "")).strip() if entry.selected else "")
        table.add_row(*map(Text, row), end_section=position + 1 == report.top)
    return table


def _print_ranking(report: Any, limit: int | None) -> None:
    rows = shown_rows(report, limit)
    console.out.print(_ranking_table(report, rows))
    hidden = len(report.ranking) - rows
    if hidden:
        console.out.print(f"… {hidden} more; use --all or --json to see every row")


def print_report(report: Any, show_sensitivity: bool = False, limit: int | None = ROWS
                 ) -> None:
    """Print the ranking (``limit`` rows; None: all), notes, stability and the rest."""
    out = console.out
    _print_ranking(report, limit)
    out.print(f"{len(report.raters)} rater(s): {escape(', '.join(report.raters))}; "
              f"yes-no met at ≥ {report.threshold:g} of raters, numeric by {report.numeric}; "
              "ranks 1, 2, 2, 4 (= marks a tie)")
    for note in report.notes:
        out.print(f"[yellow]![/] {escape(note)}")
    stab = report.stability
    if stab is not None:
        if stab.cut_tie:
            kind = "straddles" if stab.straddles else "ends at"
            out.print(f"tie at the top-{stab.top} cut (rank {stab.cut_rank}) {kind} it: "
                      f"{escape(', '.join(stab.cut_tie))}")
        out.print(f"[bold]stability:[/] {escape(stab.summary)}")
        for flip in stab.flips:
            out.print(f"  {escape(flip.rater)}: {flip.challenge} × {flip.criterion} "
                      f"{flip.old:g} → {flip.new:g}")
    sens = report.sensitivity
    if sens is not None and show_sensitivity:
        out.print(f"[bold]sensitivity:[/] {escape(sens.verdict)}")
        for case in sens.cases:
            moved = ", ".join(f"{c.id} {c.before}→{c.after}" for c in case.changes[:8])
            more = f" (+{len(case.changes) - 8} more)" if len(case.changes) > 8 else ""
            flag = "[red]top changes[/]" if case.top_changed else "top kept"
            out.print(f"  {escape(case.label)}: {flag}; "
                      f"{escape(moved) + more if moved else 'no rank changes'}")
    if report.disagreement:
        out.print(f"[bold]disagreement[/] (top {len(report.disagreement)} of "
                  f"{report.disagreement_total} cells):")
        for cell in report.disagreement:
            given = ", ".join(f"{r}={'–' if v is None else f'{v:g}'}"
                              for r, v in cell.values.items())
            out.print(f"  {cell.challenge} × {cell.criterion}: {cell.level:.2f} "
                      f"({escape(given)})")
    view = report.selection
    if view is not None:
        out.print(f"[bold]selection:[/] {', '.join(view.challenges)}"
                  + (f" — {escape(view.rationale)}" if view.rationale else ""))
        if view.stale:
            out.print("[yellow]![/] selection made on older assessments")
        if view.missing_reasons:
            out.print(f"[yellow]![/] no reason recorded for: {', '.join(view.missing_reasons)}")
