"""The method's clocks, read against today: revision, programme period, yearly follow-up,
remiss deadline.

The core never reads the clock: ``today`` comes from the CLI (the real date, or
``--today``). A clock that has run out is a warning in ``status``, ``validate`` and the
lägesbild; each is worded from the catalog in the language asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from studsa.errors import StudsaError
from studsa.periods import mandate_period, next_mandate_period
from studsa.storage.layout import PLAN, STRATEGI, UPPFOLJNING
from studsa.workflow.context import Workspace
from studsa.workflow.lagesbild import followup_periods
from studsa.workflow.notes import StatusNote
from studsa.workflow.plan import plan_start_year
from studsa.workflow.remiss import rounds, summarize

KINDS = ("revision_due", "revision_overdue", "programme_over", "followup_missing",
         "remiss_passed")


@dataclass(frozen=True)
class Clock:
    """One clock that has run out: what (``kind``), which file, and the facts to say it."""

    kind: str
    file: str
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, catalog: Mapping[str, str], *, report: bool = False,
             date: Callable[[dt.date], str] = dt.date.isoformat) -> str:
        """The warning in the language of ``catalog``: for the terminal (with the command
        that helps), or with ``report`` as a sentence for a committee's report; ``date``
        writes the dates (YYYY-MM-DD unless a report's formatter is given)."""
        key = f"method_report_{self.kind}" if report else f"method_clock_{self.kind}"
        values = {k: date(v) if isinstance(v, dt.date) else v for k, v in self.values.items()}
        return catalog[key].format(file=self.file, **values)

    def as_dict(self, catalog: Mapping[str, str]) -> dict[str, Any]:
        """JSON shape: kind, file, message and the facts (dates as YYYY-MM-DD)."""
        facts = {k: v.isoformat() if isinstance(v, dt.date) else v
                 for k, v in self.values.items()}
        return {"kind": self.kind, "file": self.file, "message": self.text(catalog), **facts}


def _revision(ws: Workspace, today: dt.date) -> list[Clock]:
    """The whole strategy is revised at least once per mandate period after its decision."""
    decided = [d.date for d in ws.project.model.decisions if d.deliverable == "strategi"]
    if not decided:
        return []
    last = max(decided)
    first_year, last_year = mandate_period(last.year)
    start, end = next_mandate_period(last.year)
    facts = {"decided": last, "mandate": f"{first_year}–{last_year}",
             "due": f"{start}–{end}", "today": today}
    if today.year > end:
        return [Clock("revision_overdue", STRATEGI.relpath, facts)]
    if today.year >= start:
        return [Clock("revision_due", STRATEGI.relpath, facts)]
    return []


def _activity_years(ws: Workspace) -> tuple[int | None, list[int]]:
    plan = ws.plan.model
    years = sorted({y for a in plan.activities for y in range(a.year, (a.end_year or a.year) + 1)})
    return plan_start_year(plan, ws.project.model.start_year), years


def _programme(ws: Workspace, today: dt.date) -> list[Clock]:
    """The handlingsplan's years (its start to its last activity) are all behind us."""
    start, years = _activity_years(ws)
    if not years:
        return []
    first, last = min([*years, *([start] if start else [])]), max(years)
    if today.year <= last:
        return []
    return [Clock("programme_over", PLAN.relpath, {
        "period": f"{first}–{last}", "years": today.year - last, "today": today,
        "next": today.year})]


def _yearly_followup(ws: Workspace, today: dt.date) -> list[Clock]:
    """Years with activities that have ended without a yearly follow-up."""
    _start, years = _activity_years(ws)
    done = {p.year for p, _ in followup_periods(ws) if not p.is_tertial}
    missing = [y for y in years if y < today.year and y not in done]
    if not missing:
        return []
    return [Clock("followup_missing", UPPFOLJNING.folder + "/", {
        "years": ", ".join(str(y) for y in missing), "first": missing[0], "today": today})]


def _remiss(ws: Workspace, today: dt.date) -> list[Clock]:
    """Rounds whose deadline has passed while recipients have not answered."""
    clocks = []
    for doc in rounds(ws):
        summary = summarize(ws, doc)
        if summary.missing and today > summary.deadline:
            clocks.append(Clock("remiss_passed", summary.file, {
                "deadline": summary.deadline, "missing": ", ".join(summary.missing),
                "today": today}))
    return clocks


CHECKS: tuple[Callable[[Workspace, dt.date], list[Clock]], ...] = (
    _revision, _programme, _yearly_followup, _remiss)


def clocks(ws: Workspace, today: dt.date | None = None, *, remiss: bool = True
           ) -> list[Clock]:
    """Every clock that has run out on ``today`` (default ``ws.today``; None: no clocks).

    A file a clock needs that cannot be read gives no clock (its problem is reported
    elsewhere); ``remiss=False`` leaves the remiss deadlines to ``remiss.status_notes``.
    """
    when = today or ws.today
    if when is None:
        return []
    found: list[Clock] = []
    for check in CHECKS:
        if check is _remiss and not remiss:
            continue
        try:
            found.extend(check(ws, when))
        except StudsaError:
            continue
    return found


def status_notes(ws: Workspace) -> list[StatusNote]:
    """The run-out clocks as warnings of ``studsa status`` (remiss has its own notes)."""
    from studsa.i18n import labels, terminal_language

    catalog = labels(terminal_language())
    return [StatusNote("warning", c.text(catalog), "clocks") for c in clocks(ws, remiss=False)]
