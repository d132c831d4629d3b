"""Phase 4 activities: add, edit, remove and list the plan's yearly activities."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from studsa.errors import ConflictError, UsageError
from studsa.i18n import message
from studsa.ids import check_id, new_id
from studsa.models.handlingsplan import Activity, Indicator
from studsa.workflow.context import Workspace
from studsa.workflow.overview import ActivityView, activity_view
from studsa.workflow.plan import (
    PlanData,
    check_status,
    find_activity,
    find_department,
    plan_data,
    require_challenge,
)

# activities --------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInput:
    """Indicator options from the command line (``None``: not given)."""

    text: str | None = None
    kolada: str | None = None
    baseline: float | None = None
    target: float | None = None
    target_year: int | None = None
    unit: str | None = None

    def given(self) -> bool:
        """Whether any indicator option was given."""
        return any(v is not None for v in vars(self).values())


def apply_indicator(current: str | Indicator | None, given: IndicatorInput
                    ) -> str | Indicator | None:
    """Merge indicator options into an activity's indicator (plain text stays a string)."""
    if not given.given():
        return current
    base = Indicator(text=current) if isinstance(current, str) else (
        current.model_copy() if current is not None else Indicator())
    updates = {k: v for k, v in vars(given).items() if v is not None}
    if "kolada" in updates:
        code = str(updates["kolada"]).strip().upper()
        if not code:
            updates["kolada"] = None
        elif not (len(code) == 6 and code[0] in "NU" and code[1:].isascii() and code[1:].isdigit()):
            raise UsageError(message("err_kolada", id=given.kolada))
        else:
            updates["kolada"] = code
    if "text" in updates:
        updates["text"] = updates["text"].strip() or None
    merged = base.model_copy(update=updates)
    fields = merged.model_dump(exclude_none=True)
    if not fields:
        return None
    if set(fields) == {"text"}:
        return str(merged.text)
    return Indicator.model_validate(fields)


def check_activity(data: PlanData, activity: Activity) -> None:
    """Refuse an activity that validate would flag (references, role, years, horizon)."""
    require_challenge(data, activity.challenge)
    find_department(data.departments, activity.department)
    placement = data.placement(activity.challenge)
    if placement is None or not placement.lead:
        raise ConflictError(message("err_activity_no_lead", challenge=activity.challenge))
    if activity.department != placement.lead and activity.department not in placement.contributes:
        raise ConflictError(message("err_activity_department_role",
                                    department=activity.department, challenge=activity.challenge))
    if activity.end_year is not None and activity.end_year < activity.year:
        raise UsageError(message("err_end_before_year", end=activity.end_year,
                                 year=activity.year))
    span = data.horizon(activity.challenge)
    last = activity.end_year or activity.year
    if span is not None and not (span.contains(activity.year) and span.contains(last)):
        years = activity.year if last == activity.year else f"{activity.year}-{last}"
        raise UsageError(message("err_outside_horizon", years=years,
                                 challenge=activity.challenge, code=span.code,
                                 first=span.first_year, last=span.last_year))


def add_activity(ws: Workspace, challenge: str, title: str, department: str, year: int, *,
                 end_year: int | None = None, activity_id: str | None = None,
                 cost: int | None = None, investment: bool = False,
                 indicator: IndicatorInput | None = None, description: str | None = None
                 ) -> Activity:
    """Add a yearly activity to a prioritized challenge."""
    data = plan_data(ws)
    if not title.strip():
        raise UsageError(message("err_activity_title"))
    require_challenge(data, challenge)
    dept = find_department(data.departments, department)
    taken = {a.id for a in data.plan.activities}
    activity = Activity(
        id=new_id(title, activity_id, taken, "activity id"), title=title.strip(),
        challenge=challenge, department=dept.id, year=_year(year, "--year"),
        end_year=_year(end_year, "--end-year") if end_year is not None else None,
        cost=cost, investment=investment,
        indicator=apply_indicator(None, indicator or IndicatorInput()),
        description=description or None,
    )
    check_activity(data, activity)
    data.plan.activities.append(activity)
    ws.save(ws.plan)
    return activity


def _year(value: int, what: str) -> int:
    if not 1900 <= value <= 2200:
        raise UsageError(message("err_year_implausible", what=what, value=value))
    return value


@dataclass(frozen=True)
class ActivityChanges:
    """``activity edit`` options (``None``: leave as it is)."""

    title: str | None = None
    challenge: str | None = None
    department: str | None = None
    year: int | None = None
    end_year: int | None = None
    cost: int | None = None
    investment: bool | None = None
    status: str | None = None
    description: str | None = None
    indicator: IndicatorInput = IndicatorInput()


def edit_activity(ws: Workspace, activity_id: str, changes: ActivityChanges) -> Activity:
    """Change an activity's fields, checked like a new one."""
    data = plan_data(ws)
    current = find_activity(data, activity_id)
    update = _update_of(data, current, changes)
    if not update:
        raise UsageError(message("err_nothing_to_change"))
    edited = Activity.model_validate({**current.model_dump(), **update})
    check_activity(data, edited)
    for key, value in update.items():
        setattr(current, key, value)
    ws.save(ws.plan)
    return current


def _update_of(data: PlanData, current: Activity, changes: ActivityChanges) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if changes.title is not None:
        if not changes.title.strip():
            raise UsageError(message("err_activity_title"))
        update["title"] = changes.title.strip()
    if changes.challenge is not None:
        update["challenge"] = check_id(changes.challenge, "challenge id")
    if changes.department is not None:
        update["department"] = find_department(data.departments, changes.department).id
    if changes.year is not None:
        update["year"] = _year(changes.year, "--year")
    if changes.end_year is not None:
        # 0 clears the end year: the activity runs one year only.
        update["end_year"] = (None if changes.end_year == 0
                              else _year(changes.end_year, "--end-year"))
    if changes.cost is not None:
        update["cost"] = changes.cost
    if changes.investment is not None:
        update["investment"] = changes.investment
    if changes.description is not None:
        update["description"] = changes.description.strip() or None
    if changes.status is not None:
        update["status"] = check_status(changes.status)
    if changes.indicator.given():
        update["indicator"] = apply_indicator(current.indicator, changes.indicator)
    return update


def remove_activity(ws: Workspace, activity_id: str) -> Activity:
    """Remove an activity that no follow-up report refers to."""
    data = plan_data(ws)
    activity = find_activity(data, activity_id)
    periods = [str(doc.model.period) for doc in ws.uppfoljningar
               if any(r.activity == activity.id for r in doc.model.reports)]
    if periods:
        raise ConflictError(message("err_activity_has_reports", id=activity.id,
                                    periods=", ".join(periods)))
    data.plan.activities = [a for a in data.plan.activities if a.id != activity.id]
    ws.save(ws.plan)
    return activity


def list_activities(ws: Workspace, department: str | None = None, year: int | None = None,
                    challenge: str | None = None) -> list[ActivityView]:
    """Activities in plan order, optionally of one department, year or challenge."""
    data = plan_data(ws)
    dept_id = find_department(data.departments, department).id if department else None
    views = [activity_view(data, a) for a in data.plan.activities]
    return [
        v for v in views
        if (dept_id is None or v.department == dept_id)
        and (year is None or year in v.years)
        and (challenge is None or v.challenge == challenge)
    ]



def activity_dict(view: ActivityView) -> dict[str, Any]:
    """JSON shape of an activity for ``activity list --json``."""
    data = asdict(view)
    data["years"] = list(view.years)
    return data
