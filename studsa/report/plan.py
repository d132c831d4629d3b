"""Contexts of the handlingsplan and the lägesbild, over the overviews ``workflow`` computes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studsa.i18n import locale_of
from studsa.models.handlingsplan import Handlingsplan
from studsa.models.project import Project
from studsa.models.uppfoljning import Uppfoljning
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.report.context import (
    Figure,
    TitleBlock,
    label,
    language,
    strip_prefix,
    title_block,
)
from studsa.report.format import count_phrase, fill
from studsa.report.svg import timeline_svg

TIMELINE_FILE = "handlingsplan-tidslinje.svg"


@dataclass(frozen=True)
class HandlingsplanContext:
    """The handlingsplan report: the overview computed by ``workflow.plan``."""

    doc: TitleBlock
    plan: Any
    """A ``studsa.workflow.plan.PlanOverview``."""
    timeline: Figure | None
    horizons: dict[str, str | None]
    """Challenge id → the horizon in words."""
    titles: dict[str, str]
    """Challenge id → title."""


def horizon_text(challenge: Any, t: Mapping[str, str]) -> str | None:
    """``Mandatperioden (2019–2022)``, ``Tio år (2021–2030)``, ``Till och med 2022``."""
    code = challenge.horizon_code
    if not code:
        return None
    span = challenge.horizon
    if code in {"1y", "10y", "mandate"}:
        text = label(t, f"horizon_{code}")
        if span is not None:
            years = span.mandate if code == "mandate" and span.mandate else (
                span.first_year, span.last_year)
            first, last = years
            text += f" ({first}–{last})" if first != last else f" ({first})"
        return text
    return fill(label(t, "horizon_year"), year=code)


def _timeline(overview: Any, t: Mapping[str, str], locale: str) -> Figure | None:
    rows: list[tuple[str, int, int]] = []
    for challenge in overview.challenges:
        if challenge.horizon is not None:
            rows.append((challenge.title, challenge.horizon.first_year,
                         challenge.horizon.last_year))
        for activity in challenge.activities:
            rows.append((f"– {activity.title} ({activity.department_name})",
                         activity.years[0], activity.years[-1]))
    if not rows:
        return None
    first = min(r[1] for r in rows)
    last = max(r[2] for r in rows)
    title = label(t, "timeline_figure")
    svg = timeline_svg(rows, title=title, years=(first, last))
    alt = fill(label(t, "timeline_alt"),
               challenges=count_phrase(t, "count_challenges", len(overview.challenges), locale),
               first=first, last=last)
    return Figure(TIMELINE_FILE, alt, svg)


def plan_context(project: Project, model: Handlingsplan, overview: Any, karta: Utmaningskarta,
                 t: Mapping[str, str]) -> HandlingsplanContext:
    """Build the handlingsplan context from the plan's ``workflow.overview.PlanOverview``."""
    heading = label(t, "report_handlingsplan")
    return HandlingsplanContext(
        doc=title_block(project, "handlingsplan", t, model, strip_prefix(model.title, heading)),
        plan=overview,
        timeline=_timeline(overview, t, locale_of(language(project))),
        horizons={c.id: horizon_text(c, t) for c in overview.challenges},
        titles={c.id: c.title for c in karta.challenges},
    )


# --- lägesbild ------------------------------------------------------------------------

@dataclass(frozen=True)
class PeriodRef:
    """A follow-up period: its id (``2021-T2``) and how reports name it."""

    id: str
    label: str


@dataclass(frozen=True)
class DepartmentGroup:
    """One department's activities in the lägesbild."""

    department: Any
    reporting: Any
    entries: list[Any]


@dataclass(frozen=True)
class LagesbildContext:
    """The lägesbild report of one follow-up period."""

    doc: TitleBlock
    period: PeriodRef
    lb: Any
    """A ``studsa.workflow.lagesbild.Lagesbild``."""
    groups: list[DepartmentGroup]
    clocks: tuple[str, ...] = ()
    """The method's clocks that have run out (revision, plan period, follow-up, remiss),
    each a sentence; empty unless the report is rendered against a date (the CLI)."""
    today: str | None = None
    """That date, formatted."""


def period_label(year: int, tertial: int | None, t: Mapping[str, str]) -> str:
    """``Helår 2021`` / ``Tertial 2 2021``."""
    if tertial is None:
        return fill(label(t, "period_year"), year=year)
    return fill(label(t, "period_tertial"), n=tertial, year=year)


def lagesbild_context(project: Project, lb: Any, period: Uppfoljning, t: Mapping[str, str],
                      clocks: tuple[str, ...] = (), today: str | None = None
                      ) -> LagesbildContext:
    """Build the lägesbild context from the ``workflow.lagesbild.Lagesbild`` of ``period``
    (``clocks``: the run-out clocks as sentences, judged on ``today``)."""
    ref = PeriodRef(lb.period, period_label(lb.year, lb.tertial, t))
    block = title_block(project, "lagesbild", t, period, ref.label)
    groups = []
    for reporting in lb.departments:
        mine = [e for e in lb.entries if e.activity.department == reporting.department.id]
        if mine:
            groups.append(DepartmentGroup(reporting.department, reporting, mine))
    return LagesbildContext(doc=block, period=ref, lb=lb, groups=groups, clocks=clocks,
                            today=today)
