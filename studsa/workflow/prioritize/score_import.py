"""``score import``: assessments from a spreadsheet, in the shape ``export`` writes them.

One row per rater and challenge: ``challenge`` (id or title), ``rater`` (or ``--rater``),
one column per criterion (its id or title), and optionally the rater's ``role`` and
``date``, the row's ``sources`` and ``comment``, and each criterion's cell sources and
comment (``evidens.sources``/``evidens: källor``, ``evidens.comment``/``evidens: kommentar``).
Every row is checked before anything is written; the first problem raises an error naming
the file, row and column.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from studsa.errors import UsageError
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

    def sources(self, row: Row, column: str) -> list[str]:
        found: list[str] = []
        for ref in row.values.get(column, "").split(";"):
            ref = ref.strip()
            if not ref:
                continue
            if ref not in self.known_sources:
                raise self.table.error(row, column, f"unknown source {ref!r}; add it with "
                                       "`studsa source add`")
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
            raise self.table.error(row, "date", f"{text!r} is not a date like 2020-06-05"
                                   ) from None

    def parse(self, row: Row, result: ImportResult) -> Parsed:
        raw_challenge = row.values["challenge"]
        cid = raw_challenge if raw_challenge in self.ids else self.titles.get(
            _fold(raw_challenge))
        if cid is None:
            raise self.table.error(row, "challenge", f"unknown challenge {raw_challenge!r}"
                                   if raw_challenge else "the challenge is empty")
        who = row.values.get("rater", "").strip() or self.default_rater
        if not who:
            raise self.table.error(row, "rater", "the rater is empty (fill it in or pass "
                                   "--rater)")
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
                raise self.table.error(row, spec.id, f"{err} (criterion {spec.id!r})") from None
            if sources or comment:
                cells[spec.id] = (sources, comment)
        return Parsed(who, cid, values, cells, self.sources(row, "sources"),
                      row.values.get("comment", "").strip() or None,
                      row.values.get("role", "").strip() or None, self.date(row))


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
        raise UsageError("there are no criteria; add them with `studsa criterion add`")
    titles = {c.id: c.title for c in ws.strategi.model.criteria}
    table = _read(path, specs, titles)
    if "rater" not in table.header and not (rater or "").strip():
        raise UsageError(f"{table.display}: the file has no 'rater' column; name the rater "
                         "with --rater NAME")
    result = ImportResult(table.display, dry_run=dry_run, skipped=table.unknown)
    reader = _Rows(ws, table, specs, (rater or "").strip())
    parsed: list[Parsed] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        item = reader.parse(row, result)
        key = (item.rater, item.challenge)
        if key in seen:
            raise table.error(row, "challenge", f"{item.rater!r} rates {item.challenge!r} "
                              f"again (first on row {seen[key]})")
        seen[key] = row.number
        parsed.append(item)
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
