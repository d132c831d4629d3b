"""Aggregating raters, scoring challenges by count, weighted or Borda, and ranking them."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from statistics import median
from typing import Any, cast

from studsa.i18n import count, message
from studsa.scoring.model import CriterionSpec, Matrix, Problem, to_matrix

PRECISION = 9
"""Values shown are rounded to this many decimals."""
RANK_PRECISION = 6
"""Scores are compared after rounding to this many decimals, so 0.1 + 0.2 ties 0.3."""


class MissingValuesError(ValueError):
    """Some raters gave no value for some challenge × criterion cells."""

    def __init__(self, missing: Sequence[tuple[str, str, str]]) -> None:
        rater, challenge, criterion = missing[0]
        more = count("sc_and_more", len(missing) - 1) if len(missing) > 1 else ""
        super().__init__(message("sc_no_value", rater=rater, challenge=challenge,
                                 criterion=criterion, more=more))
        self.missing = tuple(missing)


@dataclass(frozen=True)
class CellResult:
    """One challenge × criterion after aggregating the raters."""

    result: float
    """Share of raters saying yes (yes-no), else the median or mean value."""
    met: bool
    normalized: float
    """0..1 on the scale; a yes-no criterion is 1 when met, else 0."""
    yes: int | None
    raters: int
    missing: int
    low: float | None
    high: float | None
    disagreement: float
    """0..1: twice the minority share (yes-no) or the spread over the scale's range."""


@dataclass(frozen=True)
class Entry:
    """One line of a ranking."""

    rank: int
    id: str
    score: float


@dataclass(frozen=True)
class Scored:
    """A scored problem: the ranking, the cells behind it, and what was missing."""

    method: str
    ranking: tuple[Entry, ...]
    missing: tuple[tuple[str, str, str], ...]
    matrix: Matrix
    contributions: Mapping[str, tuple[float, ...]]
    """Per challenge, what each criterion adds to its score (count and weighted)."""

    @cached_property
    def cells(self) -> Mapping[str, Mapping[str, CellResult]]:
        """Challenge id → criterion id → the aggregated cell (built on first use)."""
        m = self.matrix
        # Cells with the same values (and value types) aggregate alike: each distinct one
        # is computed once per criterion; the results are immutable, so they are shared.
        memos: list[dict[Any, CellResult]] = [{} for _ in m.criteria]

        def cell(index: int, raw: tuple[float | None, ...]) -> CellResult:
            key = (raw, tuple(map(type, raw)))
            found = memos[index].get(key)
            if found is None:
                found = memos[index][key] = _cell_result(
                    raw, m.criteria[index], m.threshold, m.numeric)[0]
            return found

        ids = [c.id for c in m.criteria]
        return {
            cid: {crit: cell(i, raw) for i, (crit, raw) in enumerate(zip(ids, row, strict=True))}
            for cid, row in zip(m.challenges, m.cells, strict=True)
        }

    @property
    def ranks(self) -> dict[str, int]:
        """Challenge id → rank."""
        return {e.id: e.rank for e in self.ranking}


def filled(cell: Sequence[float | None], low: float) -> list[float]:
    """A cell's values with missing ones counted as the lowest value on the scale."""
    return [low if v is None else v for v in cell]


def aggregate_values(values: Sequence[float], criterion: CriterionSpec, threshold: float,
                     numeric: str) -> tuple[float, bool, float]:
    """Return (result, met, normalized) for one cell's (filled) values."""
    low, high = criterion.low, criterion.high
    if not values:
        return (0.0, False, 0.0) if criterion.scale == "yes-no" else (float(low), False, 0.0)
    if criterion.scale == "yes-no":
        share = sum(values) / len(values)
        met = share >= threshold - 1e-12
        return share, met, 1.0 if met else 0.0
    agg = float(median(values)) if numeric == "median" else math.fsum(values) / len(values)
    return agg, agg >= criterion.midpoint - 1e-12, (agg - low) / (high - low)


def _cell_result(raw: Sequence[float | None], criterion: CriterionSpec, threshold: float,
                 numeric: str) -> tuple[CellResult, float]:
    if None in raw:
        present: Sequence[float] = [v for v in raw if v is not None]
        values: Sequence[float] = filled(raw, criterion.low)
    else:  # nothing missing (the usual case): no copies
        present = values = raw  # type: ignore[assignment]
    result, met, norm = aggregate_values(values, criterion, threshold, numeric)
    count = len(present)
    lowest, highest = (min(present), max(present)) if count else (None, None)
    yes: int | None = None
    if criterion.scale == "yes-no":
        yes = said_yes = int(sum(present))
        spread = 2 * min(said_yes, count - said_yes) / count if count else 0.0
    else:
        spread = ((highest - lowest) / (criterion.high - criterion.low)  # type: ignore[operator]
                  if count else 0)
    return CellResult(
        result=round(result, PRECISION), met=met, normalized=round(norm, PRECISION), yes=yes,
        raters=count, missing=len(raw) - count, low=lowest, high=highest,
        disagreement=round(spread, PRECISION),
    ), norm


def competition_ranking(scores: Mapping[str, float]) -> tuple[Entry, ...]:
    """Standard competition ranking (1, 2, 2, 4), highest score first, ties listed by id."""
    keyed = sorted(((-round(s, RANK_PRECISION), cid) for cid, s in scores.items()))
    entries: list[Entry] = []
    previous: float | None = None
    rank = 0
    for position, (neg, cid) in enumerate(keyed, start=1):
        if neg != previous:
            rank, previous = position, neg
        entries.append(Entry(rank, cid, -neg if neg else 0.0))
    return tuple(entries)


def contribution_of(met: bool, normalized: float, criterion: CriterionSpec, method: str
                    ) -> float:
    """What one aggregated cell adds to a challenge's score in ``method``."""
    if method == "count":
        return 1.0 if met else 0.0
    return criterion.weight * normalized


def contribution(cell: CellResult, criterion: CriterionSpec, method: str) -> float:
    """What one aggregated cell adds to a challenge's score in ``method``."""
    return contribution_of(cell.met, cell.normalized, criterion, method)


def borda_points(own: Mapping[str, float]) -> dict[str, float]:
    """Borda points of one rater: challenges scored lower count 1, ties ½ each."""
    ordered = sorted(own.items(), key=lambda kv: (round(kv[1], RANK_PRECISION), kv[0]))
    points: dict[str, float] = {}
    i = 0
    while i < len(ordered):
        j = i
        level = round(ordered[i][1], RANK_PRECISION)
        while j < len(ordered) and round(ordered[j][1], RANK_PRECISION) == level:
            j += 1
        tied = j - i
        for cid, _ in ordered[i:j]:
            points[cid] = i + 0.5 * (tied - 1)
        i = j
    return points


def rater_scores(matrix: Matrix, criteria: Sequence[CriterionSpec] | None = None,
                 weights: Sequence[float] | None = None) -> list[dict[str, float]]:
    """Each rater's own weighted score of every challenge (missing values count lowest)."""
    crits = matrix.criteria if criteria is None else criteria
    w = [c.weight for c in crits] if weights is None else weights
    index = {c.id: n for n, c in enumerate(matrix.criteria)}
    own: list[dict[str, float]] = [{} for _ in matrix.raters]
    for cid, row in zip(matrix.challenges, matrix.cells, strict=True):
        for r in range(len(matrix.raters)):
            total = 0.0
            for crit, weight in zip(crits, w, strict=True):
                value = row[index[crit.id]][r]
                value = crit.low if value is None else value
                total += weight * (value - crit.low) / (crit.high - crit.low)
            own[r][cid] = total
    return own


def borda_scores(matrix: Matrix, criteria: Sequence[CriterionSpec] | None = None,
                 weights: Sequence[float] | None = None) -> dict[str, float]:
    """Sum over raters of the Borda points of each rater's own ranking."""
    totals = dict.fromkeys(matrix.challenges, 0.0)
    for own in rater_scores(matrix, criteria, weights):
        for cid, pts in borda_points(own).items():
            totals[cid] += pts
    return totals


def _aggregator(criterion: CriterionSpec, threshold: float, numeric: str
                ) -> Callable[[Sequence[float | None]], tuple[bool, float]]:
    """A function from a cell's raw values to (met, normalized), as ``aggregate_values``."""
    low, high = criterion.low, criterion.high
    if criterion.scale == "yes-no":
        limit = threshold - 1e-12

        def yes_no(raw: Sequence[float | None]) -> tuple[bool, float]:
            if not raw:
                return False, 0.0
            total = 0.0
            for v in raw:
                total += low if v is None else v
            met = total / len(raw) >= limit
            return met, 1.0 if met else 0.0

        return yes_no
    mid = criterion.midpoint - 1e-12
    span = high - low
    by_median = numeric == "median"

    def on_scale(raw: Sequence[float | None]) -> tuple[bool, float]:
        if not raw:
            return False, 0.0
        if len(raw) == 1:
            v = raw[0]
            agg = float(low if v is None else v)
        else:
            values = [low if v is None else v for v in raw]
            agg = float(median(values)) if by_median else math.fsum(values) / len(values)
        return agg >= mid, (agg - low) / span

    return on_scale


def score_matrix(matrix: Matrix, method: str = "count", allow_missing: bool = False) -> Scored:
    """Aggregate, score and rank a matrix; raise ``MissingValuesError`` unless allowed."""
    if method not in ("count", "weighted", "borda"):
        raise ValueError(f"unknown method {method!r}")
    if matrix.missing and not allow_missing:
        raise MissingValuesError(matrix.missing)
    count = method == "count"
    # A cell's contribution depends only on its values: cells with the same values (common:
    # a few answers repeat) are aggregated once per criterion.
    memos: list[dict[tuple[float | None, ...], float]] = [{} for _ in matrix.criteria]
    lookups = [memo.get for memo in memos]
    aggregate = [(_aggregator(c, matrix.threshold, matrix.numeric), c.weight, memo)
                 for c, memo in zip(matrix.criteria, memos, strict=True)]

    def contribution_of_cell(index: int, raw: tuple[float | None, ...]) -> float:
        agg, weight, memo = aggregate[index]
        met, norm = agg(raw)
        part = memo[raw] = (1.0 if met else 0.0) if count else weight * norm
        return part

    fsum = math.fsum
    contributions: dict[str, tuple[float, ...]] = {}
    scores: dict[str, float] = {}
    for cid, row in zip(matrix.challenges, matrix.cells, strict=True):
        known = tuple([get(raw) for get, raw in zip(lookups, row, strict=True)])
        if None in known:
            parts = tuple([contribution_of_cell(i, raw) if part is None else part
                           for i, (part, raw) in enumerate(zip(known, row, strict=True))])
        else:  # every cell's part known (the usual case)
            parts = cast("tuple[float, ...]", known)
        contributions[cid] = parts
        scores[cid] = fsum(parts)
    if method == "borda":
        scores = borda_scores(matrix)
    return Scored(method, competition_ranking(scores), matrix.missing, matrix, contributions)


def score(problem: Problem, method: str = "count", allow_missing: bool = False) -> Scored:
    """Score and rank a problem (see ``score_matrix``)."""
    return score_matrix(to_matrix(problem), method, allow_missing)


def top_set(ranking: Sequence[Entry], k: int) -> frozenset[str]:
    """The challenges ranked K or better (more than K when a tie straddles the cut)."""
    return frozenset(e.id for e in ranking if e.rank <= k)
