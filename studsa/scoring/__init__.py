"""Pure scoring: aggregate raters, rank challenges, and say how robust the ranking is.

No I/O and no clock: the workflow layer (``studsa.workflow.prioritize``) loads the files,
builds a ``Problem`` and calls these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

from studsa.scoring.model import (
    METHODS,
    SCALES,
    CriterionSpec,
    Key,
    Matrix,
    Problem,
    parse_value,
    scale_bounds,
    to_matrix,
)
from studsa.scoring.rank import (
    CellResult,
    Entry,
    MissingValuesError,
    Scored,
    borda_points,
    competition_ranking,
    score,
    score_matrix,
    top_set,
)
from studsa.scoring.sensitivity import Case, RankChange, Sensitivity, sensitivity
from studsa.scoring.stability import FLIP_LIMIT, Flip, Stability, stability


@dataclass(frozen=True)
class Disagreement:
    """A challenge × criterion cell where raters disagree."""

    challenge: str
    criterion: str
    level: float
    """0..1: twice the minority share (yes-no), or the spread over the scale's range."""


def disagreement(scored: Scored, limit: int | None = None) -> list[Disagreement]:
    """Cells where raters disagree, most disagreement first (ties by challenge, criterion)."""
    found = [
        Disagreement(cid, crit, cell.disagreement)
        for cid, cells in scored.cells.items()
        for crit, cell in cells.items()
        if cell.disagreement > 0
    ]
    found.sort(key=lambda d: (-d.level, d.challenge, d.criterion))
    return found if limit is None else found[:limit]


__all__ = [
    "FLIP_LIMIT",
    "METHODS",
    "SCALES",
    "Case",
    "CellResult",
    "CriterionSpec",
    "Disagreement",
    "Entry",
    "Flip",
    "Key",
    "Matrix",
    "MissingValuesError",
    "Problem",
    "RankChange",
    "Scored",
    "Sensitivity",
    "Stability",
    "borda_points",
    "competition_ranking",
    "disagreement",
    "parse_value",
    "scale_bounds",
    "score",
    "score_matrix",
    "sensitivity",
    "stability",
    "to_matrix",
    "top_set",
]
