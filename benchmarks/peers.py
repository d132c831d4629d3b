"""studsa's in-process ranking beside pymcdm and scikit-criteria, like for like.

Every method gets the same decision problem as plain data already in memory: 1,000
challenges × six criteria on the three scales studsa knows, weighted sum, for one rater
and for 20 raters. studsa takes a ``Problem`` (what ``studsa score`` builds from the
files); the peers take the same values as a NumPy array (raters × challenges × criteria).
Timed, for each: aggregating the raters (yes-no: share ≥ threshold; scales: the median),
normalising to 0..1 on the scale, the weighted sum and the ranking. The peers share one
NumPy aggregation, so each counts the same aggregation cost; it is also timed alone.
The scores are checked equal to studsa's before anything is timed. Not a target: printed.
"""

from __future__ import annotations

import gc
import random
import statistics
import timeit
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from studsa.scoring import CriterionSpec, Problem, score, score_matrix, to_matrix

CHALLENGES = 1000
CRITERIA = (("evidens", "yes-no", 1.0), ("sarbara", "yes-no", 2.0),
            ("forebyggande", "0-3", 1.0), ("snabb_effekt", "0-3", 0.5),
            ("omfattning", "1-5", 1.5), ("samverkan", "1-5", 1.0))
THRESHOLD = 0.5


@dataclass(frozen=True)
class Case:
    """One decision problem, as studsa and as the peers take it."""

    raters: int
    problem: Problem
    cube: np.ndarray
    """Values as raters × challenges × criteria."""


@dataclass(frozen=True)
class Timing:
    """One method's in-process times (seconds per call, one per repeat)."""

    method: str
    raters: int
    times: list[float]

    @property
    def median(self) -> float:
        """The median time per call."""
        return statistics.median(self.times)


def make_case(raters: int, seed: int = 13) -> Case:
    """A deterministic problem; raters mostly agree (70 % give the cell's common value)."""
    rng = random.Random(seed)
    specs = [CriterionSpec(cid, scale, weight) for cid, scale, weight in CRITERIA]
    ids = [f"u{i + 1:05d}" for i in range(CHALLENGES)]
    names = [f"Bedömare {r + 1:02d}" for r in range(raters)]
    cube = np.empty((raters, CHALLENGES, len(specs)), dtype=np.int64)
    for i in range(CHALLENGES):
        for k, spec in enumerate(specs):
            common = rng.randint(spec.low, spec.high)
            for r in range(raters):
                cube[r, i, k] = common if rng.random() < 0.7 else rng.randint(spec.low,
                                                                              spec.high)
    values = {(name, cid, spec.id): int(cube[r, i, k])
              for r, name in enumerate(names) for i, cid in enumerate(ids)
              for k, spec in enumerate(specs)}
    return Case(raters, Problem(ids, specs, names, values, THRESHOLD, "median"), cube)


class Peers:
    """The peers' side: one NumPy aggregation, then pymcdm or scikit-criteria."""

    def __init__(self, case: Case) -> None:
        specs = case.problem.criteria
        self.cube = case.cube
        self.yes_no = np.array([s.scale == "yes-no" for s in specs])
        self.low = np.array([s.low for s in specs], dtype=float)
        self.span = np.array([s.high - s.low for s in specs], dtype=float)
        self.weights = np.array([s.weight for s in specs])
        self.unit_weights = self.weights / self.weights.sum()  # pymcdm wants a sum of 1
        self.types = np.ones(len(specs))
        self.names = [s.id for s in specs]

    def aggregate(self) -> np.ndarray:
        """Challenges × criteria on 0..1, as studsa aggregates and normalises a cell."""
        met = (self.cube.mean(axis=0) >= THRESHOLD - 1e-12).astype(float)
        scaled = (np.median(self.cube, axis=0) - self.low) / self.span
        return np.asarray(np.where(self.yes_no, met, scaled))

    def pymcdm(self, validation: bool) -> Callable[[], tuple[Any, Any]]:
        """pymcdm's weighted sum model (values already on 0..1: no further normalising)."""
        from pymcdm.methods import WSM

        wsm = WSM(normalization_function=_as_is)

        def run() -> tuple[Any, Any]:
            with warnings.catch_warnings():  # validation warns of dominated alternatives
                warnings.simplefilter("ignore")
                prefs = wsm(self.aggregate(), self.unit_weights, self.types,
                            validation=validation)
            return prefs * self.weights.sum(), wsm.rank(prefs)

        return run

    def skcriteria(self) -> Callable[[], tuple[Any, Any]]:
        """scikit-criteria's WeightedSumModel over a decision matrix."""
        import skcriteria
        from skcriteria.agg.simple import WeightedSumModel

        model = WeightedSumModel()

        def run() -> tuple[Any, Any]:
            dm = skcriteria.mkdm(self.aggregate(), [max] * len(self.names),
                                 weights=self.weights, criteria=self.names)
            result = model.evaluate(dm)
            return result.e_.score, result.rank_

        return run


def _as_is(column: np.ndarray, cost: bool) -> np.ndarray:
    """A pymcdm normalisation that keeps the column (it is on 0..1 already)."""
    return column


def _timed(func: Callable[[], object], repeats: int) -> list[float]:
    """timeit's repeats of ``func`` with the garbage collector on, as in a real run."""
    timer = timeit.Timer(func, "gc.enable()", globals={"gc": gc})
    number, _ = timer.autorange()
    return [total / number for total in timer.repeat(repeats, number)]


def _agrees(ours: dict[str, float], ids: list[str], theirs: Any) -> bool:
    """True when a peer's scores equal studsa's, challenge by challenge."""
    return bool(np.allclose(np.asarray(theirs, dtype=float), [ours[i] for i in ids],
                            atol=1e-9))


def compare(raters: int, repeats: int) -> list[Timing]:
    """Time every method on one problem; print each repeat; fail if the scores differ."""
    case = make_case(raters)
    ids = list(case.problem.challenges)
    peers = Peers(case)
    matrix = to_matrix(case.problem)
    ours = {e.id: e.score for e in score(case.problem, "weighted").ranking}
    methods: list[tuple[str, Callable[[], object]]] = [
        ("studsa score(Problem)", lambda: score(case.problem, "weighted")),
        ("studsa score_matrix (laid out)", lambda: score_matrix(matrix, "weighted")),
        ("NumPy aggregation alone", peers.aggregate),
    ]
    checked: list[tuple[str, Callable[[], tuple[Any, Any]]]] = [
        ("pymcdm WSM, validation on", peers.pymcdm(True)),
        ("pymcdm WSM, validation off", peers.pymcdm(False)),
    ]
    try:
        checked.append(("scikit-criteria WeightedSumModel", peers.skcriteria()))
    except ImportError:
        print("  scikit-criteria is not installed (pip install scikit-criteria): skipped")
    for label, peer in checked:
        if not _agrees(ours, ids, peer()[0]):
            raise SystemExit(f"{label} does not give studsa's scores: not like for like")
    found = []
    print(f"  {CHALLENGES} challenges × {len(CRITERIA)} criteria × {raters} rater(s); "
          "every peer's scores equal studsa's")
    for label, func in [*methods, *checked]:
        timing = Timing(label, raters, _timed(func, repeats))
        runs = " ".join(f"{t * 1000:.2f}" for t in timing.times)
        print(f"    {label:<34} median {timing.median * 1000:8.2f} ms   runs (ms): {runs}",
              flush=True)
        found.append(timing)
    return found
