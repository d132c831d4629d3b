"""The ``memo:`` block of ``studsa.yaml``: what only a person can write in the tjänsteskrivelse."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from studsa.models.base import StudsaModel


class BasisDocument(StudsaModel):
    """A further decision document with its date (and version, when it has one)."""

    title: str
    date: dt.date | None = None
    version: str | None = None


class Memo(StudsaModel):
    """Texts of the committee memo; what is left out is generated or marked "[Att skriva: …]"."""

    deliverable: str | None = None
    """The deliverable the memo proposes to decide (default: strategi)."""
    title: str | None = None
    """The subject line (ärendemening); default: the deliverable's title."""
    date: dt.date | None = None
    to: str | None = None
    """The body the memo is addressed to; default: the committee, or the body that decides
    (``decides:`` in the uppdragsbeskrivning) when that is not a higher one."""
    summary: str | None = None
    proposals: list[str] = Field(default_factory=list)
    """The att-satser, e.g. "att godkänna förslag till …"."""
    basis: list[str | BasisDocument] = Field(default_factory=list)
    """Further decision documents (beslutsunderlag) besides the memo and the proposal."""
    background: str | None = None
    """Bakgrund; default: the uppdragsbeskrivning's background."""
    economy: str | None = None
    """Ekonomiska konsekvenser: the text before the handlingsplan's costs per year."""
    child_impact: str | None = None
    """Barnets bästa: how the matter concerns children."""
