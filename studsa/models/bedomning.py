"""Phase 3 assessments: one file per rater under ``3-prioritera/bedomningar/``."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from studsa.models.base import FileModel, Slug, StudsaModel

CellValue = bool | int | float | str


class RatingCell(StudsaModel):
    """A value with the sources that back it and an optional comment."""

    value: CellValue
    sources: list[Slug] = Field(default_factory=list)
    comment: str | None = None


def cell_value(raw: CellValue | RatingCell) -> tuple[CellValue, list[str], str | None]:
    """The value, sources and comment of a cell written plainly or as a mapping."""
    if isinstance(raw, RatingCell):
        return raw.value, list(raw.sources), raw.comment
    return raw, [], None


class Assessment(StudsaModel):
    """One rater's values for one challenge, one per criterion id."""

    challenge: Slug
    values: dict[str, CellValue | RatingCell] = Field(default_factory=dict)
    sources: list[Slug] = Field(default_factory=list)
    comment: str | None = None


class Bedomning(FileModel):
    """All of one rater's assessments."""

    rater: str
    role: str | None = None
    date: dt.date | None = None
    assessments: list[Assessment] = Field(default_factory=list)
