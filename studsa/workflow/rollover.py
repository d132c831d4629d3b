"""The year roll-over: next year's activities proposed from this year's unfinished ones."""

from __future__ import annotations

from dataclasses import dataclass

from studsa.errors import UsageError
from studsa.models.handlingsplan import UNFINISHED_STATUSES, Activity, activity_years
from studsa.periods import Period, parse_period
from studsa.workflow.activities import check_activity
from studsa.workflow.context import Workspace
from studsa.workflow.lagesbild import followup_periods, status_as_of
from studsa.workflow.plan import find_activity, plan_data


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


def propose_rollover(ws: Workspace, year: int, skip: tuple[str, ...] = ()) -> RolloverProposal:
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


def apply_rollover(ws: Workspace, proposal: RolloverProposal) -> list[Activity]:
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
