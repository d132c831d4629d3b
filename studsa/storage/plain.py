"""What the fast and the round-trip readers share, without importing ruamel.yaml.

``PlainScalar`` marks a plain (unquoted) scalar kept as the text the user wrote; the limits
bound how many values and how deep a file may be. ``yamlio`` (ruamel, round trip) and
``fastload`` (libyaml) both use them, and read-only commands never import ruamel.
"""

from __future__ import annotations

import itertools
import re

MAX_DEPTH = 64
MAX_NODES = 150_000
"""Most values (nodes) a file may hold; far above any real strategy, low enough that the
round-trip parser (about 10,000 nodes a second) never keeps a command waiting for minutes."""


class PlainScalar(str):
    """A plain (unquoted) YAML scalar kept as the exact text the user wrote."""

    __slots__ = ()


def estimate_nodes(text: str) -> int:
    """A fast (C-speed) estimate of how many values a YAML text holds, before parsing it."""
    return text.count("\n") + text.count(",") + text.count(":")


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def flow_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting in a text (an upper bound for flow-style YAML)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return min(MAX_DEPTH, text.count("[") + text.count("{"))
    brackets = _NOT_BRACKET.sub("", text)
    return max(0, *itertools.accumulate(map(_BRACKET_STEP.__getitem__, brackets)))
