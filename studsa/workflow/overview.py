"""The handlingsplan as typed, frozen data for the report templates (``plan_overview``).

Amounts are whole kronor (``int``); formatting them (``2 500 000 kr``) is the renderer's job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studsa.models.handlingsplan import Activity, Indicator
from studsa.periods import HorizonSpan, mandate_period
from studsa.workflow.context import Workspace
from studsa.workflow.plan import (
    DepartmentRef,
    LoadEntry,
    PlanData,
    activity_years,
    department_ref,
    plan_data,
    reporting_load,
    without_lead,
)


@dataclass(frozen=True)
class IndicatorView:
    """How an activity is measured: free text and/or a Kolada KPI (id shown as is)."""

    text: str | None = None
    kolada: str | None = None
    """Kolada KPI id such as ``N07403``, for readers to look up; never fetched."""
    baseline: float | None = None
    target: float | None = None
    target_year: int | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ActivityView:
    """One activity of the plan with its names resolved."""

    id: str
    title: str
    challenge: str
    challenge_title: str
    department: str
    department_name: str
    year: int
    end_year: int | None
    years: tuple[int, ...]
    """Every year the activity runs."""
    cost: int | None
    """Planned cost per year in whole kronor (None: not given)."""
    investment: bool
    """True for investment money, False for operating cost (drift)."""
    total_cost: int
    """``cost`` × number of years (0 when no cost is given)."""
    indicator: IndicatorView | None
    status: str | None
    """Status written in the plan (follow-up statuses live in the lägesbild)."""
    description: str | None
    carried_from: str | None
    """Id of the earlier activity this one continues (roll-over)."""


@dataclass(frozen=True)
class CostTotals:
    """Operating cost and investment, in whole kronor."""

    operating: int = 0
    investment: int = 0

    @property
    def total(self) -> int:
        """Operating cost plus investment."""
        return self.operating + self.investment


@dataclass(frozen=True)
class YearCost:
    """Cost totals of one year."""

    year: int
    operating: int
    investment: int
    total: int


@dataclass(frozen=True)
class ChallengeOverview:
    """A prioritized challenge as placed: goal, horizon, departments, activities."""

    id: str
    title: str
    theme: str | None
    theme_title: str | None
    goal: str | None
    """The long-term goal (målbild)."""
    horizon: HorizonSpan | None
    """The horizon in years (``horizon.mandate`` holds the mandate period's years)."""
    horizon_code: str | None
    """The horizon as written (``1y``, ``10y``, ``mandate``, a year), even if no start year."""
    lead: DepartmentRef | None
    contributes: tuple[DepartmentRef, ...]
    activities: tuple[ActivityView, ...]
    costs: CostTotals
    """Totals over all activities and years of the challenge."""


@dataclass(frozen=True)
class DepartmentYear:
    """What one department does in one year and what it costs."""

    year: int
    activities: tuple[ActivityView, ...]
    operating: int
    investment: int
    total: int
    reports: int
    """Follow-up reports owed that year (the department's reporting load)."""


@dataclass(frozen=True)
class DepartmentOverview:
    """One department's part of the plan, year by year."""

    department: DepartmentRef
    leads: tuple[str, ...]
    """Ids of the prioritized challenges it leads."""
    contributes: tuple[str, ...]
    """Ids of the challenges it contributes to."""
    years: tuple[DepartmentYear, ...]
    costs: CostTotals


@dataclass(frozen=True)
class PlanOverview:
    """The whole handlingsplan, ready for a template: nothing left to compute."""

    title: str | None
    intro: str | None
    start_year: int | None
    mandate: tuple[int, int] | None
    """The mandate period containing the start year."""
    years: tuple[int, ...]
    """Every year some activity runs, ascending."""
    challenges: tuple[ChallengeOverview, ...]
    """Prioritized challenges in selection order."""
    departments: tuple[DepartmentOverview, ...]
    """Departments in the order of studsa.yaml."""
    totals_per_year: tuple[YearCost, ...]
    totals: CostTotals
    load: tuple[LoadEntry, ...]
    """Reporting load per year and department (year, then department order)."""
    without_lead: tuple[str, ...]
    """Prioritized challenges that have no lead department yet."""
    unplaced_activities: tuple[ActivityView, ...]
    """Activities on challenges that are not prioritized (a validate problem)."""


def _indicator_view(value: str | Indicator | None) -> IndicatorView | None:
    if value is None:
        return None
    if isinstance(value, str):
        return IndicatorView(text=value)
    return IndicatorView(
        text=value.text, kolada=value.kolada, baseline=value.baseline, target=value.target,
        target_year=value.target_year, unit=value.unit,
    )


def activity_view(data: PlanData, activity: Activity) -> ActivityView:
    """Resolve an activity's names and costs."""
    years = tuple(activity_years(activity))
    dept = data.department(activity.department)
    return ActivityView(
        id=activity.id,
        title=activity.title,
        challenge=activity.challenge,
        challenge_title=data.challenge_titles.get(activity.challenge, activity.challenge),
        department=activity.department,
        department_name=dept.name if dept else activity.department,
        year=activity.year,
        end_year=activity.end_year,
        years=years,
        cost=activity.cost,
        investment=activity.investment,
        total_cost=(activity.cost or 0) * len(years),
        indicator=_indicator_view(activity.indicator),
        status=activity.status,
        description=activity.description,
        carried_from=activity.carried_from,
    )


def _sum_costs(views: Iterable[ActivityView], year: int | None = None) -> CostTotals:
    operating = investment = 0
    for view in views:
        amount = (view.cost or 0) if year is not None else view.total_cost
        if view.investment:
            investment += amount
        else:
            operating += amount
    return CostTotals(operating, investment)


def overview_of(data: PlanData) -> PlanOverview:
    """Compute the plan overview from gathered data (pure)."""
    views = [activity_view(data, a) for a in data.plan.activities]
    dept_by_id = {d.id: d for d in data.departments}
    challenges = []
    for challenge in data.prioritized:
        placement = data.placement(challenge)
        mine = tuple(sorted((v for v in views if v.challenge == challenge),
                            key=lambda v: (v.year, v.department, v.id)))
        theme = data.challenge_themes.get(challenge)
        challenges.append(ChallengeOverview(
            id=challenge,
            title=data.challenge_titles.get(challenge, challenge),
            theme=theme,
            theme_title=data.theme_titles.get(theme) if theme else None,
            goal=placement.goal if placement else None,
            horizon=data.horizon(challenge),
            horizon_code=placement.horizon if placement else None,
            lead=(department_ref(dept_by_id.get(placement.lead), placement.lead)
                  if placement and placement.lead else None),
            contributes=tuple(department_ref(dept_by_id.get(d), d)
                              for d in (placement.contributes if placement else [])),
            activities=mine,
            costs=_sum_costs(mine),
        ))
    load = reporting_load(data.departments, data.plan.activities)
    years = tuple(sorted({y for v in views for y in v.years}))
    departments = []
    for dept in data.departments:
        mine_all = [v for v in views if v.department == dept.id]
        dept_years = []
        for year in years:
            running = tuple(sorted((v for v in mine_all if year in v.years),
                                   key=lambda v: (v.challenge, v.id)))
            if not running:
                continue
            costs = _sum_costs(running, year)
            reports = sum(e.reports for e in load if e.department.id == dept.id and e.year == year)
            dept_years.append(DepartmentYear(year, running, costs.operating, costs.investment,
                                             costs.total, reports))
        departments.append(DepartmentOverview(
            department=department_ref(dept, dept.id),
            leads=tuple(p.challenge for p in data.plan.placements if p.lead == dept.id),
            contributes=tuple(p.challenge for p in data.plan.placements
                              if dept.id in p.contributes),
            years=tuple(dept_years),
            costs=_sum_costs(mine_all),
        ))
    per_year = []
    for year in years:
        costs = _sum_costs((v for v in views if year in v.years), year)
        per_year.append(YearCost(year, costs.operating, costs.investment, costs.total))
    prioritized = set(data.prioritized)
    return PlanOverview(
        title=data.plan.title,
        intro=data.plan.intro,
        start_year=data.start_year,
        mandate=mandate_period(data.start_year) if data.start_year is not None else None,
        years=years,
        challenges=tuple(challenges),
        departments=tuple(departments),
        totals_per_year=tuple(per_year),
        totals=_sum_costs(views),
        load=tuple(load),
        without_lead=tuple(without_lead(data)),
        unplaced_activities=tuple(v for v in views if v.challenge not in prioritized),
    )


def plan_overview(ws: Workspace) -> PlanOverview:
    """The handlingsplan of the project open in ``ws``, as typed data for the reports."""
    return overview_of(plan_data(ws))
