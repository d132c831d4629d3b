"""The one place that configures ruamel.yaml: round-trip loading with limits, and dumping.

Every plain scalar is loaded as the text the user wrote (``PlainScalar``), never as an int,
float, bool or date: a dnr ``0090`` stays ``"0090"``, a title ``no`` stays ``"no"`` and a
version ``1.10`` stays ``"1.10"``. pydantic turns the text into the field's type, so numeric
and date fields still work, and text fields keep exactly what was written. Anchors and
aliases are refused: they have no use in these files and make alias bombs possible.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import (
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from studsa.errors import InputError
from studsa.storage.plain import MAX_DEPTH, MAX_NODES, PlainScalar, estimate_nodes, flow_depth

__all__ = ["MAX_DEPTH", "MAX_NODES", "PlainScalar", "check_dumped", "check_limits",
           "dump_yaml", "estimate_nodes", "flow_depth", "make_yaml", "parse_yaml"]

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_ALLOWED_TAGS: frozenset[str] = frozenset()  # quotes do what `!!str` would


class _LimitedComposer(Composer):  # type: ignore[misc]
    """Composer that refuses anchors and aliases and bounds depth and size."""

    def compose_document(self) -> Any:
        self._studsa_depth = 0
        self._studsa_nodes = 0
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            mark = event.start_mark
            raise InputError(
                "YAML anchors and aliases (& and *) are not allowed in studsa files; "
                "write the value out in full",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            mark = event.start_mark
            raise InputError(
                f"YAML tags like {str(tag).replace('tag:yaml.org,2002:', '!!')} are not "
                "allowed in studsa files; write the value without it (in quotes if needed)",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        depth = getattr(self, "_studsa_depth", 0) + 1
        self._studsa_depth = depth
        self._studsa_nodes = getattr(self, "_studsa_nodes", 0) + 1
        if depth > MAX_DEPTH:
            mark = event.start_mark
            raise InputError(
                f"the document is nested deeper than the limit of {MAX_DEPTH} levels",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        if self._studsa_nodes > MAX_NODES:
            mark = event.start_mark
            raise InputError(
                f"the file holds more than the limit of {MAX_NODES:,} values",
                line=mark.line + 1,
                column=mark.column + 1,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._studsa_depth = depth - 1


class _TextConstructor(RoundTripConstructor):  # type: ignore[misc]
    """Round-trip constructor that keeps implicit ints, floats, bools and dates as text."""

    def construct_as_text(self, node: Any) -> PlainScalar:
        return PlainScalar(node.value)


for _tag in ("int", "float", "bool", "timestamp"):
    _TextConstructor.add_constructor(
        f"tag:yaml.org,2002:{_tag}", _TextConstructor.construct_as_text
    )


def _represent_plain(representer: RoundTripRepresenter, data: PlainScalar) -> ScalarNode:
    # Emit with the tag a plain scalar of this text resolves to, so it stays unquoted.
    tag = representer.dumper.resolver.resolve(ScalarNode, str(data), (True, False))
    return representer.represent_scalar(tag, str(data))


# What a literal block (``|``) can hold as is: printable characters, tabs and ``\n`` only.
# Anything else (control characters, ``\r``, NEL, U+2028/9) is written double-quoted with
# escapes, so the file always reads back as the same text.
_NOT_LITERAL_SAFE = re.compile("[^\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd"
                               "\U00010000-\U0010ffff]")
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                            "\U00010000-\U0010ffff]")


def _double_quoted(representer: RoundTripRepresenter, data: str) -> ScalarNode:
    return representer.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


def _represent_str(representer: RoundTripRepresenter, data: str) -> ScalarNode:
    if _NOT_LITERAL_SAFE.search(data):
        # Control characters and line breaks YAML folds (\r, NEL, U+2028/9) only survive
        # escaped in double quotes.
        return _double_quoted(representer, data)
    if "\n" in data:
        return representer.represent_literal_scalarstring(LiteralScalarString(data))
    if _DATE_RE.match(data):
        return _represent_plain(representer, PlainScalar(data))
    return representer.represent_str(data)


def _represent_block(representer: RoundTripRepresenter, data: Any) -> ScalarNode:
    # ruamel keeps a key's old style when a new text is assigned; a ``|`` or ``>`` block
    # cannot hold control characters, so such text is written double-quoted instead.
    if _NOT_LITERAL_SAFE.search(str(data)):
        return _double_quoted(representer, str(data))
    if isinstance(data, FoldedScalarString):
        return representer.represent_folded_scalarstring(data)
    return representer.represent_literal_scalarstring(data)


def _represent_single(representer: RoundTripRepresenter, data: Any) -> ScalarNode:
    # Single quotes fold line breaks and cannot hold control characters.
    if _NOT_LITERAL_SAFE.search(str(data)) or "\n" in str(data):
        return _double_quoted(representer, str(data))
    return representer.represent_single_quoted_scalarstring(data)


def make_yaml() -> YAML:
    """Return the round-trip YAML instance every studsa file is read and written with."""
    yaml = YAML(typ="rt")
    yaml.Composer = _LimitedComposer
    yaml.Constructor = _TextConstructor
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(PlainScalar, _represent_plain)
    yaml.representer.add_representer(str, _represent_str)
    yaml.representer.add_representer(LiteralScalarString, _represent_block)
    yaml.representer.add_representer(FoldedScalarString, _represent_block)
    yaml.representer.add_representer(SingleQuotedScalarString, _represent_single)
    return yaml


_PHRASES = (
    ("mapping values are not allowed here",
     "a ':' is not allowed here (check the indentation, or put text containing ': ' in "
     "quotes)"),
    ("found unexpected end of stream", "the file ends inside a quoted text (a quote is not "
     "closed)"),
    ("but found another document", "the file holds a second YAML document (a line with "
     "'---'); a studsa file has one"),
    ("could not find expected ':'", "a line is missing its ':' (or is indented wrongly)"),
    ("'<stream end>'", "the end of the file"),
    ("<block end>", "the end of the indented block"),
    ("'<block mapping start>'", "a new `key: value` line"),
    ("'<block sequence start>'", "a new list"),
    ("'<scalar>'", "more text"),
    ("but found '?'", "but found a new `key: value` line"),
    ("found character", "found the character"),
    ("that cannot start any token", "which cannot start a value (put the value in quotes)"),
)


def _friendly(problem: str) -> str:
    text = " ".join(problem.split())
    if "found character '\\t'" in text:
        return "a tab character is used for indentation; YAML needs spaces"
    if text.startswith("found duplicate key"):
        return text.split(" with value")[0].replace("found duplicate key", "duplicate key")
    for raw, plain in _PHRASES:
        text = text.replace(raw, plain)
    return text


def check_limits(text: str, path: Path | str | None = None) -> None:
    """Refuse, before any parsing, a text over the value-count or flow-nesting limits.

    The round-trip parser is slow on hostile input (deep ``[[[[``, millions of values);
    these checks run at C speed, so a hostile file is refused at once.
    """
    estimate = estimate_nodes(text)
    if estimate > MAX_NODES:
        raise InputError(
            f"the file holds about {estimate:,} values, over the limit of {MAX_NODES:,} "
            "(split it, or check that it is the right file)",
            path=path,
        )
    if flow_depth(text) > MAX_DEPTH:
        raise InputError(
            f"the document is nested deeper than the limit of {MAX_DEPTH} levels "
            "(too many [ or { inside each other)",
            path=path,
        )


def parse_yaml(text: str, path: Path | str | None = None) -> Any:
    """Parse YAML text into a round-trip tree, or raise ``InputError`` with file:line:column."""
    check_limits(text, path)
    yaml = make_yaml()
    try:
        return yaml.load(text)
    except InputError as err:
        err.path = path
        raise
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = err.problem or err.context or "malformed YAML"
        raise InputError(
            f"malformed YAML: {_friendly(problem)}",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
        ) from None
    except (YAMLError, ValueError, TypeError) as err:
        raise InputError(f"malformed YAML: {err}", path=path) from None
    except RecursionError:
        raise InputError("the document is nested too deeply", path=path) from None


def check_dumped(text: str, path: Path | str | None = None) -> None:
    """Refuse to write YAML text that could not be read back (a bug guard, C-speed)."""
    match = _NOT_PRINTABLE.search(text)
    if match:
        from studsa.errors import WriteError

        raise WriteError(
            f"studsa produced a character YAML cannot hold ({match.group()!r}); nothing "
            "was written (this is a bug in studsa, please report it)",
            path=path,
        )


def dump_yaml(data: Any) -> str:
    """Serialise a round-trip tree (or plain data) to YAML text with ``\\n`` line endings."""
    stream = io.StringIO()
    make_yaml().dump(data, stream)
    return stream.getvalue()
