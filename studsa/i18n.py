"""The sv/en label catalog: every word a report says comes from here.

The labels live in ``studsa/catalog/<language>/<area>.json``: one flat object per area
(``reports``, ``terminal``, ...), the same files with the same keys in the same order in
every language. An area's files are merged; a key in two areas is an error. A language's
files are read the first time its labels are asked for, and only once per process.

Labels may hold ``{name}`` placeholders, filled by the templates' ``fill`` filter.
Month names, numbers and list joining are Babel's job (see ``studsa.report.format``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

LANGUAGES = ("sv", "en")
LOCALES = {"sv": "sv_SE", "en": "en_GB"}
"""The Babel locale of each project language."""

# Beside this module, in a checkout and in an installed wheel alike; found by path, as
# studsa.resources finds the templates (cheaper than importlib.resources' readers).
_FOLDER = Path(__file__).resolve().parent / "catalog"


@cache
def _read(language: str) -> MappingProxyType[str, str]:
    """Read the catalog files of one known language (once per process)."""
    merged: dict[str, str] = {}
    for source in sorted((_FOLDER / language).glob("*.json")):
        area = json.loads(source.read_text(encoding="utf-8"))
        twice = merged.keys() & area.keys()
        if twice:
            raise RuntimeError(f"{source}: keys also in another area: {sorted(twice)}")
        merged.update(area)
    # A MappingProxyType, not a dict: read-only, and report.env's sandbox reads its
    # keys as attributes (``t.overview``) on a short path kept for this type.
    return MappingProxyType(merged)


class _Catalog(Mapping[str, Mapping[str, str]]):
    """The languages and their labels; a language's file is read when it is looked up."""

    def __getitem__(self, language: str) -> Mapping[str, str]:
        if language not in LANGUAGES:
            raise KeyError(language)
        return _read(language)

    def __contains__(self, language: object) -> bool:
        return language in LANGUAGES

    def __iter__(self) -> Iterator[str]:
        return iter(LANGUAGES)

    def __len__(self) -> int:
        return len(LANGUAGES)


CATALOG: Mapping[str, Mapping[str, str]] = _Catalog()


def labels(language: str) -> Mapping[str, str]:
    """Return the read-only label catalog of ``language`` (``sv`` or ``en``)."""
    try:
        return CATALOG[language]
    except KeyError:
        raise ValueError(f"no labels for language {language!r}; use one of {LANGUAGES}") from None


def locale_of(language: str) -> str:
    """Return the Babel locale (``sv_SE``, ``en_GB``) of a project language."""
    return LOCALES[language]


# -- The terminal's language ---------------------------------------------------------------
# What studsa prints in the terminal comes from the same catalog as the reports. The
# language: ``--lang`` when given (``override_language``), else STUDSA_LANG when set, else a
# project's ``language:`` once a command has opened one (``use_language``), else the locale
# (LC_ALL, LC_MESSAGES, LANG starting with "sv"), else English.

_chosen: list[str] = []
_override: list[str] = []


def _from_environment() -> str | None:
    import os

    wanted = os.environ.get("STUDSA_LANG", "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else None


def _from_locale() -> str:
    import os

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def use_language(language: str | None) -> None:
    """Speak ``language`` in the terminal from now on (None: back to the locale)."""
    _chosen.clear()
    if language in LANGUAGES:
        _chosen.append(language)


def override_language(language: str | None) -> None:
    """``--lang``: speak ``language`` whatever the project says (None: no override)."""
    _override.clear()
    if language in LANGUAGES:
        _override.append(language)


def overridden() -> bool:
    """Whether ``--lang`` or STUDSA_LANG decides the language (a project's does not count)."""
    return bool(_override) or _from_environment() is not None


def terminal_language() -> str:
    """The language of what studsa prints now (see the comment above)."""
    if _override:
        return _override[0]
    return _from_environment() or (_chosen[0] if _chosen else _from_locale())


def message(key: str, /, **values: object) -> str:
    """The catalog text ``key`` in the terminal's language, ``{name}`` filled from values."""
    text = labels(terminal_language())[key]
    return text.format(**values) if values else text


def count(key: str, n: int, /, **values: object) -> str:
    """``message(key, n=n, ...)``, or ``key_one`` where the language's plural rule says
    "one" (Babel's plural forms; 1 in Swedish and English): "1 aktivitet", "3 aktiviteter".
    """
    from babel import Locale

    language = terminal_language()
    form = Locale.parse(LOCALES[language]).plural_form(abs(n))
    catalog = labels(language)
    text = catalog.get(f"{key}_one", catalog[key]) if form == "one" else catalog[key]
    return text.format(n=n, **values)


def and_list(items: Iterable[object], style: str = "standard") -> str:
    """``a, b och c`` / ``a, b and c`` in the terminal's language (Babel's list patterns);
    ``style="or"`` for ``a, b eller c``."""
    from babel.lists import format_list

    texts = [str(item) for item in items]
    if not texts:
        return ""
    return format_list(texts, style=style, locale=LOCALES[terminal_language()])  # type: ignore[arg-type]
