"""Follow-up periods, Swedish mandate periods and challenge horizons: pure date arithmetic.

A follow-up period is a year (``2021``, asked of every department) or a tertial
(``2021-T2``, asked only of the departments that report per tertial). Swedish municipal
mandate periods are four years and start the year after an election: 2019–2022,
2023–2026, 2027–2030, … (the rule holds from 1995 on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studsa.errors import UsageError
from studsa.i18n import message

PERIOD_RE = re.compile(r"^([0-9]{4})(?:-[Tt]([123]))?$")
HORIZON_RE = re.compile(r"^(1y|10y|mandate|[0-9]{4})$")
MANDATE_ANCHOR = 2019
MANDATE_YEARS = 4
TERTIALS_PER_YEAR = 3


@dataclass(frozen=True, order=False)
class Period:
    """A follow-up period: a whole year, or one of its three tertials."""

    year: int
    tertial: int | None = None

    def __str__(self) -> str:
        return f"{self.year}" if self.tertial is None else f"{self.year}-T{self.tertial}"

    @property
    def is_tertial(self) -> bool:
        """Whether this is a tertial period (asked only of tertial departments)."""
        return self.tertial is not None

    @property
    def sort_key(self) -> tuple[int, int]:
        """Chronological order: T1, T2, T3, then the year-end report of the same year."""
        return (self.year, self.tertial if self.tertial is not None else TERTIALS_PER_YEAR + 1)

    def asks(self, cadence: str) -> bool:
        """Whether a department with ``cadence`` (``tertial``/``annual``) reports in this period."""
        return not self.is_tertial or cadence == "tertial"


def parse_period(text: str) -> Period:
    """Parse ``2021`` or ``2021-T2``; raise a ``UsageError`` that shows the forms."""
    match = PERIOD_RE.match(str(text).strip())
    if not match:
        raise UsageError(message("err_period_invalid", text=text))
    year = int(match.group(1))
    if not 1900 <= year <= 2200:
        raise UsageError(message("err_period_year", text=text))
    tertial = int(match.group(2)) if match.group(2) else None
    return Period(year, tertial)


def sort_periods(periods: list[str]) -> list[str]:
    """Sort period names chronologically (unparseable ones last, by name)."""

    def key(name: str) -> tuple[int, int, int, str]:
        match = PERIOD_RE.match(name)
        if not match:
            return (1, 0, 0, name)
        period = parse_period(name)
        return (0, *period.sort_key, name)

    return sorted(periods, key=key)


def reports_per_year(cadence: str) -> int:
    """How many follow-up reports a department owes per activity and year."""
    return TERTIALS_PER_YEAR if cadence == "tertial" else 1


def mandate_period(year: int) -> tuple[int, int]:
    """The Swedish mandate period containing ``year``: 2021 → (2019, 2022)."""
    start = MANDATE_ANCHOR + ((year - MANDATE_ANCHOR) // MANDATE_YEARS) * MANDATE_YEARS
    return start, start + MANDATE_YEARS - 1


def next_mandate_period(year: int) -> tuple[int, int]:
    """The mandate period after the one containing ``year``: 2021 → (2023, 2026)."""
    _, end = mandate_period(year)
    return mandate_period(end + 1)


def check_horizon(value: str) -> str:
    """Return ``value`` if it is a valid horizon, else raise a ``UsageError``."""
    text = str(value).strip()
    if not HORIZON_RE.match(text):
        raise UsageError(message("err_horizon_invalid", value=value))
    return text


@dataclass(frozen=True)
class HorizonSpan:
    """A challenge's horizon resolved to years (both ends included)."""

    code: str
    """As written in the plan: ``1y``, ``10y``, ``mandate`` or a target year."""
    first_year: int
    """The first year of the horizon (the plan's start year)."""
    last_year: int
    """The last year of the horizon (the target year, or end of the mandate period)."""
    mandate: tuple[int, int] | None = None
    """The mandate period's years, when the horizon is ``mandate``."""

    def contains(self, year: int) -> bool:
        """Whether ``year`` lies inside the horizon."""
        return self.first_year <= year <= self.last_year


def horizon_span(code: str, start_year: int) -> HorizonSpan:
    """Resolve a horizon code against the plan's start year.

    ``1y`` is the start year only, ``10y`` the start year and nine more, ``mandate`` the
    mandate period containing the start year, and a year the span up to that year.
    """
    text = check_horizon(code)
    if text == "1y":
        return HorizonSpan(text, start_year, start_year)
    if text == "10y":
        return HorizonSpan(text, start_year, start_year + 9)
    if text == "mandate":
        first, last = mandate_period(start_year)
        return HorizonSpan(text, start_year, last, mandate=(first, last))
    target = int(text)
    return HorizonSpan(text, min(start_year, target), target)
