"""``studsa.yaml``: the project, its organisation, departments, meetings and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from studsa.models.base import FileModel, Slug, StudsaModel
from studsa.models.memo import Memo

Cadence = Literal["tertial", "annual"]


class Person(StudsaModel):
    """A named official: the memo's reference person or one of those responsible."""

    name: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None


class Department(StudsaModel):
    """A department (avdelning) that leads or contributes to challenges and reports on them."""

    id: Slug
    name: str
    cadence: Cadence = "annual"
    contact: str | None = None


class Meeting(StudsaModel):
    """A planned or held meeting of a deciding body (beslutsplanering)."""

    body: str
    date: dt.date
    about: str | None = None
    note: str | None = None


class FrozenFile(StudsaModel):
    """A file frozen together with a decision (e.g. the assessments behind a strategy)."""

    file: str
    sha256: str
    source: str | None = None


class Decision(StudsaModel):
    """One entry of the decisions log: a deliverable version frozen by a decision."""

    deliverable: str
    version: int = Field(ge=1)
    by: str
    date: dt.date
    paragraph: str | None = None
    dnr: str | None = None
    sha256: str
    file: str
    tag: str | None = None
    includes: list[FrozenFile] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    """The deliverable's own checks that failed when it was decided anyway (``--force``)."""
    period: str | None = None
    """For a decided lägesbild (deliverable ``lagesbild``): the follow-up period."""


class Project(FileModel):
    """The project file at the root of a strategy folder."""

    name: str
    organisation: str | None = None
    administration: str | None = None
    committee: str | None = None
    dnr: str | None = None
    language: Literal["sv", "en"] = "sv"
    start_year: int | None = Field(default=None, ge=1900, le=2200)
    org_unit: str | None = None
    """What the units that carry the work are called: avdelning (default), nämnd, bolag …"""
    reference: Person | None = None
    responsible: list[Person] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)
    templates: str | None = None
    reference_docx: str | None = None
    departments: list[Department] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    memo: Memo | None = None
