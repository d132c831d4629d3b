"""Periods, mandate periods and horizons: pure date arithmetic."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studsa.errors import UsageError
from studsa.periods import (
    Period,
    horizon_span,
    mandate_period,
    next_mandate_period,
    parse_period,
    reports_per_year,
    sort_periods,
)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, (2019, 2022)),
        (2021, (2019, 2022)),
        (2022, (2019, 2022)),
        (2023, (2023, 2026)),
        (2026, (2023, 2026)),
        (2027, (2027, 2030)),
        (2018, (2015, 2018)),
        (1995, (1995, 1998)),
    ],
)
def test_mandate_period(year: int, expected: tuple[int, int]) -> None:
    assert mandate_period(year) == expected


def test_next_mandate_period() -> None:
    assert next_mandate_period(2021) == (2023, 2026)
    assert next_mandate_period(2022) == (2023, 2026)
    assert next_mandate_period(2023) == (2027, 2030)


@given(st.integers(min_value=1995, max_value=2200))
def test_mandate_period_contains_year_and_lasts_four_years(year: int) -> None:
    first, last = mandate_period(year)
    assert first <= year <= last and last - first == 3 and (first - 2019) % 4 == 0


@pytest.mark.parametrize(
    ("text", "period"),
    [("2021", Period(2021)), ("2021-T2", Period(2021, 2)), ("2021-t3", Period(2021, 3)),
     (" 2022-T1 ", Period(2022, 1))],
)
def test_parse_period(text: str, period: Period) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["21", "2021-T4", "2021-T0", "2021T2", "2021-Q2", "", "T2"])
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(UsageError, match="2021-T1"):
        parse_period(text)


def test_period_str_and_asks() -> None:
    assert str(Period(2021, 2)) == "2021-T2" and str(Period(2021)) == "2021"
    assert Period(2021, 2).asks("tertial") and not Period(2021, 2).asks("annual")
    assert Period(2021).asks("tertial") and Period(2021).asks("annual")
    assert reports_per_year("tertial") == 3 and reports_per_year("annual") == 1


def test_periods_sort_chronologically_with_the_year_last() -> None:
    names = ["2022", "2021", "2021-T3", "2021-T1", "2022-T1", "2021-T2", "notes"]
    assert sort_periods(names) == ["2021-T1", "2021-T2", "2021-T3", "2021", "2022-T1",
                                   "2022", "notes"]


@pytest.mark.parametrize(
    ("code", "start", "first", "last", "mandate"),
    [
        ("1y", 2021, 2021, 2021, None),
        ("10y", 2021, 2021, 2030, None),
        ("mandate", 2021, 2021, 2022, (2019, 2022)),
        ("mandate", 2023, 2023, 2026, (2023, 2026)),
        ("2025", 2021, 2021, 2025, None),
        ("2020", 2021, 2020, 2020, None),
    ],
)
def test_horizon_span(code: str, start: int, first: int, last: int, mandate) -> None:
    span = horizon_span(code, start)
    assert (span.first_year, span.last_year, span.mandate) == (first, last, mandate)
    assert span.contains(first) and span.contains(last) and not span.contains(last + 1)


@pytest.mark.parametrize("code", ["5y", "mandat", "20300", ""])
def test_horizon_refuses(code: str) -> None:
    with pytest.raises(UsageError, match="mandate, 1y or 10y"):
        horizon_span(code, 2021)
