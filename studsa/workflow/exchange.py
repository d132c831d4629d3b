"""The words of the spreadsheets studsa writes and reads back: sheet and column names.

``export --format xlsx|csv`` names sheets and columns in the project's language (from the
catalog's ``exchange`` area); the imports accept those names in Swedish and English, the
canonical English ids (``challenge``, ``rater``) and loose spellings of each (case, accents,
``_`` or a space: see ``storage.tabular.fold_name``). A criterion's cell columns are
``<criterion>.sources`` and ``<criterion>.comment`` (``evidens: källor``, ``evidens: kommentar``).
"""

from __future__ import annotations

from collections.abc import Iterable

from studsa.i18n import LANGUAGES, labels
from studsa.storage.tabular import fold_name

CELL_PARTS = ("sources", "comment")


def sheet_title(table: str, language: str) -> str:
    """The sheet name of ``table`` in ``language`` (``Utmaningar`` for ``challenges``)."""
    return labels(language)[f"xc_sheet_{table}"]


def sheet_titles(table: str) -> tuple[str, ...]:
    """Every name a workbook may give the sheet of ``table`` (both languages, the id)."""
    return (table, *(sheet_title(table, language) for language in LANGUAGES))


def column_label(column: str, language: str, unit: str | None = None) -> str:
    """The header of ``column`` in ``language``; ``unit`` names the department column.

    A criterion's id is its own header (it is data, not a word of studsa's).
    """
    catalog = labels(language)
    criterion, dot, part = column.partition(".")
    if dot and part in CELL_PARTS:
        return catalog[f"xc_col_cell_{part}"].format(criterion=criterion)
    if column == "department" and unit:
        return unit[:1].upper() + unit[1:]
    return catalog.get(f"xc_col_{column}", column)


def aliases(columns: Iterable[str], units: Iterable[str] = ()) -> dict[str, str]:
    """Folded header names to canonical column ids: every label of ``columns`` in sv and en.

    ``units`` are further names of the department column (the project's org-unit term).
    """
    found: dict[str, str] = {}
    for column in columns:
        names = [column, *(column_label(column, language) for language in LANGUAGES)]
        if column == "department":
            names.extend(units)
        for name in names:
            found.setdefault(fold_name(name), column)
    return found


def yes_no(value: bool, language: str) -> str:
    """``ja``/``nej`` (sv) or ``yes``/``no`` (en): how a spreadsheet shows a yes-no cell."""
    return labels(language)["xc_yes" if value else "xc_no"]


def parse_bool(text: str) -> bool | None:
    """A yes-no cell as written in either language (empty: None); ValueError otherwise."""
    folded = text.strip().casefold()
    if not folded:
        return None
    if folded in {"ja", "yes", "true", "sant", "1", "x"}:
        return True
    if folded in {"nej", "no", "false", "falskt", "0"}:
        return False
    raise ValueError(f"{text!r} is not a yes/no answer (use ja/nej or yes/no)")


def parse_decimal(text: str) -> float | None:
    """A number written with a decimal comma or point, spaces as thousands separators."""
    cleaned = "".join(text.split()).replace("\u2212", "-")
    if not cleaned:
        return None
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
