"""Follow-up (uppföljning): periods, reports, the lägesbild and the year roll-over.

A year (``2021``) asks every department; a tertial (``2021-T2``) asks only those that
report per tertial. Only changes need to be entered: an activity not reported keeps
its last status, marked as carried over (see ``workflow/lagesbild.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError
from studsa.models.handlingsplan import UNFINISHED_STATUSES, Activity
from studsa.models.uppfoljning import Report, Uppfoljning
from studsa.periods import Period, parse_period
from studsa.storage.layout import UPPFOLJNING
from studsa.workflow.activities import check_activity
from studsa.workflow.followup_status import next_step, status_notes
from studsa.workflow.lagesbild import (
    Lagesbild,
    followup_periods,
    lagesbild,
    lagesbild_of,
    status_as_of,
)
from studsa.workflow.plan import (
    DepartmentRef,
    activity_years,
    check_status,
    department_ref,
    find_activity,
    plan_data,
)

__all__ = ["Lagesbild", "lagesbild", "next_step", "status_notes"]

_HEADER = {
    "sv": ("# Uppföljning för perioden {period}: en rapport per aktivitet.\n"
           "# Rapportera bara det som ändrats: en aktivitet utan rapport behåller sin senaste\n"
           "# status (markeras som överförd). Använd `studsa followup record` eller skriv här.\n"
           "# status: not_started, ongoing, done, delayed eller stopped; spent: använt i kr.\n"),
    "en": ("# Follow-up of the period {period}: one report per activity.\n"
           "# Report only what changed: an activity without a report keeps its latest\n"
           "# status (marked as carried over). Use `studsa followup record` or edit here.\n"
           "# status: not_started, ongoing, done, delayed or stopped; spent: in SEK.\n"),
}


@dataclass(frozen=True)
class NewPeriod:
    """What ``followup new`` opened."""

    period: str
    file: str
    asked: tuple[DepartmentRef, ...]
    activities: dict[str, int]
    """Activities running in the period's year, per asked department id."""


def new_period(ws: Any, period_text: str) -> NewPeriod:
    """Open a follow-up period, asking the departments its cadence calls for."""
    period = parse_period(period_text)
    path = ws.store.path(UPPFOLJNING, str(period))
    if path.exists():
        raise UsageError(f"the follow-up period {period} already exists "
                         f"({ws.store.rel(path)}); record reports with `studsa followup record`")
    departments = ws.project.model.departments
    if not departments:
        raise UsageError("there are no departments to ask; add them with `studsa department "
                         "add NAME --cadence tertial|annual`")
    asked = [d for d in departments if period.asks(d.cadence)]
    if not asked:
        raise UsageError(
            f"no department reports per tertial, so {period} would ask nobody; use the year "
            f"({period.year}) or set one with `studsa department edit D --cadence tertial`"
        )
    plan = ws.plan.model
    running = {d.id: sum(1 for a in plan.activities
                         if a.department == d.id and period.year in activity_years(a))
               for d in asked}
    model = Uppfoljning(schema=UPPFOLJNING.schema, period=str(period),
                        departments=[d.id for d in asked])
    header = _HEADER.get(ws.language, _HEADER["en"]).format(period=period)
    doc = ws.store.new(UPPFOLJNING, model, path, header=header)
    ws.save(doc)
    return NewPeriod(str(period), doc.display, tuple(department_ref(d, d.id) for d in asked),
                     running)


def _period_doc(ws: Any, period: Period) -> Any:
    for doc in ws.uppfoljningar:
        if str(doc.model.period) == str(period):
            return doc
    raise UsageError(f"the follow-up period {period} is not open yet; open it with "
                     f"`studsa followup new {period}`")


@dataclass(frozen=True)
class Recorded:
    """What ``followup record`` did."""

    report: Report
    period: str
    replaced: bool
    """True when the activity already had a report in the period (now updated)."""
    notes: tuple[str, ...]


def record(ws: Any, activity_id: str, period_text: str, status: str, *,
           comment: str | None = None, spent: int | None = None, by: str | None = None,
           date: str | None = None) -> Recorded:
    """Record (or update) an activity's status in a period."""
    period = parse_period(period_text)
    data = plan_data(ws)
    activity = find_activity(data, activity_id)
    check_status(status)
    doc = _period_doc(ws, period)
    if period.year not in activity_years(activity):
        years = activity_years(activity)
        span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        raise UsageError(f"activity {activity.id!r} runs {span}, not in period {period}")
    when = None
    if date is not None:
        try:
            when = dt.date.fromisoformat(date)
        except ValueError:
            raise UsageError(f"--date {date!r} is not a date like 2021-09-15") from None
    notes = []
    if activity.department not in doc.model.departments:
        notes.append(f"department {activity.department!r} is not asked in {period} (it "
                     "reports annually); the report is recorded anyway")
    model: Uppfoljning = doc.model
    existing = next((r for r in model.reports if r.activity == activity.id), None)
    values: dict[str, Any] = {"activity": activity.id, "status": status}
    if existing is not None:
        values = {**existing.model_dump(exclude_none=True), **values}
    for key, value in (("comment", comment), ("spent", spent), ("reported_by", by),
                       ("date", when)):
        if value is not None:
            values[key] = None if value == "" else value
    report = Report.model_validate(values)
    if existing is not None:
        model.reports[model.reports.index(existing)] = report
    else:
        model.reports.append(report)
    ws.save(doc)
    return Recorded(report, str(period), existing is not None, tuple(notes))


@dataclass(frozen=True)
class PeriodRow:
    """One follow-up period for ``followup list``."""

    period: str
    status: str
    asked: tuple[str, ...]
    reports: int
    activities: int
    not_reported: tuple[str, ...]
    never_reported: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON shape: ``id`` and ``title`` are the period."""
        return {"id": self.period, "title": self.period, "period": self.period,
                "status": self.status, "departments": list(self.asked),
                "reports": self.reports, "activities": self.activities,
                "not_reported": list(self.not_reported),
                "never_reported": list(self.never_reported)}


def list_periods(ws: Any) -> list[PeriodRow]:
    """Every period with how many reports it has and who has not reported."""
    data = plan_data(ws)
    periods = followup_periods(ws)
    rows = []
    for period, model in periods:
        picture = lagesbild_of(data, periods, period)
        rows.append(PeriodRow(
            period=str(period), status=str(model.status), asked=tuple(model.departments),
            reports=len(model.reports), activities=len(picture.entries),
            not_reported=tuple(d.id for d in picture.not_reported),
            never_reported=tuple(e.activity.id for e in picture.entries if e.never_reported),
        ))
    return rows


# roll-over ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RolloverItem:
    """One unfinished activity proposed for next year."""

    source: str
    title: str
    status: str
    status_period: str | None
    """The period the status was reported in (None: never reported, counts as not started)."""
    new_id: str
    department: str
    cost: int | None
    cost_note: str | None
    """How the proposed cost was derived, when it differs from the planned cost."""
    investment: bool
    problem: str | None
    """Why it cannot be carried as is (e.g. the year is outside the horizon)."""


@dataclass(frozen=True)
class RolloverProposal:
    """Next year's activities proposed from this year's unfinished ones."""

    year: int
    to_year: int
    items: tuple[RolloverItem, ...]
    finished: tuple[str, ...]
    """Done or stopped: not carried."""
    continuing: tuple[str, ...]
    """Running beyond ``year`` already: nothing to carry."""
    already: tuple[str, ...]
    """Carried over before (an activity names them in ``carried_from``)."""
    skipped: tuple[str, ...]
    """Left out by the user (``--skip``)."""
    periods: tuple[str, ...]
    """Follow-up periods of ``year`` the statuses come from."""


def _rolled_id(activity_id: str, year: int, taken: set[str]) -> str:
    suffix = f"-{year}"
    base = activity_id[: -len(str(year - 1)) - 1] if activity_id.endswith(f"-{year - 1}") \
        else activity_id
    base = base[: 64 - len(suffix) - 3]
    candidate, n = f"{base}{suffix}", 2
    while candidate in taken:
        candidate = f"{base}{suffix}-{n}"
        n += 1
    return candidate


def propose_rollover(ws: Any, year: int, skip: tuple[str, ...] = ()) -> RolloverProposal:
    """Propose carrying ``year``'s unfinished activities into the next year (writes nothing)."""
    data = plan_data(ws)
    periods = followup_periods(ws)
    for activity_id in skip:
        find_activity(data, activity_id)
    end_of_year = Period(year)
    carried = {a.carried_from for a in data.plan.activities if a.carried_from}
    taken = {a.id for a in data.plan.activities}
    items, finished, continuing, already, skipped = [], [], [], [], []
    for activity in data.plan.activities:
        years = activity_years(activity)
        if year not in years:
            continue
        if years[-1] > year:
            continuing.append(activity.id)
            continue
        if activity.id in carried:
            already.append(activity.id)
            continue
        known = status_as_of(activity.id, end_of_year, periods)
        status = known.status if known else str(activity.status or "not_started")
        if status not in UNFINISHED_STATUSES:
            finished.append(activity.id)
            continue
        if activity.id in skip:
            skipped.append(activity.id)
            continue
        new_id = _rolled_id(activity.id, year + 1, taken)
        taken.add(new_id)
        cost, note = activity.cost, None
        spent = known.report.spent if known and parse_period(known.period).year == year else None
        if activity.cost is not None and spent is not None and 0 < spent < activity.cost:
            cost = activity.cost - spent
            note = f"{activity.cost} planned - {spent} spent"
        candidate = _carried_activity(activity, new_id, year + 1, cost)
        try:
            check_activity(data, candidate)
            problem = None
        except UsageError as err:
            problem = err.message
        items.append(RolloverItem(
            source=activity.id, title=activity.title, status=status,
            status_period=known.period if known else None, new_id=new_id,
            department=activity.department, cost=cost, cost_note=note,
            investment=activity.investment, problem=problem,
        ))
    return RolloverProposal(
        year=year, to_year=year + 1, items=tuple(items), finished=tuple(finished),
        continuing=tuple(continuing), already=tuple(already), skipped=tuple(skipped),
        periods=tuple(str(p) for p, _ in periods if p.year == year),
    )


def _carried_activity(activity: Activity, new_id: str, year: int, cost: int | None) -> Activity:
    values = activity.model_dump(exclude_none=True)
    values.update(id=new_id, year=year, cost=cost, carried_from=activity.id)
    for key in ("end_year", "status"):
        values.pop(key, None)
    return Activity.model_validate(values)


def apply_rollover(ws: Any, proposal: RolloverProposal) -> list[Activity]:
    """Write the proposal's carriable items as new activities; return them."""
    data = plan_data(ws)
    created = []
    for item in proposal.items:
        if item.problem is not None:
            continue
        source = find_activity(data, item.source)
        created.append(_carried_activity(source, item.new_id, proposal.to_year, item.cost))
    if created:
        data.plan.activities.extend(created)
        ws.save(ws.plan)
    return created
