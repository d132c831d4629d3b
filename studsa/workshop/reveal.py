"""What a closed round shows: the distribution per cell, the disputed cells, the ranking
with its cut line and the fewest flipped verdicts that would change the shortlist.

Plain data from the session's ballots, scored by ``studsa.scoring`` as ``studsa score``
scores the files. Nothing here names a rater: flips and changes are counted per cell.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from studsa.models.workshop import Round
from studsa.scoring import Problem, Scored, disagreement, score, stability
from studsa.workshop.session import Cell, Session

Values = dict[tuple[str, str, str], bool | int]


@dataclass(frozen=True)
class CellTally:
    """One cell of a round: how many gave each value, and how much they disagree."""

    challenge: str
    criterion: str
    counts: tuple[tuple[int, int], ...]
    """(value, how many) for every value on the scale, lowest first (yes-no: 0 = nej)."""
    raters: int
    level: float
    disputed: bool


@dataclass(frozen=True)
class RankLine:
    """One challenge in the room's ranking."""

    rank: int
    id: str
    title: str
    score: float
    inside: bool
    """Ranked K or better: on the shortlist."""


@dataclass(frozen=True)
class CellFlip:
    """A verdict that, flipped, changes the shortlist (which rater's is not said)."""

    challenge: str
    criterion: str
    old: float
    new: float


@dataclass(frozen=True)
class CellChange:
    """How many raters changed their verdict on a cell since the round before."""

    challenge: str
    criterion: str
    changed: int


@dataclass(frozen=True)
class Reveal:
    """Everything shown when a round is closed."""

    round: int
    voters: int
    cells: tuple[CellTally, ...]
    disputed: tuple[Cell, ...]
    ranking: tuple[RankLine, ...]
    top: int
    cut_tie: tuple[str, ...]
    min_flips: int | None
    flips: tuple[CellFlip, ...]
    changes: tuple[CellChange, ...]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return asdict(self)


def combined(session: Session, upto: int) -> Values:
    """Every verdict of rounds 1..``upto``, a later round's replacing an earlier one's."""
    found: Values = {}
    for rnd in session.record.rounds[:upto]:
        found.update(session.values(rnd))
    return found


def _scored(session: Session, challenges: list[str], values: Values) -> Scored:
    plan = session.plan
    raters = sorted({key[0] for key in values})
    problem = Problem(challenges, [k.spec for k in plan.criteria], raters,
                      {k: float(v) for k, v in values.items()}, plan.threshold, plan.numeric)
    return score(problem, plan.method, allow_missing=True)


def _tallies(session: Session, rnd: Round) -> tuple[list[CellTally], list[Cell]]:
    values = session.values(rnd)
    cells = session.round_cells(rnd)
    challenges = list(dict.fromkeys(c for c, _ in cells))
    levels: dict[Cell, float] = {}
    if values:
        scored = _scored(session, challenges, values)
        levels = {(d.challenge, d.criterion): d.level for d in disagreement(scored)}
    per_cell: dict[Cell, Counter[int]] = {cell: Counter() for cell in cells}
    for (_seat, challenge, criterion), value in values.items():
        if (challenge, criterion) in per_cell:
            per_cell[(challenge, criterion)][int(value)] += 1
    tallies = []
    for cell in cells:
        spec = session.criteria[cell[1]].spec
        counts = per_cell[cell]
        level = levels.get(cell, 0.0)
        tallies.append(CellTally(cell[0], cell[1],
                                 tuple((v, counts[v]) for v in range(spec.low, spec.high + 1)),
                                 sum(counts.values()), level, level > 0))
    disputed = [(t.challenge, t.criterion) for t in tallies if t.disputed]
    return tallies, disputed


def _changes(session: Session, number: int) -> list[CellChange]:
    if number < 2:
        return []
    before = combined(session, number - 1)
    changed: Counter[Cell] = Counter()
    for key, value in session.values(session.record.rounds[number - 1]).items():
        if key in before and int(before[key]) != int(value):
            changed[(key[1], key[2])] += 1
    return [CellChange(c, k, n) for (c, k), n in sorted(changed.items())]


def reveal(session: Session, number: int | None = None) -> Reveal:
    """The reveal of round ``number`` (default: the round now)."""
    number = number or session.round.number
    rnd = session.record.rounds[number - 1]
    tallies, disputed = _tallies(session, rnd)
    values = combined(session, number)
    challenges = [c for c, _ in session.plan.challenges]
    top = min(session.record.top, len(challenges))
    ranking: list[RankLine] = []
    cut_tie: tuple[str, ...] = ()
    min_flips: int | None = None
    flips: list[CellFlip] = []
    if values and challenges:
        scored = _scored(session, challenges, values)
        ranking = [RankLine(e.rank, e.id, session.titles[e.id], e.score, e.rank <= top)
                   for e in scored.ranking]
        stab = stability(scored, top)
        cut_tie, min_flips = stab.cut_tie, stab.min_flips
        flips = [CellFlip(f.challenge, f.criterion, f.old, f.new) for f in stab.flips]
    return Reveal(number, len({k[0] for k in session.values(rnd)}), tuple(tallies),
                  tuple(disputed), tuple(ranking), top, cut_tie, min_flips, tuple(flips),
                  tuple(_changes(session, number)))
