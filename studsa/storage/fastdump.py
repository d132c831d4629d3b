"""A fast writer for new files: the same text ``yamlio.dump_yaml`` writes, built directly.

A file studsa creates (a new rater's assessments, say) has no comments or styles to keep,
so its text depends only on the data. The round-trip emitter spends most of its time on
the block structure, which is regular (two spaces per mapping level, ``- `` two spaces in,
``[]``/``{}`` for empty collections). This module writes that structure itself and asks
the round-trip emitter only how each distinct scalar is written (plain, quoted, ``true``,
empty for None), once per value, so output is byte-for-byte what ``dump_yaml`` gives.

Anything unusual (a multi-line or very long string, a list directly inside a list, a
non-text key, a type it does not know) makes ``fast_dump`` return None, and the caller
uses ``dump_yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from studsa.storage.yamlio import PlainScalar, dump_yaml

_MAX_SCALAR = 200
# Line breaks YAML knows: a scalar holding one is written over several lines.
_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")
_INDENT = 2


class _NotFast(Exception):
    """The structure is not one this writer handles; use ``dump_yaml``."""


@lru_cache(maxsize=65536)
def _value_text(kind: type, value: Any) -> str:
    """How the round-trip emitter writes ``value`` after ``key:`` ('' for an empty value)."""
    text = dump_yaml({"k": kind(value) if kind is PlainScalar else value})
    if text == "k:\n":
        return ""
    if not text.startswith("k: ") or text.count("\n") != 1:
        raise _NotFast
    return text[3:-1]


@lru_cache(maxsize=65536)
def _key_text(kind: type, value: Any) -> str:
    """How the round-trip emitter writes ``value`` as a mapping key."""
    text = dump_yaml({kind(value) if kind is PlainScalar else value: "v"})
    if not text.endswith(": v\n") or text.count("\n") != 1:
        raise _NotFast
    return text[:-4]


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind not in (str, PlainScalar, int, float, bool, type(None)):
        raise _NotFast
    if kind in (str, PlainScalar) and (len(value) > _MAX_SCALAR or _BREAKS.search(value)):
        raise _NotFast
    if kind is float:  # 0.0 and -0.0 are equal keys of the cache but are written apart
        return _value_text.__wrapped__(kind, value)
    return _value_text(kind, value)


def _key(value: Any) -> str:
    kind = type(value)
    if kind not in (str, PlainScalar) or len(value) > _MAX_SCALAR or _BREAKS.search(value):
        raise _NotFast
    return _key_text(kind, value)


def _is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)


def _is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)


def _mapping(node: Mapping[Any, Any], indent: int, out: list[str], first: str | None) -> None:
    """Write a non-empty mapping; ``first`` is the prefix of its first line (a list dash)."""
    pad = " " * indent
    for key, value in node.items():
        head = first if first is not None else pad
        first = None
        label = _key(key)
        if _is_mapping(value) and value:
            out.append(f"{head}{label}:\n")
            _mapping(value, indent + _INDENT, out, None)
        elif _is_list(value) and value:
            out.append(f"{head}{label}:\n")
            _sequence(value, indent + _INDENT, out)
        elif _is_mapping(value):
            out.append(f"{head}{label}: {{}}\n")
        elif _is_list(value):
            out.append(f"{head}{label}: []\n")
        else:
            text = _scalar(value)
            out.append(f"{head}{label}:{' ' + text if text else ''}\n")


def _sequence(items: Any, indent: int, out: list[str]) -> None:
    """Write a non-empty list whose dashes sit at ``indent``."""
    dash = " " * indent + "- "
    for item in items:
        if _is_mapping(item) and item:
            _mapping(item, indent + _INDENT, out, dash)
        elif _is_list(item) and item:
            raise _NotFast
        elif _is_mapping(item):
            out.append(f"{dash}{{}}\n")
        elif _is_list(item):
            out.append(f"{dash}[]\n")
        else:
            text = _scalar(item)
            if not text:
                raise _NotFast
            out.append(f"{dash}{text}\n")


def fast_dump(data: Any) -> str | None:
    """The text ``dump_yaml(data)`` gives for a plain tree with a mapping on top, or None."""
    if not _is_mapping(data) or not data:
        return None
    if getattr(data, "ca", None) is not None and (data.ca.comment or data.ca.items):
        return None
    out: list[str] = []
    try:
        _mapping(data, 0, out, None)
    except _NotFast:
        return None
    return "".join(out)
