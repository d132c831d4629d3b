"""Shortlist stability: the tie at the top-K cut, and the fewest flipped verdicts that
would change the top-K set.

A *flip* changes one rater's value for one challenge and one criterion (yes ↔ no; on a
numeric scale, to the top or bottom of the scale). For ``count`` and ``weighted`` a
challenge's score depends only on its own cells, so the search works per challenge:

1. For each cell, the best gain (or loss) reachable with 1, 2, … flips: flip the raters
   furthest from the end, re-aggregate (threshold, median or mean).
2. Per challenge, a small knapsack over its cells gives the best gain/loss for *at most*
   k flips (exact, k up to ``FLIP_LIMIT``).
3. Plans that move one challenge (an insider down or an outsider up) or two (an insider
   down and an outsider up) are tried; with competition ranking any change of the top-K
   set can be reached this way, since a third moved challenge only helps when a cheaper
   one- or two-challenge plan already exists. Outsiders are visited from the highest
   score down and the search stops once even a maximal gain per flip cannot beat the
   best plan found, so the answer is exact up to ``FLIP_LIMIT`` flips.

``borda`` couples all challenges through each rater's own ranking; the flip search is
not run there (the tie at the cut still is).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from studsa.i18n import and_list, count, message
from studsa.scoring.model import CriterionSpec
from studsa.scoring.rank import (
    RANK_PRECISION,
    Scored,
    aggregate_values,
    competition_ranking,
    contribution_of,
    filled,
    top_set,
)

FLIP_LIMIT = 40


@dataclass(frozen=True)
class Flip:
    """One changed verdict."""

    rater: str
    challenge: str
    criterion: str
    old: float
    new: float


@dataclass(frozen=True)
class Stability:
    """How close the top-K set is to changing."""

    top: int
    cut_rank: int | None
    cut_tie: tuple[str, ...]
    """Challenges sharing the score at place K (empty when no tie there)."""
    straddles: bool
    """True when the tie at the cut holds more challenges than places left."""
    min_flips: int | None
    flips: tuple[Flip, ...]
    entered: tuple[str, ...]
    left: tuple[str, ...]
    searched: bool
    summary: str


@dataclass(frozen=True)
class _Curve:
    gain: tuple[float, ...]
    """Best change of the score with at most k flips (k = index)."""
    choice: tuple[tuple[tuple[int, int], ...], ...]
    """(criterion index, flips) used for each k."""


def _cell_steps(values: list[float], crit: CriterionSpec, scored: Scored, up: bool,
                cap: int) -> tuple[tuple[int, float, tuple[int, ...], float], ...]:
    """Strictly improving (flips, gain, raters flipped, new contribution) for one cell."""
    m = scored.matrix
    return _steps(tuple(values), tuple(map(type, values)), crit, m.threshold, m.numeric,
                  scored.method, up, cap)


@lru_cache(maxsize=4096)
def _steps(values: tuple[float, ...], _types: tuple[type, ...], crit: CriterionSpec,
           threshold: float, numeric: str, method: str, up: bool, cap: int
           ) -> tuple[tuple[int, float, tuple[int, ...], float], ...]:
    # Cells with the same values (and value types) have the same steps: many cells
    # repeat, so each distinct one is worked out once. Callers never change the result.
    target = crit.high if up else crit.low
    order = sorted(range(len(values)), key=lambda r: (values[r] if up else -values[r], r))
    order = [r for r in order if values[r] != target][:cap]

    def value_of(vals: Sequence[float]) -> float:
        _result, met, norm = aggregate_values(vals, crit, threshold, numeric)
        return contribution_of(met, norm, crit, method)

    base = value_of(values)
    steps: list[tuple[int, float, tuple[int, ...], float]] = []
    best = 0.0
    current = list(values)
    for k, rater in enumerate(order, start=1):
        current[rater] = target
        new = value_of(current)
        gain = round((new - base) * (1 if up else -1), RANK_PRECISION)
        if gain > best:
            best = gain
            steps.append((k, gain, tuple(order[:k]), new))
    return tuple(steps)


Step = tuple[tuple[int, ...], float]
"""Raters flipped and the cell's new contribution."""


def _curve(scored: Scored, index: int, up: bool, cap: int
           ) -> tuple[_Curve, dict[tuple[int, int], Step]]:
    m = scored.matrix
    row = m.cells[index]
    gain = [0.0] * (cap + 1)
    choice: list[tuple[tuple[int, int], ...]] = [()] * (cap + 1)
    raters: dict[tuple[int, int], Step] = {}
    for c, crit in enumerate(m.criteria):
        steps = _cell_steps(filled(row[c], crit.low), crit, scored, up, cap)
        if not steps:
            continue
        new_gain, new_choice = list(gain), list(choice)
        for k in range(1, cap + 1):
            for flips, g, who, new in steps:
                if flips > k:
                    break
                candidate = gain[k - flips] + g
                if candidate > new_gain[k] + 1e-12:
                    new_gain[k] = candidate
                    new_choice[k] = (*choice[k - flips], (c, flips))
                raters[(c, flips)] = (who, new)
        gain, choice = new_gain, new_choice
    return _Curve(tuple(round(g, RANK_PRECISION) for g in gain), tuple(choice)), raters


class _Search:
    def __init__(self, scored: Scored, top: int, limit: int) -> None:
        self.scored, self.top, self.limit = scored, top, limit
        self.scores = {e.id: e.score for e in scored.ranking}
        self.asc = sorted(self.scores.values())
        self.index = {cid: i for i, cid in enumerate(scored.matrix.challenges)}
        self.curves: dict[tuple[str, bool], tuple[_Curve, dict[tuple[int, int], Step]]] = {}
        self.best: tuple[int, str | None, int, str | None, int] | None = None

    def curve(self, cid: str, up: bool) -> _Curve:
        key = (cid, up)
        if key not in self.curves:
            self.curves[key] = _curve(self.scored, self.index[cid], up, self.limit)
        return self.curves[key][0]

    def moved(self, cid: str, up: bool, k: int) -> float:
        """The challenge's score after its best k flips, summed as the scoring does."""
        curve, steps = self.curves[(cid, up)]
        parts = list(self.scored.contributions[cid])
        for c, n in curve.choice[k]:
            parts[c] = steps[(c, n)][1]
        return round(math.fsum(parts), RANK_PRECISION)

    def above(self, t: float, excluded: tuple[str, ...]) -> int:
        count = len(self.asc) - bisect.bisect_right(self.asc, t + 1e-12)
        return count - sum(1 for e in excluded if self.scores[e] > t + 1e-12)

    def changes(self, x: str | None, u: float, y: str | None, v: float) -> bool:
        excluded = tuple(e for e in (x, y) if e is not None)
        if x is not None:
            extra = 1 if y is not None and v > u + 1e-12 else 0
            if self.above(u, excluded) + extra >= self.top:
                return True
        if y is not None:
            extra = 1 if x is not None and u > v + 1e-12 else 0
            if self.above(v, excluded) + extra <= self.top - 1:
                return True
        return False

    def consider(self, x: str | None, y: str | None) -> None:
        bound = self.limit if self.best is None else self.best[0] - 1
        down = self.curve(x, False).gain if x else (0.0,)
        up = self.curve(y, True).gain if y else (0.0,)
        for k1 in range(min(len(down) - 1, bound) + 1):
            u = self.moved(x, False, k1) if x else 0.0
            for k2 in range(min(len(up) - 1, bound - k1) + 1):
                v = self.moved(y, True, k2) if y else 0.0
                if (k1 or k2) and self.changes(x, u, y, v):
                    self.best = (k1 + k2, x, k1, y, k2)
                    bound = k1 + k2 - 1
                    break

    def run(self, inside: list[str], outside: list[str]) -> None:
        for x in inside:
            self.consider(x, None)
        m = self.scored.matrix
        max_step = max(
            (1.0 if self.scored.method == "count" else c.weight for c in m.criteria),
            default=0.0,
        )
        if max_step <= 0:
            return
        ordered = sorted(self.scores.values(), reverse=True)
        floor = ordered[self.top + 1] if len(ordered) > self.top + 1 else -math.inf
        for y in outside:
            need = floor - self.scores[y]
            lower = math.ceil(need / max_step - 1e-9) if need > 0 else 1
            bound = self.limit if self.best is None else self.best[0] - 1
            if lower > bound:
                break
            self.consider(None, y)
            for x in inside:
                self.consider(x, y)

    def flips(self, cid: str | None, k: int, up: bool) -> list[Flip]:
        if cid is None or k == 0:
            return []
        curve, raters = self.curves[(cid, up)]
        m = self.scored.matrix
        row = m.cells[self.index[cid]]
        result = []
        for c, n in curve.choice[k]:
            crit = m.criteria[c]
            values = filled(row[c], crit.low)
            for r in raters[(c, n)][0]:
                result.append(Flip(m.raters[r], cid, crit.id, values[r],
                                   crit.high if up else crit.low))
        return sorted(result, key=lambda f: (f.challenge, f.criterion, f.rater))


def _cut(scored: Scored, top: int) -> tuple[int | None, tuple[str, ...], bool]:
    ranking = scored.ranking
    if top <= 0 or top > len(ranking):
        return None, (), False
    at_cut = ranking[top - 1]
    tie = tuple(e.id for e in ranking if e.rank == at_cut.rank)
    if len(tie) < 2:
        return at_cut.rank, (), False
    return at_cut.rank, tie, len(top_set(ranking, top)) > top


def _summary(n: int, entered: tuple[str, ...], left: tuple[str, ...], top: int) -> str:
    if entered and left:
        return count("sc_flip_swap", n, left=and_list(left), entered=and_list(entered))
    if entered:
        return count("sc_flip_enter", n, entered=and_list(entered), top=top)
    return count("sc_flip_leave", n, left=and_list(left), top=top)


def stability(scored: Scored, top: int, limit: int = FLIP_LIMIT) -> Stability:
    """The tie at the top-K cut and the fewest single flips that change the top-K set."""
    cut_rank, tie, straddles = _cut(scored, top)
    ranking = scored.ranking
    inside = top_set(ranking, top)
    outside = [e.id for e in ranking if e.id not in inside]
    if not outside or top <= 0:
        return Stability(top, cut_rank, tie, straddles, None, (), (), (), False,
                         message("sc_all_in_top", top=top))
    if scored.method == "borda":
        return Stability(top, cut_rank, tie, straddles, None, (), (), (), False,
                         message("sc_flip_not_borda"))
    search = _Search(scored, top, limit)
    insiders = sorted(inside, key=lambda c: (search.scores[c], c))
    search.run(insiders, outside)
    if search.best is None:
        return Stability(top, cut_rank, tie, straddles, None, (), (), (), True,
                         message("sc_flip_none", limit=limit, top=top))
    n, x, k1, y, k2 = search.best
    flips = tuple(search.flips(x, k1, False) + search.flips(y, k2, True))
    new_scores = dict(search.scores)
    if x is not None and k1:
        new_scores[x] = search.moved(x, False, k1)
    if y is not None and k2:
        new_scores[y] = search.moved(y, True, k2)
    after = top_set(competition_ranking(new_scores), top)
    entered, left = tuple(sorted(after - inside)), tuple(sorted(inside - after))
    return Stability(top, cut_rank, tie, straddles, n, flips, entered, left, True,
                     _summary(n, entered, left, top))
