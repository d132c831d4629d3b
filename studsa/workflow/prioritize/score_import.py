"""``score import``: assessments from a spreadsheet, in the shape ``export`` writes them.

One row per rater and challenge: ``challenge`` (id or title), ``rater`` (or ``--rater``),
one column per criterion (its id or title), and optionally the rater's ``role`` and
``date``, the row's ``sources`` and ``comment``, and each criterion's cell sources and
comment (``evidens.sources``/``evidens: källor``, ``evidens.comment``/``evidens: kommentar``).
Every row and cell is checked before anything is written; every problem found is reported
at once, each naming the file, row and column, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from studsa.errors import SchemaError, StudsaError, UsageError
from studsa.i18n import message
from studsa.scoring import CriterionSpec, parse_value
from studsa.storage.tabular import Row, Table, fold_name, read_table
from studsa.workflow.context import Workspace
from studsa.workflow.exchange import CELL_PARTS, aliases, sheet_titles
from studsa.workflow.prioritize.load import criterion_specs
from studsa.workflow.prioritize.rating import RaterFiles, set_value

OPTIONAL = ("rater", "role", "date", "title", "sources", "comment")


@dataclass
class ImportResult:
    """What ``score import`` read and (unless a dry run) wrote."""

    file: str
    rows: int = 0
    values: int = 0
    empty: int = 0
    raters: list[str] = field(default_factory=list)
    new_raters: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    dry_run: bool = False
    skipped: tuple[str, ...] = ()
    """Columns of the sheet that the import does not know (as written in the header)."""


@dataclass
class Parsed:
    """One row, checked: who rates which challenge, the values and what backs them."""

    rater: str
    challenge: str
    values: dict[str, int]
    cells: dict[str, tuple[list[str], str | None]]
    sources: list[str]
    comment: str | None
    role: str | None
    date: dt.date | None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


class _Rows:
    """Reads the rows of a sheet against the project's challenges, criteria and sources."""

    def __init__(self, ws: Workspace, table: Table, specs: list[CriterionSpec],
                 default_rater: str) -> None:
        karta = ws.karta.model
        self.table = table
        self.specs = specs
        self.default_rater = default_rater
        self.ids = {c.id for c in karta.challenges}
        self.titles = {_fold(c.title): c.id for c in karta.challenges}
        self.known_sources = {s.id for s in karta.sources}
        self.problems: list[StudsaError] = []
        """Every bad cell found so far (the import goes on to find them all)."""

    def problem(self, row: Row, column: str, text: str) -> None:
        self.problems.append(self.table.error(row, column, text))

    def sources(self, row: Row, column: str) -> list[str]:
        found: list[str] = []
        for ref in row.values.get(column, "").split(";"):
            ref = ref.strip()
            if not ref:
                continue
            if ref not in self.known_sources:
                self.problem(row, column, message("err_unknown_source_add", ref=ref))
                continue
            if ref not in found:
                found.append(ref)
        return found

    def date(self, row: Row) -> dt.date | None:
        text = row.values.get("date", "").strip()
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.problem(row, "date", message("err_date_like", text=text))
            return None

    def parse(self, row: Row, result: ImportResult) -> Parsed | None:
        """The row checked, or None when its challenge or rater is missing (noted)."""
        raw_challenge = row.values["challenge"]
        cid = raw_challenge if raw_challenge in self.ids else self.titles.get(
            _fold(raw_challenge))
        if cid is None:
            self.problem(row, "challenge", message("err_unknown_challenge", id=raw_challenge)
                         if raw_challenge else message("err_challenge_empty"))
        who = row.values.get("rater", "").strip() or self.default_rater
        if not who:
            self.problem(row, "rater", message("err_rater_empty_cell"))
        values: dict[str, int] = {}
        cells: dict[str, tuple[list[str], str | None]] = {}
        for spec in self.specs:
            text = row.values[spec.id]
            sources = self.sources(row, f"{spec.id}.sources")
            comment = row.values.get(f"{spec.id}.comment", "").strip() or None
            if not text:
                result.empty += 1
                continue
            try:
                values[spec.id] = parse_value(spec.scale, text)
            except ValueError as err:
                self.problem(row, spec.id, message("err_value_of_criterion", error=err,
                                                   id=spec.id))
                continue
            if sources or comment:
                cells[spec.id] = (sources, comment)
        row_sources, date = self.sources(row, "sources"), self.date(row)
        if cid is None or not who:
            return None
        return Parsed(who, cid, values, cells, row_sources,
                      row.values.get("comment", "").strip() or None,
                      row.values.get("role", "").strip() or None, date)


def _read(path: Path, specs: list[CriterionSpec], titles: dict[str, str]) -> Table:
    cell_columns = [f"{s.id}.{part}" for s in specs for part in CELL_PARTS]
    names = aliases([*OPTIONAL, "challenge", *cell_columns])
    for spec in specs:
        names.setdefault(fold_name(spec.id), spec.id)
    for cid, title in titles.items():
        names.setdefault(fold_name(title), cid)
    return read_table(path, required=["challenge", *(s.id for s in specs)],
                      optional=[*OPTIONAL, *cell_columns], allow_extra=True,
                      display=str(path), aliases=names, sheets=sheet_titles("assessments"))


def _apply(files: RaterFiles, parsed: Parsed, by_spec: dict[str, CriterionSpec]) -> None:
    doc = files.doc(parsed.rater)
    if parsed.role is not None:
        doc.model.role = parsed.role
    if parsed.date is not None:
        doc.model.date = parsed.date
    assessment = files.assessment(parsed.rater, parsed.challenge)
    for key, number in parsed.values.items():
        sources, comment = parsed.cells.get(key, ([], None))
        set_value(assessment, by_spec[key], number, sources, comment)
    for source in parsed.sources:
        if source not in assessment.sources:
            assessment.sources.append(source)
    if parsed.comment:
        assessment.comment = parsed.comment


def import_scores(ws: Workspace, path: Path, rater: str | None = None, dry_run: bool = False
                  ) -> ImportResult:
    """Import assessments from CSV/XLSX (see the module docstring), all or nothing."""
    specs = criterion_specs(ws.strategi.model)
    if not specs:
        raise UsageError(message("err_no_criteria"))
    titles = {c.id: c.title for c in ws.strategi.model.criteria}
    table = _read(path, specs, titles)
    if "rater" not in table.header and not (rater or "").strip():
        raise UsageError(f"{table.display}: {message('err_no_rater_column')}")
    result = ImportResult(table.display, dry_run=dry_run, skipped=table.unknown)
    reader = _Rows(ws, table, specs, (rater or "").strip())
    parsed: list[Parsed] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        item = reader.parse(row, result)
        if item is None:
            continue
        key = (item.rater, item.challenge)
        if key in seen:
            reader.problem(row, "challenge", message("err_rates_again", rater=item.rater,
                                                     challenge=item.challenge, row=seen[key]))
            continue
        seen[key] = row.number
        parsed.append(item)
    if reader.problems:
        raise SchemaError(reader.problems)
    files = RaterFiles(ws)
    by_spec = {s.id: s for s in specs}
    for item in parsed:
        if item.rater not in files.docs:
            result.new_raters.append(item.rater)
        _apply(files, item, by_spec)
        result.values += len(item.values)
    result.rows = len(parsed)
    result.raters = sorted({item.rater for item in parsed})
    result.new_raters = sorted(set(result.new_raters))
    if not dry_run:
        result.written = files.save()
    return result
