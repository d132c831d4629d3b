"""Follow-up's contribution to ``studsa status``: missing reports, the yearly follow-up and
the revision of the strategy.

Apart from ``followup.py`` so that ``studsa status`` loads only what it asks
(``followup`` re-exports both).
"""

from __future__ import annotations

from typing import Any

from studsa.periods import Period, mandate_period, next_mandate_period
from studsa.workflow.lagesbild import followup_periods, lagesbild_of
from studsa.workflow.plan import activity_years, plan_data


def next_step(ws: Any) -> str | None:
    """The next follow-up step: missing reports of the latest period, or the first period."""
    periods = followup_periods(ws)
    data = plan_data(ws)
    if periods:
        latest = periods[-1][0]
        picture = lagesbild_of(data, periods, latest)
        if picture.not_reported:
            names = ", ".join(d.name for d in picture.not_reported)
            return (f"collect the follow-up of {latest} from {names}: `studsa followup record "
                    f"ACTIVITY --period {latest} --status STATUS --comment TEXT`")
        return None
    if ws.plan.model.status == "decided" and data.plan.activities:
        first = min(a.year for a in data.plan.activities)
        return (f"when {first}'s follow-up is due, open it with `studsa followup new {first}` "
                f"(or `{first}-T1` for the departments that report per tertial)")
    return None


def status_notes(ws: Any) -> list[Any]:
    """Missing reports per period and department, the yearly follow-up and the revision."""
    from studsa.workflow.status import StatusNote

    data = plan_data(ws)
    periods = followup_periods(ws)
    notes: list[StatusNote] = []
    for period, _ in periods:
        picture = lagesbild_of(data, periods, period)
        for dept in picture.departments:
            if dept.asked and dept.activities and not dept.has_reported:
                notes.append(StatusNote(
                    "todo", f"{period}: {dept.department.name} has not reported "
                    f"({dept.activities} activities)", "uppfoljning"))
            elif dept.never_reported:
                notes.append(StatusNote(
                    "todo", f"{period}: {dept.department.name} has no status yet for "
                    + ", ".join(dept.never_reported), "uppfoljning"))
    notes += _yearly_notes(ws, data, periods)
    return notes


def _yearly_notes(ws: Any, data: Any, periods: list[tuple[Period, Any]]) -> list[Any]:
    from studsa.workflow.status import StatusNote

    notes = []
    years = sorted({y for a in data.plan.activities for y in activity_years(a)})
    annual = [p.year for p, _ in periods if not p.is_tertial]
    due = [y for y in years if not annual or y > max(annual)]
    if due:
        notes.append(StatusNote(
            "info", f"the yearly follow-up of {due[0]} goes with the budget and verksamhetsplan: "
            f"`studsa followup new {due[0]}` when the year closes", "uppfoljning"))
    project = ws.project.model
    decided = [d.date.year for d in project.decisions if d.deliverable == "strategi"]
    base = max(decided) if decided else (project.start_year or data.start_year)
    if base is None or not (decided or data.prioritized):
        return notes
    first, last = mandate_period(base)
    nxt = next_mandate_period(base)
    reached = max([p.year for p, _ in periods] + decided, default=base)
    what = "decided" if decided else "starts"
    if reached > last:
        notes.append(StatusNote(
            "warning", f"the strategy {what} {base} (mandate period {first}-{last}) and the "
            f"follow-up has reached {reached}: revise the whole strategy during "
            f"{mandate_period(reached)[0]}-{mandate_period(reached)[1]}", "uppfoljning"))
    else:
        notes.append(StatusNote(
            "info", f"revise the whole strategy at least once per mandate period: it {what} "
            f"{base} ({first}-{last}), next revision during {nxt[0]}-{nxt[1]}", "uppfoljning"))
    return notes
