"""Terminal rendering of ``studsa score``: the ranking table and what follows it."""

from collections import Counter
from typing import Any

from rich import box
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

    head = _headers()
    criteria = len(report.criteria)
    selected = report.selection is not None
    fixed = widest(0, head["rank"]) + widest(3 + criteria, head["score"])
    ident = widest(1, head["id"])
    full = [widest(3 + i, c.id) for i, c in enumerate(report.criteria)]
    short = [widest(3 + i, _short(i + 1)) for i in range(criteria)]
    title = min(TITLE_MIN, widest(2, head["title"]))

    def fits(apart: bool, names: list[int], compact: bool) -> bool:
        extra = len(head["sel"]) if names is short else len(head["selected"])
        columns = 2 + (1 if apart else 0) + criteria + 1 + (1 if selected else 0)
        used = fixed + max(ident, len(head["id_title"])) + sum(names)
        used += extra if selected else 0
        used += (title if apart else 0) + (2 * columns - 2 if compact else 3 * columns + 1)
        return used <= width

    for compact in (False, True):
        for apart, names in ((True, full), (True, short), (False, full), (False, short)):
            if fits(apart, names, compact):
                return apart, names is short, compact
    return False, True, True


def _headers() -> dict[str, str]:
    return {"rank": message("cli_col_rank"), "id": message("cli_col_id"),
            "title": message("cli_col_title"), "score": message("cli_col_score"),
            "selected": message("cli_col_selected"), "sel": message("method_col_selected_short"),
            "id_title": message("method_col_id_title")}


def _short(number: int) -> str:
    """A criterion's short column name (c1, c2, …), explained in a legend under the table."""
    return message("method_criterion_short", n=number)


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
    head = _headers()
    table = Table(title=message("cli_ranking_title", method=report.method),
                  title_justify="left")
    if compact:
        table.box, table.show_edge, table.pad_edge = box.SIMPLE_HEAD, False, False
    table.add_column(head["rank"], justify="right", no_wrap=True)
    if apart:
        table.add_column(head["id"], no_wrap=True)
        table.add_column(head["title"], overflow="fold", min_width=min(TITLE_MIN, max(
            [len(r[2]) for r in lines] or [5])))
    else:
        table.add_column(head["id_title"], overflow="fold",
                         min_width=max([len(r[1]) for r in lines] or [10]))
    for number, criterion in enumerate(report.criteria, start=1):
        table.add_column(_short(number) if short else criterion.id, justify="right",
                         no_wrap=True)
    table.add_column(head["score"], justify="right", no_wrap=True)
    if selected:
        table.add_column(head["sel"] if short else head["selected"], no_wrap=True)
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
        console.out.print(", ".join(f"{_short(n)} = {escape(c.id)}"
                                    for n, c in enumerate(report.criteria, start=1)))
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
    if report.selection is not None:
        _print_selection(report.selection)


def _print_selection(view: Any) -> None:
    """The selection, each challenge's reason on its own line, and what is amiss with it."""
    out = console.out
    out.print(f"[bold]{message('cli_selection')}[/] {and_list(view.challenges)}"
              + (f" — {escape(view.rationale)}" if view.rationale else ""))
    for cid, why in view.why.items():
        out.print(f"  {cid}: {escape(why)}")
    if view.stale:
        out.print(f"[yellow]![/] {message('cli_selection_stale')}")
    if view.missing_reasons:
        out.print(f"[yellow]![/] "
                  f"{message('cli_no_reason', ids=and_list(view.missing_reasons))}")
