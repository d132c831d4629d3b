"""pydantic's validation errors as ``SchemaError`` problems, each at its file:line:column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from studsa.errors import SchemaError, StudsaError
from studsa.models.base import SLUG_PATTERN


def loc_text(loc: Sequence[str | int]) -> str:
    """Return a readable path like ``challenges[3].theme``."""
    text = ""
    for step in loc:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text


_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a known key (check the spelling)",
}


def schema_error(err: Any, locate: Callable[[Sequence[str | int]], tuple[int | None, int | None]],
                 path: Path | str) -> SchemaError:
    """Turn a pydantic ``ValidationError`` into a ``SchemaError`` with one problem per error."""
    problems: list[StudsaError] = []
    for item in err.errors(include_url=False):
        loc = [step for step in item["loc"] if not _is_union_tag(step)]
        line, column = locate(loc)
        where = loc_text(loc) or "document"
        message = _MESSAGES.get(item["type"])
        if item["type"] == "string_pattern_mismatch" and item.get("ctx", {}).get(
            "pattern"
        ) == SLUG_PATTERN:
            message = (
                f"{item.get('input')!r} is not a valid id: use lowercase letters a-z, "
                "digits, '-' and '_'"
            )
        if message is None:
            message = item["msg"][0].lower() + item["msg"][1:]
            given = item.get("input")
            if isinstance(given, str | int | float) and item["type"] not in {"value_error"}:
                message += f" (got {given!r})"
        problems.append(StudsaError(f"{where}: {message}", path=path, line=line, column=column))
    return SchemaError(problems)


def _is_union_tag(step: Any) -> bool:
    # pydantic adds the union member's type name (e.g. "str", "RatingCell") to loc.
    return isinstance(step, str) and (step[:1].isupper() or step in {"str", "int", "bool"})
