"""Plain data the scoring core works on: scales, criteria, the assessment matrix.

No I/O, no pydantic: the workflow layer turns project files into these objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

YES_WORDS = frozenset({"ja", "j", "yes", "y", "true", "sant", "1", "x", "uppfyllt", "met"})
NO_WORDS = frozenset({"nej", "n", "no", "false", "falskt", "0", "ej", "inte uppfyllt", "not met"})
SCALES: dict[str, tuple[int, int]] = {"yes-no": (0, 1), "0-3": (0, 3), "1-5": (1, 5)}
METHODS = ("count", "weighted", "borda")
NUMERIC = ("median", "mean")

Key = tuple[str, str, str]
"""``(rater, challenge, criterion)``: the address of one verdict."""


def scale_bounds(scale: str) -> tuple[int, int]:
    """Return the lowest and highest value of ``scale``."""
    try:
        return SCALES[scale]
    except KeyError:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}") from None


def parse_value(scale: str, raw: object) -> int:
    """Turn a cell as written (``ja``, ``Nej``, ``true``, ``3``) into a number on ``scale``.

    Raises ``ValueError`` with a sentence saying what the scale accepts.
    """
    low, high = scale_bounds(scale)
    if isinstance(raw, bool):
        if scale != "yes-no":
            raise ValueError(f"{raw!r} is a yes/no answer but the scale is {scale} ({low}-{high})")
        return int(raw)
    text = str(raw).strip().lower()
    if scale == "yes-no":
        if text in YES_WORDS:
            return 1
        if text in NO_WORDS:
            return 0
        raise ValueError(f"{raw!r} is not a yes/no answer (use ja/nej, yes/no, true/false, 1/0)")
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"{raw!r} is not a number on the scale {scale}") from None
    if not number.is_integer() or not low <= number <= high:
        raise ValueError(f"{raw!r} is off the scale {scale} (whole numbers {low} to {high})")
    return int(number)


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion as the core needs it."""

    id: str
    scale: str = "yes-no"
    weight: float = 1.0

    @cached_property
    def low(self) -> int:
        """Lowest value on the scale."""
        return scale_bounds(self.scale)[0]

    @cached_property
    def high(self) -> int:
        """Highest value on the scale."""
        return scale_bounds(self.scale)[1]

    @cached_property
    def midpoint(self) -> float:
        """A numeric criterion is met at or above this aggregated value."""
        return (self.low + self.high) / 2


class ColumnarValues(Protocol):
    """``Problem.values`` may also offer its values per rater, position by position; the
    matrix is then filled from these columns (the same values, without a lookup per key)."""

    def columns(self) -> Iterable[tuple[str, Sequence[str], Sequence[str], Sequence[float]]]:
        """Per rater: (rater, challenges, criteria, values)."""
        ...


@dataclass(frozen=True)
class Problem:
    """Everything a ranking depends on.

    ``values`` maps ``(rater, challenge, criterion)`` to a number on the criterion's scale
    (yes-no as 1/0). Challenges are the ones to rank (out-of-scope ones already left out).
    """

    challenges: Sequence[str]
    criteria: Sequence[CriterionSpec]
    raters: Sequence[str]
    values: Mapping[Key, float]
    threshold: float = 0.5
    numeric: str = "median"

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ValueError("the yes/no threshold must be above 0 and at most 1")
        if self.numeric not in NUMERIC:
            raise ValueError(f"numeric aggregation must be one of {', '.join(NUMERIC)}")
        for what, ids in (("challenge", self.challenges), ("criterion",
                          [c.id for c in self.criteria]), ("rater", self.raters)):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{what} ids must be unique")


@dataclass(frozen=True)
class Matrix:
    """The problem as dense rows: ``cells[i][c]`` holds one value per rater (None: missing)."""

    challenges: tuple[str, ...]
    criteria: tuple[CriterionSpec, ...]
    raters: tuple[str, ...]
    cells: tuple[tuple[tuple[float | None, ...], ...], ...]
    threshold: float
    numeric: str
    missing: tuple[Key, ...] = field(default=())


def _fill(grid: dict[str, list[list[float | None]]], values: Mapping[Key, float],
          rater_at: dict[str, int], crit_at: dict[str, int]) -> None:
    """Put every value into its cell, in one pass (values of other challenges, raters or
    criteria are not part of the problem and are left out)."""
    columns = getattr(values, "columns", None)
    if callable(columns):  # values kept per rater as columns (see ColumnarValues)
        for rater, challenges, crits, numbers in columns():
            r = rater_at.get(rater)
            if r is None:
                continue
            for challenge, crit, value in zip(challenges, crits, numbers, strict=True):
                cells = grid.get(challenge)
                k = crit_at.get(crit)
                if cells is not None and k is not None:
                    cells[k][r] = value
        return
    for (rater, challenge, crit), value in values.items():
        cells = grid.get(challenge)
        if cells is None:
            continue
        r, k = rater_at.get(rater), crit_at.get(crit)
        if r is not None and k is not None:
            cells[k][r] = value


def to_matrix(problem: Problem) -> Matrix:
    """Lay the values out densely and list every missing verdict (sorted)."""
    raters = tuple(problem.raters)
    ids = [c.id for c in problem.criteria]
    rows: list[tuple[tuple[float | None, ...], ...]]
    if len(raters) == 1:  # one rater: a lookup per cell beats a pass over all values
        get, only = problem.values.get, raters[0]
        rows = [tuple([(get((only, challenge, crit)),) for crit in ids])
                for challenge in problem.challenges]
    else:
        rater_at = {rater: n for n, rater in enumerate(raters)}
        crit_at = {crit: n for n, crit in enumerate(ids)}
        grid: dict[str, list[list[float | None]]] = {
            challenge: [[None] * len(raters) for _ in ids] for challenge in problem.challenges}
        _fill(grid, problem.values, rater_at, crit_at)
        rows = [tuple([tuple(cell) for cell in grid[challenge]])
                for challenge in problem.challenges]
    missing: list[Key] = []
    for challenge, row in zip(problem.challenges, rows, strict=True):
        for crit, cell in zip(ids, row, strict=True):
            if None in cell:
                missing.extend((rater, challenge, crit)
                               for rater, value in zip(raters, cell, strict=True)
                               if value is None)
    missing.sort()
    return Matrix(tuple(problem.challenges), tuple(problem.criteria), raters, tuple(rows),
                  problem.threshold, problem.numeric, tuple(missing))
