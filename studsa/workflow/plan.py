"""Phase 4 data shared by its use cases: lookups, amounts and the reporting load.

``plan_data(ws)`` gathers the models once; the rest is pure over that data.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from studsa.errors import ConflictError, StudsaError, UsageError
from studsa.i18n import message
from studsa.models.handlingsplan import ACTIVITY_STATUSES, Activity, Handlingsplan, activity_years
from studsa.models.project import Department
from studsa.periods import HorizonSpan, horizon_span, reports_per_year
from studsa.workflow.context import Workspace

CADENCES = ("tertial", "annual")
LOAD_RATIO = 2.0
"""A tertial department is flagged when its share of the reports is at least this many
times its share of the plan (its share of the year's planned cost, or of its activities
when the year has no costs)."""

_SEK_RE = re.compile(r"^([0-9]+)$")


def parse_sek(text: str | int, what: str | None = None) -> int:
    """Parse an amount in whole kronor: ``2500000``, ``2 500 000``, ``2_500_000 kr``."""
    what = what or message("err_amount")
    if isinstance(text, int):
        value = text
    else:
        cleaned = re.sub(r"(?i)\s*(kr|sek|:-)\.?$", "", str(text).strip())
        cleaned = re.sub(r"[\s_\u00a0\u202f]", "", cleaned)
        if not _SEK_RE.match(cleaned):
            raise UsageError(message("err_sek_not_whole", what=what, text=text))
        value = int(cleaned)
    if value < 0:
        raise UsageError(message("err_sek_negative", what=what))
    return value


@dataclass
class PlanData:
    """The models phase 4 works on, gathered from a workspace once."""

    plan: Handlingsplan
    departments: list[Department]
    challenge_titles: dict[str, str]
    challenge_themes: dict[str, str]
    theme_titles: dict[str, str]
    prioritized: list[str]
    start_year: int | None
    out_of_scope: set[str] = field(default_factory=set)
    _indexes: dict[str, tuple[Any, dict[str, Any]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def _lookup(self, name: str, items: list[Any], attr: str, key: str) -> Any:
        """The first item whose ``attr`` is ``key``, through an index built once.

        The index is rebuilt when the list (or its length) changes; a hit is checked
        and a miss falls back to a scan, so items edited in place are still found."""
        stamp = (id(items), len(items))
        cached = self._indexes.get(name)
        if cached is None or cached[0] != stamp:
            index: dict[str, Any] = {}
            for item in items:
                index.setdefault(getattr(item, attr), item)
            cached = (stamp, index)
            self._indexes[name] = cached
        found = cached[1].get(key)
        if found is not None and getattr(found, attr) == key:
            return found
        return next((item for item in items if getattr(item, attr) == key), None)

    def department(self, dept_id: str) -> Department | None:
        """The department with ``dept_id``, if any."""
        result: Department | None = self._lookup("departments", self.departments, "id",
                                                 dept_id)
        return result

    def placement(self, challenge: str) -> Any:
        """The placement of ``challenge`` (the first, if the file holds duplicates)."""
        return self._lookup("placements", self.plan.placements, "challenge", challenge)

    def horizon(self, challenge: str) -> HorizonSpan | None:
        """The challenge's horizon in years, when it and the start year are known."""
        placement = self.placement(challenge)
        if placement is None or not placement.horizon or self.start_year is None:
            return None
        try:
            return horizon_span(placement.horizon, self.start_year)
        except StudsaError:
            return None


def plan_start_year(plan: Handlingsplan, project_start: int | None) -> int | None:
    """The year the plan starts: the plan's ``start_year``, else the project's, else the
    first activity year."""
    if plan.start_year is not None:
        return int(plan.start_year)
    if project_start is not None:
        return int(project_start)
    years = [a.year for a in plan.activities]
    return min(years) if years else None


def plan_data(ws: Workspace) -> PlanData:
    """Gather the project, challenge map, selection and plan of ``ws``."""
    project = ws.project.model
    karta = ws.karta.model
    strategi = ws.strategi.model
    plan = ws.plan.model
    selection = strategi.selection.challenges if strategi.selection else []
    return PlanData(
        plan=plan,
        departments=list(project.departments),
        challenge_titles={c.id: c.title for c in karta.challenges},
        challenge_themes={c.id: c.theme for c in karta.challenges},
        theme_titles={t.id: t.title for t in karta.themes},
        prioritized=list(dict.fromkeys(selection)),
        start_year=plan_start_year(plan, project.start_year),
        out_of_scope={c.id for c in karta.challenges if c.out_of_scope},
    )


@dataclass(frozen=True)
class DepartmentRef:
    """A department as reports name it."""

    id: str
    name: str
    cadence: str
    """``tertial`` (reports three times a year) or ``annual``."""
    contact: str | None = None


@dataclass(frozen=True)
class LoadEntry:
    """A department's follow-up obligations in one year: reports × activities."""

    department: DepartmentRef
    year: int
    activities: int
    """Activities of the department running that year."""
    reports_per_activity: int
    """3 for a tertial department, 1 for an annual one."""
    reports: int
    """``reports_per_activity`` × ``activities``."""
    load_share: float
    """Share of all the year's reports (0..1)."""
    plan_share: float
    """Share of the year's planned cost (of its activities when nothing has a cost)."""
    flagged: bool
    """True when ``load_share`` is out of proportion (≥ LOAD_RATIO × ``plan_share``)."""


def department_ref(dept: Department | None, dept_id: str) -> DepartmentRef:
    """A reference to a department; unknown ids keep the id as the name."""
    if dept is None:
        return DepartmentRef(id=dept_id, name=dept_id, cadence="annual")
    return DepartmentRef(id=dept.id, name=dept.name, cadence=dept.cadence, contact=dept.contact)


# lookups -----------------------------------------------------------------------------


def _did_you_mean(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1)
    return message("err_did_you_mean", close=close[0]) if close else ""


def find_department(departments: list[Department], ref: str) -> Department:
    """The department with id ``ref`` (or exactly that name, ignoring case)."""
    for dept in departments:
        if dept.id == ref:
            return dept
    for dept in departments:
        if dept.name.casefold() == ref.strip().casefold():
            return dept
    if not departments:
        raise UsageError(message("err_no_departments", ref=ref))
    ids = [d.id for d in departments]
    raise UsageError(message("err_no_department", ref=ref, hint=_did_you_mean(ref, ids),
                             ids=", ".join(ids)))


def check_cadence(value: str) -> str:
    """Return ``value`` if it is ``tertial`` or ``annual``."""
    if value not in CADENCES:
        raise UsageError(message("err_cadence", value=value))
    return value


def require_challenge(data: PlanData, challenge: str, *, prioritized: bool = True) -> None:
    """Refuse an unknown challenge, or (by default) one that is not prioritized."""
    if challenge not in data.challenge_titles:
        hint = _did_you_mean(challenge, sorted(data.challenge_titles))
        raise UsageError(message("err_no_challenge_in_karta", challenge=challenge, hint=hint))
    if prioritized and challenge not in data.prioritized:
        chosen = ", ".join(data.prioritized) or message("err_none_yet")
        raise ConflictError(message("err_not_prioritized", challenge=challenge, chosen=chosen))


def find_activity(data: PlanData, activity_id: str) -> Activity:
    """The activity with ``activity_id``."""
    for activity in data.plan.activities:
        if activity.id == activity_id:
            return activity
    ids = [a.id for a in data.plan.activities]
    raise UsageError(message("err_no_activity", id=activity_id,
                             hint=_did_you_mean(activity_id, ids)))


def check_status(value: str) -> str:
    """Return ``value`` if it is an activity status."""
    if value not in ACTIVITY_STATUSES:
        raise UsageError(message("err_activity_status", value=value,
                                 choices=", ".join(ACTIVITY_STATUSES)))
    return value


def reporting_load(
    departments: Sequence[Department], activities: Sequence[Activity]
) -> list[LoadEntry]:
    """Each department's reports per year (reports × activities) and whether it is flagged."""
    by_id = {d.id: d for d in departments}
    order = {d.id: i for i, d in enumerate(departments)}
    years = sorted({y for a in activities for y in activity_years(a)})
    entries: list[LoadEntry] = []
    for year in years:
        running = [a for a in activities if year in activity_years(a)]
        dept_ids = sorted({a.department for a in running},
                          key=lambda d: (order.get(d, len(order)), d))
        stats = []
        for dept_id in dept_ids:
            mine = [a for a in running if a.department == dept_id]
            dept = by_id.get(dept_id)
            per = reports_per_year(dept.cadence if dept else "annual")
            stats.append((dept_id, dept, len(mine), per, sum(a.cost or 0 for a in mine)))
        total_reports = sum(n * per for _, _, n, per, _ in stats)
        total_cost = sum(cost for *_, cost in stats)
        total_acts = sum(n for _, _, n, _, _ in stats)
        for dept_id, dept, n, per, cost in stats:
            load_share = n * per / total_reports if total_reports else 0.0
            plan_share = cost / total_cost if total_cost else n / total_acts
            # Only a tertial cadence can be lowered; an annual department is at the minimum.
            flagged = (len(stats) > 1 and per > 1 and load_share > 0
                       and load_share >= LOAD_RATIO * plan_share)
            entries.append(LoadEntry(
                department=department_ref(dept, dept_id), year=year, activities=n,
                reports_per_activity=per, reports=n * per, load_share=round(load_share, 4),
                plan_share=round(plan_share, 4), flagged=flagged,
            ))
    return entries


def without_lead(data: PlanData) -> list[str]:
    """Prioritized challenges that have no lead department."""
    result = []
    for challenge in data.prioritized:
        placement = data.placement(challenge)
        if placement is None or not placement.lead:
            result.append(challenge)
    return result

