"""Follow-up (uppföljning): periods, reports, and the follow-up's part of ``studsa status``.

A year (``2021``) asks every department; a tertial (``2021-T2``) asks only those that
report per tertial. Only changes need to be entered: an activity not reported keeps
its last status, marked as carried over (see ``workflow/lagesbild.py``). The year
roll-over is in ``workflow/rollover.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError
from studsa.i18n import and_list, count, message
from studsa.models.handlingsplan import activity_years
from studsa.models.uppfoljning import Report, Uppfoljning
from studsa.periods import Period, mandate_period, next_mandate_period, parse_period
from studsa.storage.document import Document
from studsa.storage.layout import UPPFOLJNING
from studsa.workflow.context import Workspace
from studsa.workflow.followup_state import period_decisions, refuse_if_decided
from studsa.workflow.lagesbild import (
    Lagesbild,
    followup_periods,
    lagesbild,
    lagesbild_of,
)
from studsa.workflow.notes import StatusNote
from studsa.workflow.plan import (
    DepartmentRef,
    PlanData,
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


def period_header(language: str, period: str) -> str:
    """The comment at the top of a new follow-up file, in the project's language."""
    return _HEADER.get(language, _HEADER["en"]).format(period=period)


@dataclass(frozen=True)
class NewPeriod:
    """What ``followup new`` opened."""

    period: str
    file: str
    asked: tuple[DepartmentRef, ...]
    activities: dict[str, int]
    """Activities running in the period's year, per asked department id."""
    left_out: tuple[DepartmentRef, ...] = ()
    """Departments the cadence would ask that have no activity in the period's year."""


def new_period(ws: Workspace, period_text: str) -> NewPeriod:
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
    by_cadence = [d for d in departments if period.asks(d.cadence)]
    if not by_cadence:
        raise UsageError(
            f"no department reports per tertial, so {period} would ask nobody; use the year "
            f"({period.year}) or set one with `studsa department edit D --cadence tertial`"
        )
    plan = ws.plan.model
    running = {d.id: sum(1 for a in plan.activities
                         if a.department == d.id and period.year in activity_years(a))
               for d in by_cadence}
    # Reporting costs the departments time (seed 000): ask only those with something to
    # report. When no activity runs in the period at all, nobody is asked.
    asked = [d for d in by_cadence if running[d.id]]
    left_out = [d for d in by_cadence if not running[d.id]]
    model = Uppfoljning(schema_=UPPFOLJNING.schema, period=str(period),
                        departments=[d.id for d in asked])
    header = period_header(ws.language, str(period))
    doc = ws.store.new(UPPFOLJNING, model, path, header=header)
    ws.save(doc)
    return NewPeriod(str(period), doc.display, tuple(department_ref(d, d.id) for d in asked),
                     running, tuple(department_ref(d, d.id) for d in left_out))


def _period_doc(ws: Workspace, period: Period) -> Document[Uppfoljning]:
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


def record(ws: Workspace, activity_id: str, period_text: str, status: str, *,
           comment: str | None = None, spent: int | None = None, by: str | None = None,
           date: str | None = None, force: bool = False) -> Recorded:
    """Record (or update) an activity's status in a period.

    A decided period is refused unless ``force`` (the change starts its next version)."""
    period = parse_period(period_text)
    data = plan_data(ws)
    activity = find_activity(data, activity_id)
    check_status(status)
    doc = _period_doc(ws, period)
    refuse_if_decided(ws, doc, force)
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
    model: Uppfoljning = doc.model
    if activity.department not in model.departments:
        dept = next((d for d in ws.project.model.departments if d.id == activity.department),
                    None)
        if dept is not None and period.asks(dept.cadence):
            # It had no activity in the period when it was opened: it is asked from now on.
            model.departments.append(dept.id)
            notes.append(message("method_followup_now_asked", department=dept.name,
                                 period=period))
        else:
            notes.append(f"department {activity.department!r} is not asked in {period} (it "
                         "reports annually); the report is recorded anyway")
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


def list_periods(ws: Workspace) -> list[PeriodRow]:
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


# status ------------------------------------------------------------------------------


def next_step(ws: Workspace) -> str | None:
    """The next follow-up step: missing reports of the latest period, or the first period."""
    periods = followup_periods(ws)
    data = plan_data(ws)
    if periods:
        latest = periods[-1][0]
        picture = lagesbild_of(data, periods, latest)
        if picture.not_reported:
            names = and_list(d.name for d in picture.not_reported)
            return message("wf_next_collect", period=latest, names=names)
        return None
    if ws.plan.model.status == "decided" and data.plan.activities:
        first = min(a.year for a in data.plan.activities)
        return message("wf_next_followup", year=first)
    return None


def status_notes(ws: Workspace) -> list[StatusNote]:
    """Missing reports per period and department, the yearly follow-up and the revision."""
    data = plan_data(ws)
    periods = followup_periods(ws)
    notes: list[StatusNote] = []
    for period, model in periods:
        if model.status in {"reported", "decided"} and model.reported is not None:
            notes.append(StatusNote("info", state_sentence(ws, model), "uppfoljning"))
        picture = lagesbild_of(data, periods, period)
        for dept in picture.departments:
            if dept.asked and dept.activities and not dept.has_reported:
                notes.append(StatusNote(
                    "todo", message("wf_note_not_reported", period=period,
                                    department=dept.department.name,
                                    activities=count("wf_activities", dept.activities)),
                    "uppfoljning"))
            elif dept.never_reported:
                notes.append(StatusNote(
                    "todo", message("wf_note_no_status", period=period,
                                    department=dept.department.name,
                                    ids=", ".join(dept.never_reported)), "uppfoljning"))
    notes += _yearly_notes(ws, data, periods)
    return notes


def state_sentence(ws: Workspace, model: Uppfoljning) -> str:
    """``lägesbild 2021: rapporterad till Tekniska nämnden 2021-10-12`` (or decided)."""
    if model.status == "decided":
        decided = period_decisions(ws, str(model.period))
        if decided:
            last = decided[-1]
            where = f" {last.paragraph}" if last.paragraph else ""
            return message("method_followup_state_decided", period=model.period, by=last.by,
                           date=last.date.isoformat(), where=where, version=last.version)
    reported = model.reported
    return message("method_followup_state_reported", period=model.period,
                   to=reported.to if reported else "?",
                   date=reported.date.isoformat() if reported else "?")


def _yearly_notes(ws: Workspace, data: PlanData, periods: list[tuple[Period, Uppfoljning]]
                  ) -> list[StatusNote]:
    notes = []
    years = sorted({y for a in data.plan.activities for y in activity_years(a)})
    annual = [p.year for p, _ in periods if not p.is_tertial]
    due = [y for y in years if not annual or y > max(annual)]
    if due:
        notes.append(StatusNote(
            "info", message("wf_note_yearly", year=due[0]), "uppfoljning"))
    project = ws.project.model
    decided = [d.date.year for d in project.decisions if d.deliverable == "strategi"]
    base = max(decided) if decided else (project.start_year or data.start_year)
    if base is None or not (decided or data.prioritized):
        return notes
    first, last = mandate_period(base)
    nxt = next_mandate_period(base)
    reached = max([p.year for p, _ in periods] + decided, default=base)
    what = message("wf_strategy_decided" if decided else "wf_strategy_starts", year=base)
    if reached > last:
        now = mandate_period(reached)
        notes.append(StatusNote(
            "warning", message("wf_note_revise_now", what=what, first=first, last=last,
                               reached=reached, start=now[0], end=now[1]), "uppfoljning"))
    elif not (decided and ws.today is not None and ws.today.year >= nxt[0]):
        # (once the next mandate period has begun, workflow.clocks warns instead)
        notes.append(StatusNote(
            "info", message("wf_note_revise", what=what, first=first, last=last,
                            start=nxt[0], end=nxt[1]), "uppfoljning"))
    return notes
