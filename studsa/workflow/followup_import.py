"""``followup import``: activity reports of one or more periods from a spreadsheet.

One row per period and activity: ``period`` (2021 or 2021-T2), ``activity`` (its id),
``status`` (an id such as ``ongoing`` or its label, ``Pågår``), optionally ``comment``,
``spent`` (whole kronor), ``reported_by`` and ``date``; the sheet ``export`` writes
(``Uppföljning``) imports as it is. ``summary`` is the period's summary, written on one of
its rows (the export writes it on the first). A period not open yet is opened (asking the
departments its cadence calls for); a row replaces the activity's report in its period.
Every row is checked first and everything is written at once, or nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from studsa.errors import InputError, SchemaError, StudsaError, UsageError
from studsa.i18n import LANGUAGES, labels
from studsa.models.handlingsplan import ACTIVITY_STATUSES, activity_years
from studsa.models.uppfoljning import Report, Uppfoljning
from studsa.periods import parse_period
from studsa.storage.document import Document
from studsa.storage.layout import UPPFOLJNING
from studsa.storage.tabular import Row, Table, fold_name, read_table
from studsa.workflow.context import Workspace
from studsa.workflow.exchange import aliases, sheet_titles
from studsa.workflow.followup import period_header
from studsa.workflow.plan import parse_sek

REQUIRED = ("period", "activity", "status")
OPTIONAL = ("comment", "spent", "reported_by", "date", "summary")


@dataclass
class FollowupImport:
    """What ``followup import`` read and (unless a dry run) wrote."""

    file: str
    reports: int = 0
    periods: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    replaced: int = 0
    written: list[str] = field(default_factory=list)
    dry_run: bool = False
    skipped: tuple[str, ...] = ()
    """Columns of the sheet that the import does not know (as written in the header)."""


def status_names() -> dict[str, str]:
    """Folded status ids and labels (sv, en) to the status id."""
    names = {fold_name(status): status for status in ACTIVITY_STATUSES}
    for language in LANGUAGES:
        catalog = labels(language)
        for status in ACTIVITY_STATUSES:
            names.setdefault(fold_name(catalog[f"act_{status}"]), status)
    return names


class _Rows:
    """Checks each row against the handlingsplan; collects every problem."""

    def __init__(self, ws: Workspace, table: Table) -> None:
        self.table = table
        self.activities = {a.id: a for a in ws.plan.model.activities}
        self.statuses = status_names()
        self.problems: list[StudsaError] = []
        self.summaries: dict[str, str] = {}

    def problem(self, row: Row, column: str, message: str) -> None:
        self.problems.append(self.table.error(row, column, message))

    def summary(self, row: Row, period: str) -> None:
        """Note the period's summary from this row (one text per period)."""
        text = row.values.get("summary", "").strip()
        if not text:
            return
        if self.summaries.setdefault(period, text) != text:
            self.problem(row, "summary", f"another summary of {period} is on an earlier row; "
                         "write it once per period")

    def parse(self, row: Row) -> tuple[str, Report] | None:
        values = row.values
        try:
            period = parse_period(values["period"].strip())
        except UsageError as err:
            self.problem(row, "period", err.message)
            return None
        activity = self.activities.get(values["activity"].strip())
        if activity is None:
            self.problem(row, "activity", f"there is no activity {values['activity']!r} in "
                         "the handlingsplan")
            return None
        self.summary(row, str(period))
        if period.year not in activity_years(activity):
            self.problem(row, "period", f"activity {activity.id!r} does not run in {period}")
            return None
        status = self.statuses.get(fold_name(values["status"]))
        if status is None:
            self.problem(row, "status", f"status {values['status']!r} is not valid: use "
                         f"{', '.join(ACTIVITY_STATUSES)}")
            return None
        data: dict[str, object] = {"activity": activity.id, "status": status}
        for key in ("comment", "reported_by"):
            if values.get(key, "").strip():
                data[key] = values[key].strip()
        if values.get("spent", "").strip():
            try:
                data["spent"] = parse_sek(values["spent"], "spent")
            except UsageError as err:
                self.problem(row, "spent", err.message)
                return None
        if values.get("date", "").strip():
            try:
                data["date"] = dt.date.fromisoformat(values["date"].strip())
            except ValueError:
                self.problem(row, "date", f"{values['date']!r} is not a date like 2021-09-15")
                return None
        return str(period), Report.model_validate(data)


def _period_docs(ws: Workspace, periods: list[str], result: FollowupImport
                 ) -> dict[str, Document[Uppfoljning]]:
    docs = {str(doc.model.period): doc for doc in ws.uppfoljningar}
    departments = ws.project.model.departments
    for name in periods:
        if name in docs:
            continue
        period = parse_period(name)
        model = Uppfoljning(schema_=UPPFOLJNING.schema, period=name,
                            departments=[d.id for d in departments if period.asks(d.cadence)])
        docs[name] = ws.store.new(UPPFOLJNING, model, ws.store.path(UPPFOLJNING, name),
                                  header=period_header(ws.language, name))
        result.opened.append(name)
    return docs


def import_followup(ws: Workspace, path: Path, dry_run: bool = False) -> FollowupImport:
    """Import follow-up reports from CSV/XLSX (see the module docstring), all or nothing."""
    columns = (*REQUIRED, *OPTIONAL)
    table = read_table(path, required=REQUIRED, optional=OPTIONAL, allow_extra=True,
                       aliases=aliases(columns), sheets=sheet_titles("followup"))
    if not table.rows:
        raise InputError("the file has a header row but no reports", path=table.display)
    result = FollowupImport(table.display, dry_run=dry_run, skipped=table.unknown)
    reader = _Rows(ws, table)
    parsed: list[tuple[str, Report]] = []
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        item = reader.parse(row)
        if item is None:
            continue
        key = (item[0], item[1].activity)
        if key in seen:
            reader.problem(row, "activity", f"{key[1]!r} is reported for {key[0]} again "
                           f"(first on row {seen[key]})")
            continue
        seen[key] = row.number
        parsed.append(item)
    if reader.problems:
        raise SchemaError(reader.problems)
    result.periods = list(dict.fromkeys(period for period, _ in parsed))
    docs = _period_docs(ws, result.periods, result)
    touched: list[Document[Uppfoljning]] = []
    for period, summary in reader.summaries.items():
        docs[period].model.summary = summary
        touched.append(docs[period])
    for period, report in parsed:
        doc = docs[period]
        reports = doc.model.reports
        index = next((i for i, r in enumerate(reports) if r.activity == report.activity), None)
        if index is None:
            reports.append(report)
        else:
            reports[index] = report
            result.replaced += 1
        if doc not in touched:
            touched.append(doc)
    result.reports = len(parsed)
    if not dry_run:
        result.written = list(ws.save(*touched))
    return result
