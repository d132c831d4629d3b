"""Shared model base, id type and the header every deliverable file carries."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
"""An id: lowercase ASCII letters, digits, ``-`` and ``_``; at most 64 characters."""

Status = Literal["draft", "review", "decided"]

MAX_VERSION = 10_000
"""The highest version number a deliverable may have (a decision a week for 190 years)."""
MAX_KRONOR = 10**12
"""The largest amount of kronor a cost or an outcome may be (a thousand billion: far above
any municipality's budget, so a typo with extra zeros is caught)."""
MAX_WEIGHT = 1_000_000
"""The largest criterion weight (weights are relative; any sum of them stays finite)."""


class StudsaModel(BaseModel):
    """Base of every file model: unknown keys are errors, so a typo never passes silently."""

    # Numbers are finite: `.nan`, `.inf` and 1e999 are refused, never computed with.
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=False,
                              defer_build=True, allow_inf_nan=False)


class FileModel(StudsaModel):
    """A model stored as its own file, whose first key is ``schema: studsa.<name>/<major>``."""

    schema_: str = Field(alias="schema")


class Deliverable(FileModel):
    """A STUDSA deliverable: versioned, with a status that a decision moves to ``decided``."""

    version: int = Field(default=1, ge=1, le=MAX_VERSION)
    status: Status = "draft"
