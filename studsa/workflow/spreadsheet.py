"""The project as sheets: typed cells (dates, years, amounts) in the project's language.

The sheets are what the imports read back: ``Utmaningar`` for ``challenge import``,
``Bedömningar`` for ``score import`` (one row per rater and challenge, one column per
criterion), ``Uppföljning`` for ``followup import``. Text cells that a spreadsheet would run
as a formula get a leading ``'``. CSV follows the language's convention: ``;`` and a
decimal comma for Swedish (as Swedish Excel opens it), ``,`` and a decimal point for English;
both are UTF-8 with a BOM.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from typing import Any

from studsa.i18n import labels
from studsa.models.bedomning import cell_value
from studsa.models.handlingsplan import ACTIVITY_STATUSES
from studsa.scoring import parse_value
from studsa.workflow.context import Workspace
from studsa.workflow.exchange import CELL_PARTS, column_label, sheet_title, yes_no
from studsa.workflow.prioritize.load import criterion_specs

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
AMOUNT_FORMAT = '#,##0 "kr"'
"""Excel's code for whole kronor; Swedish Excel shows it as ``# ##0 "kr"`` (300 000 kr)."""
DATE_FORMAT = "yyyy-mm-dd"
DATE_COLUMNS = frozenset({"date"})
AMOUNT_COLUMNS = frozenset({"cost", "spent"})
INDICATOR_PARTS = ("kolada", "baseline", "target", "target_year", "unit")

Row = dict[str, Any]

# Column headers of each table, so an empty table still says what it would hold.
COLUMNS: dict[str, list[str]] = {
    "project": ["name", "organisation", "administration", "committee", "dnr", "language",
                "start_year"],
    "departments": ["id", "name", "cadence", "contact"],
    "themes": ["id", "title", "description"],
    "sources": ["id", "title", "kind", "organisation", "year", "url", "description"],
    "challenges": ["id", "title", "theme", "description", "sources", "out_of_scope",
                   "example", "prioritized"],
    "criteria": ["id", "title", "description", "scale", "weight"],
    "assessments": ["rater", "challenge", "criterion", "value", "comment"],
    "ranking": ["rank", "id", "title", "score", "method", "basis"],
    "selection": ["challenge", "title", "why"],
    "placements": ["challenge", "goal", "horizon", "lead", "contributes"],
    "activities": ["id", "title", "challenge", "department", "year", "end_year", "cost",
                   "investment", "indicator", "status", "description", "carried_from"],
    "followup": ["period", "activity", "status", "comment", "spent", "reported_by", "date",
                 "summary"],
    "remiss": ["deliverable", "version", "body", "point", "text", "about", "decision", "why"],
    "decisions": ["deliverable", "version", "by", "date", "paragraph", "dnr", "sha256"],
}


def neutralise(value: str) -> str:
    """Prefix ``'`` to text a spreadsheet would read as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


@dataclass(frozen=True)
class Sheet:
    """One table as a sheet: its id, title, column ids and headers, and typed rows."""

    table: str
    title: str
    columns: list[str]
    headers: list[str]
    rows: list[list[Any]]


def _assessment_rows(ws: Workspace) -> tuple[list[str], list[Row]]:
    """Assessments in the shape ``score import`` reads: a row per rater and challenge."""
    specs = {s.id: s for s in criterion_specs(ws.strategi.model)}
    criteria = list(specs)
    used_parts: set[str] = set()
    titles = {c.id: c.title for c in ws.karta.model.challenges}
    rows: list[Row] = []
    for doc in ws.bedomningar:
        model = doc.model
        for item in model.assessments:
            row: Row = {"rater": model.rater, "role": model.role, "date": model.date,
                        "challenge": item.challenge, "title": titles.get(item.challenge),
                        "sources": list(item.sources), "comment": item.comment}
            for criterion, raw in item.values.items():
                if criterion not in criteria:
                    criteria.append(criterion)
                value, sources, comment = cell_value(raw)
                spec = specs.get(criterion)
                if spec is not None and spec.scale == "yes-no":
                    # A value off the scale is shown as written; `studsa validate` says so.
                    with contextlib.suppress(ValueError):
                        value = yes_no(bool(parse_value(spec.scale, value)), ws.language)
                row[criterion] = value
                for part, data in (("sources", sources), ("comment", comment)):
                    if data:
                        row[f"{criterion}.{part}"] = data
                        used_parts.add(f"{criterion}.{part}")
            rows.append(row)
    cells = [f"{c}.{part}" for c in criteria for part in CELL_PARTS if f"{c}.{part}" in used_parts]
    columns = ["rater", "role", "date", "challenge", "title", *criteria, *cells, "sources",
               "comment"]
    return columns, rows


def _split_indicators(rows: list[Row]) -> list[Row]:
    """Each activity's indicator as columns: text, Kolada KPI, baseline, target, year, unit."""
    split = []
    for row in rows:
        indicator = row.get("indicator")
        flat = {k: v for k, v in row.items() if k != "indicator"}
        parts = indicator if isinstance(indicator, dict) else {"text": indicator}
        flat["indicator"] = parts.get("text")
        flat.update({part: parts.get(part) for part in INDICATOR_PARTS})
        split.append(flat)
    return split


def _columns(base: list[str], rows: list[Row]) -> list[str]:
    columns = list(base)
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    return columns


def _typed(column: str, value: Any, language: str) -> Any:
    """A flat spreadsheet value: dates and numbers typed, lists joined, text neutralised.

    An activity's status is its label (``Pågår``), which ``followup import`` reads back.
    """
    if column == "status" and value in ACTIVITY_STATUSES:
        return labels(language)[f"act_{value}"]
    if isinstance(value, bool):
        return yes_no(value, language)
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(str(item) for item in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str):
        if column in DATE_COLUMNS:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if column == "year" and value.isascii() and value.isdigit():
            return int(value)
        return neutralise(value)
    return value


def sheets(ws: Workspace, tables: dict[str, list[Row]], unit: str | None = None) -> list[Sheet]:
    """The export's tables as typed sheets in the project's language."""
    language = ws.language
    result = []
    for name, rows in tables.items():
        base = COLUMNS.get(name, [])
        if name == "assessments":
            base, rows = _assessment_rows(ws)
        elif name == "activities":
            rows = _split_indicators(rows)
            at = base.index("indicator") + 1
            base = [*base[:at], *INDICATOR_PARTS, *base[at:]]
        columns = _columns(base, rows)
        result.append(Sheet(
            name, sheet_title(name, language), columns,
            [column_label(c, language, unit) for c in columns],
            [[_typed(c, row.get(c), language) for c in columns] for row in rows],
        ))
    return result


def _csv_text(value: Any, language: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        text = repr(value)
        return text.replace(".", ",") if language == "sv" else text
    return str(value)


def to_csv(sheet_list: list[Sheet], language: str) -> dict[str, bytes]:
    """One CSV file per sheet, named by table id, in the language's convention."""
    delimiter = ";" if language == "sv" else ","
    files: dict[str, bytes] = {}
    for sheet in sheet_list:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(sheet.headers)
        for row in sheet.rows:
            writer.writerow([_csv_text(value, language) for value in row])
        files[f"{sheet.table}.csv"] = buffer.getvalue().encode("utf-8-sig")
    return files


def _width(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return len(f"{value:,.0f}") + 3
    return len(_csv_text(value, "en"))


def to_xlsx(sheet_list: list[Sheet], *, title: str, stamp: dt.datetime) -> bytes:
    """One workbook, a sheet per table, header bold and frozen, dates and kronor formatted."""
    from openpyxl import Workbook  # heavy: only for xlsx
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = "studsa"
    workbook.properties.created = stamp
    for spec in sheet_list:
        sheet = workbook.create_sheet(spec.title[:31])
        sheet.append(spec.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns, start=1):
            number_format = (AMOUNT_FORMAT if column in AMOUNT_COLUMNS
                             else DATE_FORMAT if column in DATE_COLUMNS else None)
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            longest = max([len(spec.headers[index - 1])]
                          + [_width(row[index - 1]) for row in spec.rows])
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = min(60, longest + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
