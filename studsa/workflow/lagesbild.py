"""The lägesbild: each activity's status in a follow-up period, with carry-over.

Only changes need to be reported: an activity without a report in a period keeps the
status of its latest earlier report, marked as carried over. Everything here is pure
over gathered data; ``lagesbild(ws, period)`` is the entry point for reports.
"""

from __future__ import annotations

from dataclasses import dataclass

from studsa.errors import UsageError
from studsa.models.handlingsplan import ACTIVITY_STATUSES, Activity
from studsa.models.uppfoljning import Report, Uppfoljning
from studsa.periods import Period, parse_period
from studsa.workflow.context import Workspace
from studsa.workflow.overview import ActivityView, activity_view
from studsa.workflow.plan import (
    DepartmentRef,
    PlanData,
    activity_years,
    department_ref,
    plan_data,
)


@dataclass(frozen=True)
class KnownStatus:
    """An activity's status as of a period: this period's report or a carried one."""

    status: str
    report: Report
    period: str
    """The period the report was made in."""
    carried_over: bool
    """True when the report comes from an earlier period."""


def status_as_of(activity_id: str, period: Period,
                 periods: list[tuple[Period, Uppfoljning]]) -> KnownStatus | None:
    """The latest report on ``activity_id`` in ``period`` or before it (None: never)."""
    best: tuple[Period, Report] | None = None
    for when, model in periods:
        if when.sort_key > period.sort_key:
            continue
        for report in model.reports:
            if report.activity == activity_id and (best is None
                                                   or when.sort_key >= best[0].sort_key):
                best = (when, report)
    if best is None:
        return None
    when, report = best
    return KnownStatus(str(report.status), report, str(when), when != period)


@dataclass(frozen=True)
class StatusEntry:
    """One activity in the lägesbild."""

    activity: ActivityView
    status: str
    """The status as of the period; ``not_started`` (or the plan's status) if never reported."""
    reported: bool
    """Reported in this very period."""
    carried_over: bool
    """No report this period: the status is carried over from ``carried_from``."""
    carried_from: str | None
    """The earlier period the carried status comes from."""
    never_reported: bool
    """No report in this or any earlier period: the status is not known."""
    comment: str | None
    """The report's comment (the carried report's, when carried over)."""
    planned: int | None
    """Planned cost for the period's year (whole kronor), None if not given."""
    spent: int | None
    """Spent so far this year (whole kronor); carried only within the same year."""
    investment: bool
    """Whether the money is investment (else operating cost)."""
    reported_by: str | None
    date: str | None
    """ISO date of the report, if given."""


@dataclass(frozen=True)
class StatusCount:
    """How many activities have a status."""

    status: str
    count: int


@dataclass(frozen=True)
class DepartmentReporting:
    """How one department's reporting stands in the period."""

    department: DepartmentRef
    asked: bool
    """Whether the period asks this department (tertial periods ask tertial departments)."""
    activities: int
    reported: int
    """Activities reported in this period."""
    carried_over: int
    never_reported: tuple[str, ...]
    """Ids of its activities with no status at all yet."""
    has_reported: bool
    """At least one report this period."""


@dataclass(frozen=True)
class Lagesbild:
    """A follow-up period's picture of the plan, ready for a template."""

    period: str
    year: int
    tertial: int | None
    """1-3 for a tertial period, None for a whole year."""
    status: str
    """The period file's status: draft, review or decided."""
    summary: str | None
    previous: str | None
    """The period before this one, if any."""
    periods: tuple[str, ...]
    """Every follow-up period of the project, in order."""
    entries: tuple[StatusEntry, ...]
    """Activities of the asked departments running this year (and any reported anyway)."""
    counts: tuple[StatusCount, ...]
    """Per status, in the order not_started, ongoing, done, delayed, stopped; activities
    never reported are left out and counted in ``never_reported``."""
    never_reported: int
    carried_over: int
    delayed: tuple[StatusEntry, ...]
    stopped: tuple[StatusEntry, ...]
    departments: tuple[DepartmentReporting, ...]
    """Departments with activities this period, in studsa.yaml order."""
    not_reported: tuple[DepartmentRef, ...]
    """Asked departments with activities that have not reported anything this period."""
    planned_total: int
    """Planned cost this year of the period's activities (the asked departments' only)."""
    year_planned_total: int
    """Planned cost this year of every activity of the handlingsplan, asked or not."""
    spent_total: int
    """Sum of the known ``spent`` amounts."""
    planned_with_spent: int
    """Planned cost of the entries that report ``spent`` (to compare like with like)."""


def _entry(data: PlanData, activity: Activity, period: Period,
           periods: list[tuple[Period, Uppfoljning]]) -> StatusEntry:
    known = status_as_of(activity.id, period, periods)
    view = activity_view(data, activity)
    if known is None:
        return StatusEntry(view, str(activity.status or "not_started"), False, False, None,
                           True, None, activity.cost, None, activity.investment, None, None)
    report = known.report
    same_year = parse_period(known.period).year == period.year
    return StatusEntry(
        activity=view, status=known.status, reported=not known.carried_over,
        carried_over=known.carried_over,
        carried_from=known.period if known.carried_over else None,
        never_reported=False, comment=report.comment, planned=activity.cost,
        spent=report.spent if same_year else None, investment=activity.investment,
        reported_by=report.reported_by,
        date=report.date.isoformat() if report.date else None,
    )


def lagesbild_of(data: PlanData, periods: list[tuple[Period, Uppfoljning]],
                 period: Period) -> Lagesbild:
    """Compute the lägesbild of ``period`` (pure); ``periods`` are every period's models."""
    current = next((m for p, m in periods if p == period), None)
    if current is None:
        raise UsageError(f"there is no follow-up period {period}")
    asked = set(current.departments)
    reported_ids = {r.activity for r in current.reports}
    chosen = [a for a in data.plan.activities
              if (period.year in activity_years(a) and a.department in asked)
              or a.id in reported_ids]
    order = {c: i for i, c in enumerate(data.prioritized)}
    chosen.sort(key=lambda a: (order.get(a.challenge, len(order)), a.challenge, a.department,
                               a.year, a.id))
    entries = tuple(_entry(data, a, period, periods) for a in chosen)
    known = [e for e in entries if not e.never_reported]
    counts = tuple(StatusCount(s, sum(1 for e in known if e.status == s))
                   for s in ACTIVITY_STATUSES)
    departments = []
    dept_ids = [d.id for d in data.departments]
    dept_ids += sorted({e.activity.department for e in entries} - set(dept_ids))
    for dept_id in dept_ids:
        mine = [e for e in entries if e.activity.department == dept_id]
        if not mine and dept_id not in asked:
            continue
        reported = sum(1 for e in mine if e.reported)
        departments.append(DepartmentReporting(
            department=department_ref(data.department(dept_id), dept_id),
            asked=dept_id in asked, activities=len(mine), reported=reported,
            carried_over=sum(1 for e in mine if e.carried_over),
            never_reported=tuple(e.activity.id for e in mine if e.never_reported),
            has_reported=reported > 0,
        ))
    ordered = [p for p, _ in sorted(periods, key=lambda item: item[0].sort_key)]
    index = ordered.index(period)
    with_spent = [e for e in entries if e.spent is not None]
    return Lagesbild(
        period=str(period), year=period.year, tertial=period.tertial,
        status=str(current.status), summary=current.summary,
        previous=str(ordered[index - 1]) if index > 0 else None,
        periods=tuple(str(p) for p in ordered),
        entries=entries, counts=counts,
        never_reported=sum(1 for e in entries if e.never_reported),
        carried_over=sum(1 for e in entries if e.carried_over),
        delayed=tuple(e for e in entries if e.status == "delayed" and not e.never_reported),
        stopped=tuple(e for e in entries if e.status == "stopped" and not e.never_reported),
        departments=tuple(departments),
        not_reported=tuple(d.department for d in departments
                           if d.asked and d.activities and not d.has_reported),
        planned_total=sum(e.planned or 0 for e in entries),
        year_planned_total=sum(a.cost or 0 for a in data.plan.activities
                               if period.year in activity_years(a)),
        spent_total=sum(e.spent or 0 for e in with_spent),
        planned_with_spent=sum(e.planned or 0 for e in with_spent),
    )


def followup_periods(ws: Workspace) -> list[tuple[Period, Uppfoljning]]:
    """Every follow-up period of ``ws`` with its model, in chronological order."""
    items = [(parse_period(doc.model.period), doc.model) for doc in ws.uppfoljningar]
    return sorted(items, key=lambda item: item[0].sort_key)


def lagesbild(ws: Workspace, period: str | None = None) -> Lagesbild:
    """The lägesbild of ``period`` (default: the latest period) of the project in ``ws``."""
    periods = followup_periods(ws)
    if not periods:
        raise UsageError("there is no follow-up period yet; open one with `studsa followup "
                         "new 2021` (a year) or `studsa followup new 2021-T2` (a tertial)")
    wanted = parse_period(period) if period is not None else periods[-1][0]
    if all(p != wanted for p, _ in periods):
        known = ", ".join(str(p) for p, _ in periods)
        raise UsageError(f"there is no follow-up period {wanted}; periods: {known}")
    return lagesbild_of(plan_data(ws), periods, wanted)
