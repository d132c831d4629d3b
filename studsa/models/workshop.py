"""A workshop session's record: ``3-prioritera/workshop/<date>.yaml``.

What the room did: the privacy mode, the seats (names only in the named mode), every round
with its ballots as cast, the times, the counts, and the sha256 of the strategi version the
room rated. The verdicts themselves also go into the raters' files; the record keeps both
rounds so a report can say who changed what after the discussion.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from studsa.models.base import FileModel, Slug, StudsaModel

Mode = Literal["named", "pseudonymous", "anonymous"]
Pacing = Literal["challenge", "criterion", "free"]


class Seat(StudsaModel):
    """One place at the table: a rater's name, a pseudonym or an anonymous number."""

    id: Slug
    label: str
    """The rater name the verdicts are filed under (a pseudonym unless the mode is named)."""
    guest: bool = False
    """Joined with the room code rather than a link of their own."""


class Ballot(StudsaModel):
    """One submitted ballot: a seat's values for some criteria of one challenge."""

    seat: Slug
    challenge: Slug
    values: dict[str, bool | int]
    at: dt.datetime
    paper: bool = False
    """Entered by the facilitator from a paper ballot."""


class Counts(StudsaModel):
    """A closed round in numbers."""

    ballots: int = 0
    seats_voted: int = 0
    cells: int = 0
    values: int = 0
    disputed: int = 0


class Round(StudsaModel):
    """One round of estimates: every cell (round 1) or the disputed ones (later rounds)."""

    number: int = Field(ge=1)
    opened: dt.datetime
    closed: dt.datetime | None = None
    cells: list[str] | None = None
    """``challenge/criterion`` of the cells rated again; absent: every cell."""
    current: str | None = None
    """The challenge or criterion on the ballot now (paced sessions)."""
    deadline: dt.datetime | None = None
    counts: Counts | None = None
    ballots: list[Ballot] = Field(default_factory=list)


class WorkshopRecord(FileModel):
    """The record of one workshop session."""

    date: dt.date
    mode: Mode
    pacing: Pacing = "free"
    top: int = Field(default=4, ge=1)
    strategi_version: int = Field(ge=1)
    strategi_sha256: str
    started: dt.datetime
    closed: dt.datetime | None = None
    seats: list[Seat] = Field(default_factory=list)
    rounds: list[Round] = Field(default_factory=list)
