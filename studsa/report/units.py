"""The org-unit term of a project (``org_unit:`` in studsa.yaml) in every label that names it.

A municipality-wide programme places work on nämnder, a department's strategy on
avdelningar: labels such as ``Ansvarig {unit}`` or ``Följande {units_the} har inte
rapporterat`` are filled with the project's term in the right form. Known terms (avdelning,
förvaltning, nämnd, bolag, enhet, kontor and their English names) are inflected from the
catalog; any other term is used as written in every form.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from studsa.report.format import fill

TERMS = ("department", "administration", "committee", "company", "unit", "office")
"""The known org-unit terms, by their English id; the default is ``department``."""
FORMS = ("base", "the", "many", "the_many", "lead")
_PLACEHOLDERS = {"base": "unit", "the": "unit_the", "many": "units", "the_many": "units_the",
                 "lead": "lead_unit"}


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def term_of(setting: str | None, catalogs: Mapping[str, Mapping[str, str]]) -> str | None:
    """The known term id of an ``org_unit:`` setting in either language (None: unknown)."""
    if not setting or not setting.strip():
        return "department"
    wanted = _fold(setting)
    for term in TERMS:
        if wanted == term or any(_fold(c[f"ou_{term}_base"]) == wanted for c in catalogs.values()):
            return term
    return None


def unit_forms(setting: str | None, t: Mapping[str, str],
               catalogs: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The placeholders' values (``unit``, ``units_the``, ``lead_unit_cap`` …) for ``t``."""
    term = term_of(setting, catalogs)
    if term is not None:
        words = {form: t[f"ou_{term}_{form}"] for form in FORMS}
    else:
        own = " ".join(str(setting).split())
        words = {form: own for form in FORMS}
        words["lead"] = fill(t["ou_lead_own"], unit=own)
    values: dict[str, str] = {}
    for form, word in words.items():
        name = _PLACEHOLDERS[form]
        values[name] = word
        values[f"{name}_cap"] = word[:1].upper() + word[1:]
    return values


def with_units(t: Mapping[str, str], forms: Mapping[str, str]) -> Mapping[str, str]:
    """The labels with every org-unit placeholder filled (others stay for ``fill``)."""
    return MappingProxyType({key: fill(text, **forms) if "{" in text else text
                             for key, text in t.items()})
