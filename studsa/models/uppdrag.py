"""Phase 1, avgränsa: the uppdragsbeskrivning (assignment description)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from studsa.models.base import Deliverable, StudsaModel


class Scope(StudsaModel):
    """What the strategy covers (``in``) and deliberately leaves out (``out``)."""

    in_: list[str] = Field(default_factory=list, alias="in")
    out: list[str] = Field(default_factory=list)


class Milestone(StudsaModel):
    """A step in the timeline: what happens, when, and who is involved."""

    what: str
    date: dt.date | None = None
    who: str | None = None


class Uppdragsbeskrivning(Deliverable):
    """Purpose, delimitations, remit, partners, who decides and the timeline."""

    title: str | None = None
    background: str | None = None
    purpose: str | None = None
    remit: str | None = None
    scope: Scope = Field(default_factory=Scope)
    partners: list[str] = Field(default_factory=list)
    decides: dict[str, str] = Field(default_factory=dict)
    timeline: list[Milestone] = Field(default_factory=list)
