"""Phase 4, placera: who owns each prioritized challenge, and the yearly activities."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from studsa.models.base import MAX_KRONOR, Deliverable, Slug, StudsaModel

ActivityStatus = Literal["not_started", "ongoing", "done", "delayed", "stopped"]
ACTIVITY_STATUSES: tuple[str, ...] = ("not_started", "ongoing", "done", "delayed", "stopped")
UNFINISHED_STATUSES: tuple[str, ...] = ("not_started", "ongoing", "delayed")
HORIZON_PATTERN = r"^(1y|10y|mandate|[0-9]{4})$"


class Indicator(StudsaModel):
    """How progress is measured: free text and/or a Kolada KPI with baseline and target."""

    text: str | None = None
    kolada: str | None = Field(default=None, pattern=r"^[NU][0-9]{5}$")
    baseline: float | None = None
    target: float | None = None
    target_year: int | None = Field(default=None, ge=1900, le=2200)
    unit: str | None = None


class Placement(StudsaModel):
    """A prioritized challenge placed on a lead department, with its goal and horizon."""

    challenge: Slug
    goal: str | None = None
    horizon: str | None = Field(default=None, pattern=HORIZON_PATTERN)
    lead: Slug | None = None
    contributes: list[Slug] = Field(default_factory=list)


class Activity(StudsaModel):
    """A yearly activity in the operational plan.

    ``cost`` is the planned cost per year the activity runs (``year`` to ``end_year``), in
    whole kronor; ``investment`` marks it as investment money rather than operating cost.
    ``carried_from`` names the activity of an earlier year it continues (year roll-over).
    """

    id: Slug
    title: str
    challenge: Slug
    department: Slug
    year: int = Field(ge=1900, le=2200)
    end_year: int | None = Field(default=None, ge=1900, le=2200)
    cost: int | None = Field(default=None, ge=0, le=MAX_KRONOR)
    investment: bool = False
    indicator: str | Indicator | None = None
    status: ActivityStatus | None = None
    description: str | None = None
    carried_from: Slug | None = None


def activity_years(activity: Activity) -> range:
    """The years an activity runs (``year`` to ``end_year``, both included)."""
    last = activity.end_year if activity.end_year is not None else activity.year
    return range(activity.year, max(last, activity.year) + 1)


class Handlingsplan(Deliverable):
    """The action plan."""

    title: str | None = None
    intro: str | None = None
    start_year: int | None = Field(default=None, ge=1900, le=2200)
    placements: list[Placement] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
