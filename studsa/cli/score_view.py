"""Terminal rendering of ``studsa score``: the ranking table and what follows it."""

from collections import Counter
from typing import Any

from rich import box
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


TITLE_MIN = 24
"""The narrowest title column worth its own column; below it the title goes under the id."""


def _layout(report: Any, rows: list[list[str]], width: int) -> tuple[bool, bool, bool]:
    """(title in its own column, criteria as c1, c2, … with a legend, no borders) to fit.

    Ids, ranks, scores and verdicts are never cut; only titles wrap, on words. The first
    layout that fits ``width`` wins: title apart with full names, title apart with short
    names, the title under the id with full names, then with short names; with borders,
    then without.
    """
    def widest(index: int, header: str) -> int:
        return max([len(header), *(len(r[index]) for r in rows)])

    count = len(report.criteria)
    selected = report.selection is not None
    fixed = widest(0, "rank") + widest(3 + count, "score")
    ident = widest(1, "id")
    full = [widest(3 + i, c.id) for i, c in enumerate(report.criteria)]
    short = [widest(3 + i, f"c{i + 1}") for i in range(count)]
    title = min(TITLE_MIN, widest(2, "title"))

    def fits(apart: bool, names: list[int], compact: bool) -> bool:
        extra = len("sel") if names is short else len("selected")
        columns = 2 + (1 if apart else 0) + count + 1 + (1 if selected else 0)
        used = fixed + max(ident, len("id / title")) + sum(names) + (extra if selected else 0)
        used += (title if apart else 0) + (2 * columns - 2 if compact else 3 * columns + 1)
        return used <= width

    for compact in (False, True):
        for apart, names in ((True, full), (True, short), (False, full), (False, short)):
            if fits(apart, names, compact):
                return apart, names is short, compact
    return False, True, True


def _ranking_table(report: Any, rows: int, width: int) -> tuple[Table, bool]:
    """The ranking table at ``width`` columns, and whether it used short criterion names."""
    selected = report.selection is not None
    ties = Counter(e.rank for e in report.ranking)
    lines = []
    for entry in report.ranking[:rows]:
        tied = ties[entry.rank] > 1
        row = [f"{entry.rank}{'=' if tied else ''}", entry.id, entry.title]
        row += [_cell(entry.per_criterion[c.id], c.scale) for c in report.criteria]
        row.append(f"{entry.score:g}")
        if selected:
            row.append("✓" if entry.selected else "")
        lines.append(row)
    apart, short, compact = _layout(report, lines, width)
    table = Table(title=f"Ranking ({report.method})", title_justify="left")
    if compact:
        table.box, table.show_edge, table.pad_edge = box.SIMPLE_HEAD, False, False
    table.add_column("rank", justify="right", no_wrap=True)
    if apart:
        table.add_column("id", no_wrap=True)
        table.add_column("title", overflow="fold", min_width=min(TITLE_MIN, max(
            [len(r[2]) for r in lines] or [5])))
    else:
        table.add_column("id / title", overflow="fold",
                         min_width=max([len(r[1]) for r in lines] or [10]))
    for number, criterion in enumerate(report.criteria, start=1):
        table.add_column(f"c{number}" if short else criterion.id, justify="right",
                         no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    if selected:
        table.add_column("sel" if short else "selected", no_wrap=True)
    for position, row in enumerate(lines):
        # Text cells: user text is shown as written, never read as rich markup.
        cells = [Text(row[0])]
        if apart:
            cells += [Text(row[1]), Text(row[2])]
        else:
            cells.append(Text(f"{row[1]}\n{row[2]}"))
        cells += [Text(value) for value in row[3:]]
        table.add_row(*cells, end_section=position + 1 == report.top)
    return table, short


def _print_ranking(report: Any, limit: int | None) -> None:
    rows = shown_rows(report, limit)
    table, short = _ranking_table(report, rows, console.out.width)
    console.out.print(table)
    if short:
        console.out.print(", ".join(f"c{n} = {escape(c.id)}"
                                    for n, c in enumerate(report.criteria, start=1)))
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
    if report.selection is not None:
        _print_selection(report.selection)


def _print_selection(view: Any) -> None:
    """The selection, each challenge's reason on its own line, and what is amiss with it."""
    out = console.out
    out.print(f"[bold]selection:[/] {', '.join(view.challenges)}"
              + (f" — {escape(view.rationale)}" if view.rationale else ""))
    for cid, why in view.why.items():
        out.print(f"  {cid}: {escape(why)}")
    if view.stale:
        out.print("[yellow]![/] selection made on older assessments")
    if view.missing_reasons:
        out.print(f"[yellow]![/] no reason recorded for: {', '.join(view.missing_reasons)}")
