"""Formatting for reports: Babel for numbers, money and dates; Markdown escaping of user text.

Every user-written string that lands in a Markdown report goes through one of the escaping
filters, so a ``|`` in a title cannot break a table, "1. maj" cannot become a list and
``*``, ``_``, ``#``, ``<`` stay literal characters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import NumberPattern, parse_pattern

# Currency patterns: Babel does the grouping (non-breaking spaces in Swedish); the pattern
# only drops the öre and puts the currency where each language writes it.
_MONEY_PATTERNS = {"sv": "#,##0\u00a0¤", "en": "¤\u00a0#,##0"}

# Characters that are Markdown syntax anywhere in a line (CommonMark + GFM tables/strikes).
_INLINE_SPECIAL = re.compile(r"([\\`*\[\]<#|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# ``_`` between two letters or digits never opens or closes emphasis, so it stays readable.
_UNDERSCORE = re.compile(r"(?<![0-9A-Za-zÀ-ÿ])_|_(?![0-9A-Za-zÀ-ÿ])")
# What makes a line a block of its own: a list item, a heading underline, a thematic break.
_LIST_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_LINE_START = re.compile(r"^([-+=>])")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Anything any of the escapes above would touch; most text has none and is returned as is.
_NEEDS_ESCAPE = re.compile(r"[\\`*\[\]<#|~&_]|^[\d\-+=>]")
_NEEDS_INLINE = re.compile(r"[\\`*\[\]<#|~&_]")
_LINE_START_CHARS = frozenset("-+=>")


# Escaped texts by their input: a report shows the same titles many times (the overview
# table, the headings, the ranking). Bounded; cleared whole when full.
_ESCAPED: dict[str, str] = {}
_ESCAPED_MAX = 65536


def md_inline(value: Any) -> str:
    """Escape user text for inline Markdown; line breaks become spaces."""
    if value is None:
        return ""
    if type(value) is str:
        cached = _ESCAPED.get(value)
        if cached is None:
            if len(_ESCAPED) >= _ESCAPED_MAX:
                _ESCAPED.clear()
            cached = _ESCAPED[value] = _escape_line(" ".join(value.split()))
        return cached
    return _escape_line(" ".join(str(value).split()))


def md_cell(value: Any) -> str:
    """Escape user text for a Markdown table cell (``|`` escaped, one line)."""
    text = md_inline(value)
    return text if text else " "


def md_block(value: Any) -> str:
    """Escape multi-paragraph user text; blank lines separate paragraphs."""
    if value is None:
        return ""
    paragraphs = re.split(r"\n\s*\n", str(value).replace("\r\n", "\n").strip())
    out = []
    for paragraph in paragraphs:
        lines = [" ".join(line.split()) for line in paragraph.split("\n")]
        out.append("\n".join(_escape_line(line) for line in lines if line))
    return "\n\n".join(p for p in out if p)


def _escape_line(text: str) -> str:
    if not _NEEDS_ESCAPE.search(text):
        return text
    if _NEEDS_INLINE.search(text):
        text = _INLINE_SPECIAL.sub(r"\\\1", text)
        text = _ENTITY.sub(r"\\&", text)
        text = _UNDERSCORE.sub(r"\\_", text)
    # The inline escapes only put a backslash before ``\`*[]<#|~&_``, so the first
    # character is still a digit, or one of ``-+=>``, exactly when it was before.
    first = text[:1]
    if first in _LINE_START_CHARS:
        return "\\" + text
    if first.isdigit():
        return _LIST_ORDERED.sub(r"\1\\\2", text)
    return text


def fill(template: str, **values: Any) -> str:
    """Fill ``{name}`` placeholders of a catalog label; unknown names stay as written."""
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        return str(values[key]) if key in values else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def plural_label(t: Mapping[str, str], key: str, n: int, locale: str) -> str:
    """The catalog label for ``n`` things in ``locale``: ``key_one`` where the language's
    plural rule says "one" (1 in Swedish and English) and the catalog has it, else ``key``.
    """
    if _locale(locale).plural_form(abs(n)) == "one":
        one = t.get(f"{key}_one")
        if one is not None:
            return one
    return t.get(key, key)


def count_phrase(t: Mapping[str, str], key: str, n: int, locale: str) -> str:
    """``3 källor`` / ``1 källa``: a count label (``count_*``) filled with ``n``."""
    return fill(plural_label(t, key, n, locale), n=n)


def lookup(key: Any, mapping: Mapping[Any, Any]) -> Any:
    """``mapping[key]``, or the key itself when the mapping has no entry."""
    return mapping.get(key, key)


@lru_cache(maxsize=16)
def _locale(identifier: str) -> Locale:
    return Locale.parse(identifier)


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


# Number types whose value and ``repr`` say everything Babel formats (``-0.0`` and ``0.0``
# are equal but print differently, so the memo key is the repr, not the value).
_MEMO_TYPES = frozenset({int, float, Decimal})


class Formatter:
    """Locale-bound formatting functions, exposed to templates as filters."""

    def __init__(self, language: str, locale: str) -> None:
        self.language = language
        self.locale = locale
        # Reports format the same amounts and scores many times (per row, per total):
        # memoise by type and repr, the whole input of the formatting.
        self._money: dict[tuple[type, str], str] = {}
        self._numbers: dict[tuple[type, str, int], str] = {}

    def money(self, value: Any) -> str:
        """``2500000`` → ``2 500 000 kr`` (non-breaking spaces) or ``SEK 2,500,000``."""
        if value is None or value == "":
            return ""
        kind = type(value)
        key = (kind, repr(value)) if kind in _MEMO_TYPES else None
        cached = self._money.get(key) if key is not None else None
        if cached is not None:
            return cached
        # format_currency(value, "SEK", format=…, locale=…, currency_digits=False), with
        # the locale and the pattern parsed once
        text: str = _pattern(_MONEY_PATTERNS[self.language]).apply(
            value, _locale(self.locale), currency="SEK", currency_digits=False)
        if key is not None:
            self._money[key] = text
        return text

    def number(self, value: Any, digits: int = 2) -> str:
        """A number with the locale's separators, at most ``digits`` decimals."""
        if value is None or value == "":
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        kind = type(value)
        key = (kind, repr(value), digits) if kind in _MEMO_TYPES else None
        cached = self._numbers.get(key) if key is not None else None
        if cached is not None:
            return cached
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        # format_decimal(value, format=pattern, locale=…), parsed once
        text: str = _pattern(pattern).apply(value, _locale(self.locale))
        if key is not None:
            self._numbers[key] = text
        return text

    def date(self, value: Any) -> str:
        """``2023-05-17`` → ``17 maj 2023`` / ``17 May 2023``."""
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return format_date(value, format="long", locale=self.locale)

    def and_list(self, values: Iterable[Any]) -> str:
        """``a, b och c`` / ``a, b and c``."""
        items = [str(v) for v in values]
        return format_list(items, locale=self.locale) if items else ""

    def plural(self, t: Mapping[str, str], key: str, n: int) -> str:
        """The label ``key`` (or ``key_one``) for ``n`` things: ``t | plural("x", n)``."""
        return plural_label(t, key, n, self.locale)

    def filters(self) -> Mapping[str, Callable[..., str]]:
        """Every filter the report templates may use."""
        return {
            "plural": self.plural,
            "md": md_inline,
            "cell": md_cell,
            "block": md_block,
            "fill": fill,
            "money": self.money,
            "number": self.number,
            "date": self.date,
            "and_list": self.and_list,
            "lookup": lookup,
        }


def terminal() -> Formatter:
    """The formatter of the terminal's language (``1 200 000 kr``, ``17 maj 2023``)."""
    from studsa.i18n import locale_of, terminal_language

    language = terminal_language()
    return _formatter(language, locale_of(language))


@lru_cache(maxsize=4)
def _formatter(language: str, locale: str) -> Formatter:
    return Formatter(language, locale)


def percent(share: float) -> str:
    """``0.42`` → ``42 %`` / ``42%`` in the terminal's language."""
    from babel.numbers import format_percent

    from studsa.i18n import locale_of, terminal_language

    return str(format_percent(share, locale=locale_of(terminal_language())))
