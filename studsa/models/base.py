"""Shared model base, id type and the header every deliverable file carries."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
"""An id: lowercase ASCII letters, digits, ``-`` and ``_``; at most 64 characters."""

Status = Literal["draft", "review", "decided"]


class StudsaModel(BaseModel):
    """Base of every file model: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=False,
                              defer_build=True)


class FileModel(StudsaModel):
    """A model stored as its own file, whose first key is ``schema: studsa.<name>/<major>``."""

    schema_: str = Field(alias="schema")


class Deliverable(FileModel):
    """A STUDSA deliverable: versioned, with a status that a decision moves to ``decided``."""

    version: int = Field(default=1, ge=1)
    status: Status = "draft"
