"""The quick paths of report rendering give exactly what the plain paths give."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from studsa.report import format as fmt
from studsa.report.env import ReportSandbox

# --- Markdown escaping: the earlier, straightforward implementation ------------------

_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<#|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-zÀ-ÿ])_|_(?![0-9A-Za-zÀ-ÿ])")
_LIST_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_LINE_START = re.compile(r"^([-+=>])")


def _plain_inline(value: object) -> str:
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    text = _LIST_ORDERED.sub(r"\1\\\2", text)
    return _LINE_START.sub(r"\\\1", text)


_ALPHABET = "ab Å1 90.)-+=>#*_[]<|~`\\&;x\n\t²٣"


def _texts(count: int) -> list[str]:
    rng = random.Random(8)
    texts = ["", " ", "1. maj", "2021", "12) x", "-", "- a", "> q", "=", "a_b", "_a_", "&amp;",
             "&#65;", "& x", "١. x", "²3. x", "1234567890. x", "a\nb", "x | y"]
    for _ in range(count):
        texts.append("".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 12))))
    return texts


def test_md_inline_matches_the_plain_escaping() -> None:
    for text in _texts(20000):
        assert fmt.md_inline(text) == _plain_inline(text), repr(text)
        assert fmt.md_inline(text) == _plain_inline(text), repr(text)  # memoised


def test_md_inline_of_other_types_and_str_subclasses() -> None:
    class Shown(str):
        def __str__(self) -> str:
            return "#shown"

    assert fmt.md_inline(Shown("plain")) == "\\#shown"
    assert fmt.md_inline(12) == "12"
    assert fmt.md_inline(None) == ""


def test_md_block_matches_the_plain_escaping_per_line() -> None:
    for text in _texts(3000):
        block = fmt.md_block(text)
        lines = [" ".join(line.split()) for line in text.strip().split("\n")]
        expected = "\n".join(_plain_inline(line) for line in lines if line)
        if "\n\n" not in text and not re.search(r"\n\s*\n", text):
            assert block == expected, repr(text)


# --- numbers and money: memoised, the same as Babel's functions ----------------------

@pytest.mark.parametrize("language,locale", [("sv", "sv_SE"), ("en", "en_GB")])
def test_memoised_numbers_equal_babel(language: str, locale: str) -> None:
    from babel.numbers import format_currency, format_decimal

    values = [0, -0.0, 0.0, 1, 1.0, 2.5, 3.25, -4.125, 1234567, 1234567.891, Decimal("1.10"),
              Decimal("-0"), Decimal("2500000"), 10**12]
    f = fmt.Formatter(language, locale)
    for _ in range(2):  # the second round reads the memo
        for value in values:
            assert f.money(value) == format_currency(
                value, "SEK", format=fmt._MONEY_PATTERNS[language], locale=locale,
                currency_digits=False), value
            for digits in (0, 1, 2):
                plain = int(value) if isinstance(value, float) and value.is_integer() else value
                pattern = "#,##0" + ("." + "#" * digits if digits else "")
                assert f.number(value, digits) == format_decimal(
                    plain, format=pattern, locale=locale), (value, digits)
    assert f.money(-0.0) == format_currency(-0.0, "SEK", format=fmt._MONEY_PATTERNS[language],
                                            locale=locale, currency_digits=False)


# --- the sandbox's short path for data fields ----------------------------------------

@dataclass(frozen=True)
class Row:
    title: str
    count: int
    _hidden: str = "secret"
    method: object = None


def _render(env: SandboxedEnvironment, source: str, **values: object) -> str:
    return env.from_string(source).render(**values)


@pytest.fixture(params=[SandboxedEnvironment, ReportSandbox])
def env(request: pytest.FixtureRequest) -> SandboxedEnvironment:
    return request.param(undefined=StrictUndefined)  # type: ignore[no-any-return]


def test_fields_and_labels_read_the_same(env: SandboxedEnvironment) -> None:
    from types import MappingProxyType

    t = MappingProxyType({"overview": "Översikt", "items": "label named items"})
    out = _render(env, "{{ r.title }} {{ r.count }} {{ t.overview }} {{ t['items'] }} "
                  "{{ t.items is callable }} {{ d.x }}", r=Row("A", 2), t=t, d={"x": 1})
    assert out == "A 2 Översikt label named items True 1"


@pytest.mark.parametrize("source", [
    "{{ r._hidden }}",
    "{{ r.__class__ }}",
    "{{ r.title.__class__.__mro__ }}",
    "{{ t.__class__ }}",
    "{{ t.missing }}",
    "{{ r.nothing }}",
])
def test_what_the_sandbox_refuses_stays_refused(env: SandboxedEnvironment, source: str) -> None:
    from types import MappingProxyType

    with pytest.raises((SecurityError, UndefinedError)):
        _render(env, source, r=Row("A", 2), t=MappingProxyType({"a": "b"}))


def test_a_format_method_in_a_field_is_still_sandboxed(env: SandboxedEnvironment) -> None:
    row = Row("A", 2, method="{0.__class__.__base__.__subclasses__}".format)
    with pytest.raises(SecurityError):
        _render(env, "{{ r.method(r) }}", r=row)


# --- SVG text wrapping: the quick path equals textwrap --------------------------------

def test_svg_wrap_equals_textwrap() -> None:
    import textwrap

    from studsa.report import svg

    rng = random.Random(5)
    alphabet = ["a", "bb", "ccc", "Åäö", "x" * 9, "y" * 30, "-", "a-b", "--", "é", "1.", "(2)"]
    texts = ["", "   ", "Otrygga gångstråk i centrum (1)", "ord\u00a0med\u2003mellanrum"]
    for _ in range(5000):
        texts.append(" ".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))))
    for text in texts:
        for width_px in (20.0, 60.0, 184.0, 248.0):
            chars = max(4, int(width_px / (svg.FONT_SIZE * svg.CHAR_W)))
            expected = textwrap.wrap(" ".join(text.split()), width=chars,
                                     break_on_hyphens=True) or [""]
            assert svg.wrap(text, width_px) == expected, (text, width_px)
