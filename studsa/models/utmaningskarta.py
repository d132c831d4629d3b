"""Phase 2, identifiera: themes, challenges and the evidence (sources) behind them."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from studsa.models.base import Deliverable, Slug, StudsaModel

SourceKind = Literal["narvarld", "invarld"]


class Theme(StudsaModel):
    """A thematic area (tematiskt område) that groups challenges."""

    id: Slug
    title: str
    description: str | None = None


class Source(StudsaModel):
    """Evidence: external analysis (närvärld) or internal analysis (invärld)."""

    id: Slug
    title: str
    kind: SourceKind
    organisation: str | None = None
    year: str | None = None
    url: str | None = None
    description: str | None = None


class Challenge(StudsaModel):
    """A challenge (utmaning) in a theme; ``out_of_scope`` holds the reason it is left out."""

    id: Slug
    title: str
    theme: Slug
    description: str | None = None
    sources: list[Slug] = Field(default_factory=list)
    out_of_scope: str | None = None
    example: bool = False


class Utmaningskarta(Deliverable):
    """The challenge map."""

    intro: str | None = None
    themes: list[Theme] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    challenges: list[Challenge] = Field(default_factory=list)
