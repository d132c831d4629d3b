"""JSON Schemas of every project file kind, for editor completion and checking.

The skeleton files carry ``# yaml-language-server: $schema=.studsa/schema/<kind>.schema.json``,
so an editor with the YAML language server completes keys and flags typos as the user types.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from studsa.i18n import labels
from studsa.storage.gate import resolved, within
from studsa.storage.layout import KINDS, FileKind
from studsa.storage.layout import SCHEMA_DIR as SCHEMA_DIR  # re-exported for callers

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_MODELINE = re.compile(rb"^(#[ \t]*yaml-language-server:[ \t]*\$schema=)([^\r\n]*)", re.M)


def schema_filename(kind: str) -> str:
    """The file name of a kind's schema: ``<kind>.schema.json``."""
    return f"{kind}.schema.json"


def schema_pointer(root: Path, kind: str, path: Path) -> str:
    """The ``$schema`` path of a file at ``path`` of ``kind``, relative to its folder."""
    target = root / SCHEMA_DIR / schema_filename(kind)
    return Path(os.path.relpath(target, path.parent)).as_posix()


def repoint_schema(data: bytes, root: Path, kind: str, path: Path) -> bytes:
    """``data`` with its ``yaml-language-server`` line pointing at the schema from ``path``.

    A copy of a file into another folder (a frozen version under ``versions/``) keeps the
    editor's schema: the relative path is recomputed for where the copy lives. A pointer to
    something other than studsa's schema folder (a URL, the user's own) is kept as it is.
    """
    match = _MODELINE.search(data, 0, 4096)
    if match is None or not match.group(2).strip().endswith(
            schema_filename(kind).encode()):
        return data
    pointer = schema_pointer(root, kind, path).encode()
    return data[: match.start(2)] + pointer + data[match.end(2):]


def _lenient_strings(node: Any) -> Any:
    """Let free-text fields also hold numbers, as studsa reads every plain YAML scalar as text.

    Without this an editor would flag ``year: 2021`` or a title such as ``2030`` that studsa
    itself accepts. Strings with a pattern, format or fixed values stay strict.
    """
    if isinstance(node, list):
        return [_lenient_strings(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _lenient_strings(value) for key, value in node.items()}
    strict = {"pattern", "format", "enum", "const"} & result.keys()
    if result.get("type") == "string" and not strict:
        result["type"] = ["string", "number"]
    return result


def _describe(schema: dict[str, Any], language: str) -> None:
    """Give every property its description from the catalog, for an editor's hover help.

    The key is ``sc_<Model>_<property>``, or ``sc_<property>`` for a property that means
    the same in every file (``id``, ``title``, ``schema``, ``version``, ...).
    """
    catalog = labels(language)
    models = [(str(schema.get("title", "")), schema),
              *((name, spec) for name, spec in schema.get("$defs", {}).items())]
    for model, spec in models:
        for name, prop in spec.get("properties", {}).items():
            text = catalog.get(f"sc_{model}_{name}") or catalog.get(f"sc_{name}")
            if text:
                prop["description"] = text


def kind_schema(kind: FileKind, language: str = "sv") -> dict[str, Any]:
    """The JSON Schema of one file kind (its pydantic model, by alias), described in sv/en."""
    schema = kind.model().model_json_schema(by_alias=True)
    schema = _lenient_strings(schema)
    _describe(schema, language)
    # The `schema:` key of a file must name this kind and major version.
    properties = schema.get("properties", {})
    if "schema" in properties:
        properties["schema"] = {**properties["schema"], "type": "string", "const": kind.schema}
    return {"$schema": DIALECT, **schema}


def all_schemas(language: str = "sv") -> dict[str, dict[str, Any]]:
    """Every file kind's schema, by kind name (sorted)."""
    return {name: kind_schema(KINDS[name], language) for name in sorted(KINDS)}


def render_schema(schema: dict[str, Any]) -> bytes:
    """A schema as stable, readable JSON bytes."""
    return (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_schemas(folder: Path, language: str = "sv", *, root: Path | None,
                  force: bool = False) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind into ``folder``; return the paths.

    ``root``: the project (its ``.studsa/schema`` is inside it; an ``--out`` folder the caller
    checked with ``gate.out_target``). A file there that studsa did not make is kept unless
    ``force``."""
    from studsa.storage.made import MadeFiles, write_made_set

    made = MadeFiles(folder)
    allowed = [root] if root is not None and within(resolved(folder), resolved(root)) else [
        folder]
    items = [(folder / schema_filename(name), render_schema(schema), folder /
              schema_filename(name)) for name, schema in all_schemas(language).items()]
    write_made_set(items, made, allowed=allowed, force=force)
    return [path for path, _, _ in items]
