"""Follow-up (uppföljning): one file per period, ``2021`` or ``2021-T2``."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from studsa.models.base import MAX_KRONOR, Deliverable, Slug, StudsaModel
from studsa.models.handlingsplan import ActivityStatus

PERIOD_PATTERN = r"^[0-9]{4}(-T[123])?$"


class Report(StudsaModel):
    """One activity's status in a period."""

    activity: Slug
    status: ActivityStatus
    comment: str | None = None
    spent: int | None = Field(default=None, ge=0, le=MAX_KRONOR)
    reported_by: str | None = None
    date: dt.date | None = None


class Uppfoljning(Deliverable):
    """The follow-up of one period: which departments were asked and what they reported."""

    period: str = Field(pattern=PERIOD_PATTERN)
    departments: list[Slug] = Field(default_factory=list)
    summary: str | None = None
    reports: list[Report] = Field(default_factory=list)
