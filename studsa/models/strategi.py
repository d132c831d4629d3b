"""Phase 3, prioritera: criteria, scoring settings and the final selection."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from studsa.models.base import MAX_WEIGHT, Deliverable, Slug, StudsaModel

Scale = Literal["yes-no", "0-3", "1-5"]
Method = Literal["count", "weighted", "borda"]


class Criterion(StudsaModel):
    """A prioritization criterion with its scale and weight."""

    id: Slug
    title: str
    description: str | None = None
    scale: Scale = "yes-no"
    weight: float = Field(default=1.0, ge=0, le=MAX_WEIGHT)


class Aggregation(StudsaModel):
    """How several raters' values become one: majority for yes-no, median or mean else."""

    yes_no_threshold: float = Field(default=0.5, gt=0, le=1)
    numeric: Literal["median", "mean"] = "median"


class RankedEntry(StudsaModel):
    """One line of the ranking a selection was made against."""

    id: Slug
    rank: int
    score: float


class Selection(StudsaModel):
    """The final prioritization, made by people (the presidium), with its reasons."""

    challenges: list[Slug] = Field(default_factory=list)
    rationale: str | None = None
    why: dict[str, str] = Field(default_factory=dict)
    made_at: str | None = None
    method: Method | None = None
    ranking: list[RankedEntry] = Field(default_factory=list)
    assessments_sha256: str | None = None


class Strategi(Deliverable):
    """The strategy: criteria, scoring settings and the selection."""

    title: str | None = None
    intro: str | None = None
    method: Method = "count"
    aggregation: Aggregation = Field(default_factory=Aggregation)
    criteria: list[Criterion] = Field(default_factory=list)
    selection: Selection | None = None
    followup: str | None = None

    @property
    def ranking_method(self) -> Method:
        """The method every view ranks by: the selection's, once one is made on a method.

        One source of truth: a selection made with ``--method weighted`` is shown with the
        weighted ranking even if ``method:`` above says otherwise (validate reports that).
        """
        selection = self.selection
        if selection is not None and selection.challenges and selection.method is not None:
            return selection.method
        return self.method
