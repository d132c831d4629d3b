"""Follow-up (uppföljning): one file per period, ``2021`` or ``2021-T2``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

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


class Reported(StudsaModel):
    """To whom and when the lägesbild of a period was reported."""

    to: str
    date: dt.date


class Uppfoljning(Deliverable):
    """The follow-up of one period: which departments were asked and what they reported.

    Its status goes draft → reported (``followup report``) → decided (``followup decide``,
    which freezes the period like ``decide`` freezes a deliverable).
    """

    status: Literal["draft", "review", "reported", "decided"] = "draft"  # type: ignore[assignment]
    reported: Reported | None = None

    period: str = Field(pattern=PERIOD_PATTERN)
    departments: list[Slug] = Field(default_factory=list)
    summary: str | None = None
    reports: list[Report] = Field(default_factory=list)
