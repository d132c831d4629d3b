"""Terminal rendering of ``studsa score``: the ranking table and what follows it."""

from collections import Counter
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from studsa import console
from studsa.cli.common import terminal
from studsa.i18n import and_list, count, message


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
    table = Table(title=message("cli_ranking_title", method=report.method),
                  title_justify="left")
    table.add_column(message("cli_col_rank"), justify="right", no_wrap=True)
    table.add_column(message("cli_col_id"), no_wrap=True)
    table.add_column(message("cli_col_title"), overflow="fold", max_width=36)
    for criterion in report.criteria:
        table.add_column(criterion.id, justify="right")
    table.add_column(message("cli_col_score"), justify="right", no_wrap=True)
    if selected:
        table.add_column(message("cli_col_selected"))
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
        console.out.print(count("cli_rows_hidden", hidden))


def print_report(report: Any, show_sensitivity: bool = False, limit: int | None = ROWS
                 ) -> None:
    """Print the ranking (``limit`` rows; None: all), notes, stability and the rest."""
    out = console.out
    _print_ranking(report, limit)
    out.print(escape(message("cli_score_legend",
                             raters=count("wf_raters", len(report.raters)),
                             names=and_list(report.raters),
                             threshold=terminal().number(report.threshold),
                             numeric=report.numeric)))
    for note in report.notes:
        out.print(f"[yellow]![/] {escape(note)}")
    stab = report.stability
    if stab is not None:
        if stab.cut_tie:
            key = "cli_tie_straddles" if stab.straddles else "cli_tie_ends"
            out.print(escape(message(key, top=stab.top, rank=stab.cut_rank,
                                     ids=and_list(stab.cut_tie))))
        out.print(f"[bold]{message('cli_stability')}[/] {escape(stab.summary)}")
        for flip in stab.flips:
            out.print(f"  {escape(flip.rater)}: {flip.challenge} × {flip.criterion} "
                      f"{flip.old:g} → {flip.new:g}")
    sens = report.sensitivity
    if sens is not None and show_sensitivity:
        out.print(f"[bold]{message('cli_sensitivity')}[/] {escape(sens.verdict)}")
        for case in sens.cases:
            moved = ", ".join(f"{c.id} {c.before}→{c.after}" for c in case.changes[:8])
            more = message("cli_more", n=len(case.changes) - 8) if len(case.changes) > 8 else ""
            flag = (f"[red]{message('cli_top_changes')}[/]" if case.top_changed
                    else message("cli_top_kept"))
            out.print(f"  {escape(case.label)}: {flag}; "
                      f"{escape(moved) + more if moved else message('cli_no_rank_changes')}")
    if report.disagreement:
        out.print(f"[bold]{message('cli_disagreement')}[/] "
                  + message("cli_disagreement_cells", n=len(report.disagreement),
                            total=report.disagreement_total))
        for cell in report.disagreement:
            given = ", ".join(f"{r}={'–' if v is None else f'{v:g}'}"
                              for r, v in cell.values.items())
            out.print(f"  {cell.challenge} × {cell.criterion}: "
                      f"{terminal().number(round(cell.level, 2))} "
                      f"({escape(given)})")
    view = report.selection
    if view is not None:
        out.print(f"[bold]{message('cli_selection')}[/] {and_list(view.challenges)}"
                  + (f" — {escape(view.rationale)}" if view.rationale else ""))
        if view.stale:
            out.print(f"[yellow]![/] {message('cli_selection_stale')}")
        if view.missing_reasons:
            out.print(f"[yellow]![/] "
                      f"{message('cli_no_reason', ids=and_list(view.missing_reasons))}")
