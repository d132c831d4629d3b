"""Data read from a file into its model: the schema line checked, then pydantic; each problem
as ``file:line:column`` (a ``SchemaError`` lists them all)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from studsa import __version__
from studsa.errors import InputError, SchemaError, StudsaError
from studsa.models.base import SLUG_PATTERN
from studsa.storage.layout import FileKind
from studsa.storage.positions import Location

_SCHEMA_RE = re.compile(r"^studsa\.([a-z_]+)/([0-9]+)$")


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


Locator = Callable[[Sequence[str | int]], Location]


def _nowhere(loc: Sequence[str | int]) -> Location:
    return None, None


def check_schema(data: Any, kind: FileKind, display: str, where: Locator = _nowhere) -> None:
    """Refuse a file that is not a mapping or carries the wrong or a newer schema."""
    if data is None:
        raise InputError(f"the file is empty; it should start with `schema: {kind.schema}`",
                         path=display)
    if not isinstance(data, dict):
        raise InputError(
            "the file should be a mapping of keys (`key: value` lines) at the top level",
            path=display, line=1, column=1,
        )
    value = data.get("schema")
    if value is None:
        raise InputError(f"the `schema:` line is missing; expected `schema: {kind.schema}`",
                         path=display, line=1, column=1)
    problem = _schema_problem(str(value), kind)
    if problem:
        line, column = where(("schema",))
        raise InputError(problem, path=display, line=line, column=column)


def _schema_problem(value: str, kind: FileKind) -> str | None:
    """What is wrong with a file's ``schema:`` value for ``kind`` (None: nothing)."""
    match = _SCHEMA_RE.match(value)
    if not match:
        return f"schema {value!r} is not of the form studsa.<name>/<number>"
    name, major = match.group(1), int(match.group(2))
    if name != kind.name:
        return f"this is a studsa.{name} file where a {kind.name} file belongs"
    if major > kind.major:
        return (f"the file uses schema {kind.name}/{major}, newer than this studsa "
                f"({__version__}) reads (up to /{kind.major}); upgrade studsa "
                "(pip install --upgrade studsa)")
    if major < kind.major:
        return (f"the file uses the older schema {kind.name}/{major}; run `studsa migrate` "
                "to upgrade it (a backup is kept)")
    return None


def validate_data(kind: FileKind, data: Any, display: str, where: Locator = _nowhere) -> Any:
    """Check the schema line, then validate ``data`` into the kind's model."""
    from pydantic import ValidationError

    check_schema(data, kind, display, where)
    try:
        return kind.model().model_validate(data)
    except ValidationError as err:
        raise schema_error(err, where, display) from None
