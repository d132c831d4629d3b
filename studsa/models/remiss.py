"""Remiss (consultation): one file per round under ``remiss/``, ``<deliverable>-v<N>.yaml``."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from studsa.models.base import FileModel, StudsaModel

Decision = Literal["accepted", "partly", "rejected", "noted"]
DECISIONS: tuple[str, ...] = ("accepted", "partly", "rejected", "noted")
POINT_ID_PATTERN = r"^p[1-9][0-9]*$"


class Response(StudsaModel):
    """How a point was handled, and why."""

    decision: Decision
    why: str
    date: dt.date | None = None


class Point(StudsaModel):
    """One point of an answer, tied to a section or an item (challenge id) when ``about``."""

    id: str = Field(pattern=POINT_ID_PATTERN)
    text: str
    about: str | None = None
    response: Response | None = None


class Answer(StudsaModel):
    """What one recipient answered: when, and its points."""

    body: str
    date: dt.date | None = None
    points: list[Point] = Field(default_factory=list)


class Remiss(FileModel):
    """One consultation round on one version of a deliverable."""

    deliverable: str
    version: int = Field(ge=1)
    opened: dt.date | None = None
    deadline: dt.date
    recipients: list[str] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    note: str | None = None

