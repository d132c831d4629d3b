"""What one report render may spend: loop steps, output size and time.

A user's template is code; Jinja's sandbox keeps it from the file system and from Python's
internals, not from running for ever. ``Budget`` is held in a context variable for the
render running in this thread; the sandbox's ``range`` and its ``*``/``**`` operators count
against it, and the output is counted as it is made, so a hostile or mistaken template
(nested ``range(100000)``, ``"x" * 10**12``) is refused with its name and line instead of
hanging. The limits are far above what any report needs (a report of 1,000 challenges
renders in well under a second and is a few megabytes).
"""

from __future__ import annotations

import contextlib
import contextvars
import operator
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from studsa.i18n import message
from studsa.storage.reader import grouped

MAX_LOOP_STEPS = 2_000_000
"""Steps through ``range`` one render may take (all loops together)."""
MAX_OUTPUT_CHARS = 50_000_000
"""Characters one report may hold."""
MAX_SECONDS = 60.0
"""Time one render may take."""
MAX_POWER_BITS = 100_000
"""Bits a ``**`` result may hold (10**30,000 or so)."""
_CHECK_EVERY = 1024

_CURRENT: contextvars.ContextVar[Budget | None] = contextvars.ContextVar(
    "studsa_render_budget", default=None)


class BudgetError(Exception):
    """A render passed its budget (turned into a ``TemplateProblemError`` at its line)."""


@dataclass
class Budget:
    """The limits of one render and what it has spent."""

    steps: int = MAX_LOOP_STEPS
    chars: int = MAX_OUTPUT_CHARS
    seconds: float = MAX_SECONDS
    spent_steps: int = 0
    deadline: float = field(default=0.0, repr=False)

    @contextlib.contextmanager
    def running(self) -> Iterator[Budget]:
        """Make this the budget of the render run inside the ``with``."""
        self.spent_steps = 0
        self.deadline = time.monotonic() + self.seconds
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)

    def step(self, n: int) -> None:
        """Count ``n`` loop steps, and check the clock."""
        self.spent_steps += n
        if self.spent_steps > self.steps:
            raise BudgetError(message("safety_template_steps", limit=grouped(self.steps)))
        self.clock()

    def clock(self) -> None:
        """Refuse when the render has run past its time."""
        if time.monotonic() > self.deadline:
            raise BudgetError(message("safety_template_time", seconds=f"{self.seconds:g}"))

    def size(self, n: int) -> None:
        """Refuse a value or an output of ``n`` characters over the output limit."""
        if n > self.chars:
            raise BudgetError(message("safety_template_output", limit=grouped(self.chars)))

    def chunks(self, parts: Iterable[str]) -> Iterator[str]:
        """The render's output, counted as it is made."""
        total = 0
        for count, part in enumerate(parts):
            total += len(part)
            if total > self.chars:
                self.size(total)
            if count % _CHECK_EVERY == 0:
                self.clock()
            yield part


def _current() -> Budget:
    return _CURRENT.get() or Budget()


class _Steps:
    """A ``range`` whose iteration counts against the render's budget."""

    __slots__ = ("_range",)

    def __init__(self, values: range) -> None:
        self._range = values

    def __len__(self) -> int:
        return len(self._range)

    def __iter__(self) -> Iterator[int]:
        budget = _current()
        values = iter(self._range)
        while True:
            block = list(_take(values, _CHECK_EVERY))
            if not block:
                return
            budget.step(len(block))
            yield from block

    def __getitem__(self, index: Any) -> Any:
        return self._range[index]

    def __contains__(self, value: object) -> bool:
        return value in self._range

    def __repr__(self) -> str:
        return repr(self._range)


def _take(values: Iterator[int], n: int) -> Iterator[int]:
    for _ in range(n):
        try:
            yield next(values)
        except StopIteration:
            return


def budgeted_range(*args: int) -> _Steps:
    """The templates' ``range``: steps counted against the render's budget."""
    values = range(*args)
    if len(values) > _current().steps:
        raise BudgetError(message("safety_template_steps", limit=grouped(_current().steps)))
    return _Steps(values)


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul, "**": operator.pow, "+": operator.add, "-": operator.sub,
    "/": operator.truediv, "//": operator.floordiv, "%": operator.mod,
}


def budgeted_binop(operator_name: str, left: Any, right: Any) -> Any:
    """``left <op> right``, refusing a repeated text or list or a power too big to make."""
    budget = _current()
    if operator_name == "*":
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int):
                budget.size(len(seq) * max(times, 0))
    elif (operator_name == "**" and isinstance(left, int) and isinstance(right, int)
          and right > 0 and abs(left) > 1 and abs(left).bit_length() * right > MAX_POWER_BITS):
        raise BudgetError(message("safety_template_power"))
    return _BINOPS[operator_name](left, right)


__all__ = ["MAX_LOOP_STEPS", "MAX_OUTPUT_CHARS", "MAX_SECONDS", "Budget", "BudgetError",
           "budgeted_binop", "budgeted_range"]
