"""Sensitivity: does the ranking (and the top-K set) survive dropping a criterion or
moving a weight by ±50 %?"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from studsa.i18n import count, message
from studsa.scoring.rank import Scored, borda_scores, competition_ranking, top_set

WEIGHT_FACTORS = (0.5, 1.5)


@dataclass(frozen=True)
class RankChange:
    """A challenge whose rank moved in one variant."""

    id: str
    before: int
    after: int


@dataclass(frozen=True)
class Case:
    """One variant of the scoring: a criterion dropped, or one weight scaled."""

    kind: str
    """``drop`` or ``weight``."""
    criterion: str
    factor: float
    """0 for a dropped criterion, else the weight multiplier (0.5 or 1.5)."""
    changes: tuple[RankChange, ...]
    top_changed: bool
    entered: tuple[str, ...]
    left: tuple[str, ...]

    @property
    def label(self) -> str:
        """Short description, e.g. ``without evidens`` or ``evidens weight +50 %``."""
        if self.kind == "drop":
            return message("sc_without", criterion=self.criterion)
        sign = "+" if self.factor > 1 else "−"
        return message("sc_weight_moved", criterion=self.criterion, sign=sign,
                       percent=round(abs(self.factor - 1) * 100))


@dataclass(frozen=True)
class Sensitivity:
    """Every variant tried, and the one-line verdict."""

    top: int
    cases: tuple[Case, ...]
    robust: bool
    verdict: str


def _variant_scores(scored: Scored, factors: Sequence[float]) -> dict[str, float]:
    matrix = scored.matrix
    if scored.method == "borda":
        kept = [(c, f) for c, f in zip(matrix.criteria, factors, strict=True) if f]
        return borda_scores(matrix, [c for c, _ in kept], [c.weight * f for c, f in kept])
    return {
        cid: math.fsum(f * p for f, p in zip(factors, parts, strict=True))
        for cid, parts in scored.contributions.items()
    }


def _case(scored: Scored, top: int, kind: str, index: int, factor: float) -> Case:
    factors = [1.0] * len(scored.matrix.criteria)
    factors[index] = factor
    ranking = competition_ranking(_variant_scores(scored, factors))
    before = scored.ranks
    changes = tuple(
        RankChange(e.id, before[e.id], e.rank)
        for e in sorted(ranking, key=lambda e: (before[e.id], e.id))
        if e.rank != before[e.id]
    )
    old, new = top_set(scored.ranking, top), top_set(ranking, top)
    return Case(kind, scored.matrix.criteria[index].id, factor, changes, old != new,
                tuple(sorted(new - old)), tuple(sorted(old - new)))


def sensitivity(scored: Scored, top: int) -> Sensitivity:
    """Drop each criterion (and for ``weighted`` scale each weight by ±50 %) and compare."""
    cases: list[Case] = []
    for index, criterion in enumerate(scored.matrix.criteria):
        cases.append(_case(scored, top, "drop", index, 0.0))
        if scored.method == "weighted" and criterion.weight > 0:
            cases.extend(_case(scored, top, "weight", index, f) for f in WEIGHT_FACTORS)
    breaking = [c for c in cases if c.top_changed]
    if not cases:
        verdict = message("sc_no_criteria")
    elif not breaking:
        verdict = count("sc_robust", len(cases), top=top)
    else:
        parts = []
        for case in breaking:
            moves = []
            if case.entered:
                moves.append(message("sc_in", ids=", ".join(case.entered)))
            if case.left:
                moves.append(message("sc_out", ids=", ".join(case.left)))
            parts.append(f"{case.label} ({'; '.join(moves)})")
        verdict = message("sc_changes", top=top, n=len(breaking), total=len(cases),
                          parts=", ".join(parts))
    return Sensitivity(top, tuple(cases), not breaking, verdict)
