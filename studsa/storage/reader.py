"""The one YAML reader: libyaml (PyYAML's C parser) into plain data, positions from its marks.

Every file studsa reads goes through ``parse``; ruamel.yaml (``yamlio``) is used only to
write a file back with its comments, order and quoting. What ``parse`` gives:

- mappings are dicts, sequences lists; a plain (unquoted) scalar that YAML 1.2 would read
  as an int, float, bool or date stays the text the user wrote (``PlainScalar``), so a dnr
  ``0090`` stays ``"0090"`` and pydantic turns the text into a field's type; ``~``,
  ``null`` and an empty value are None; quoted and block scalars are text;
- anchors, aliases, tags, duplicate keys, keys that are not scalars and a second document
  are refused with ``file:line:column``; so are texts over the line-length, value-count
  and nesting limits (checked at C speed before parsing, and again while building), a
  value over the text limit and a list or mapping over the item limit (while building,
  so a hostile file is never built whole);
- a merge key (``<<: {…}``) adds the keys its mapping holds that the mapping lacks.

A YAML syntax error is described by PyYAML's Python parser (whose wording is the one the
messages below make plain); libyaml only finds it. Without libyaml the Python parser reads
everything, more slowly. Where a node is (a finding's line and column) is found from the
same events by ``storage.positions``, only when a finding needs it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev

from studsa.errors import InputError
from studsa.i18n import message, terminal_language

MAX_DEPTH = 64
MAX_NODES = 150_000
"""Most values (nodes) a file may hold: far above any real strategy, low enough that no
command is kept waiting by a hostile file."""
MAX_ITEMS = 10_000
"""Most items one list or mapping may hold (a strategy has tens of challenges, not 10,000)."""
MAX_LINE_CHARS = 100_000
"""Longest line a file may hold (checked before parsing)."""
MAX_TEXT_CHARS = 1_000_000
"""Longest text one value may hold (a block scalar of a million characters is ~400 pages)."""


class PlainScalar(str):
    """A plain (unquoted) YAML scalar kept as the exact text the user wrote."""

    __slots__ = ()


def _loaders() -> tuple[Any, ...]:
    """The event sources to try, fastest first: libyaml if built in, then Python's."""
    fast = getattr(yaml, "CSafeLoader", None)
    return (fast, yaml.SafeLoader) if fast is not None else (yaml.SafeLoader,)


LOADERS = _loaders()

# Plain scalars YAML 1.2 reads as null, and those it reads as a bool, int, float or date.
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TYPED_START = frozenset("-+.0123456789tTfF")
_TYPED = re.compile(
    r"""^(?:true|True|TRUE|false|False|FALSE
    |[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
    |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
    |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN)
    |[-+]?0b[0-1_]+
    |[-+]?0o?[0-7_]+
    |[-+]?[0-9_]+
    |[-+]?0x[0-9a-fA-F_]+
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
    |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
     (?:[Tt]|[\ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
     (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
    re.X,
)
_MERGE = "<<"


def scalar(value: str, style: str | None) -> Any:
    """A scalar event's value as studsa reads it: text, ``PlainScalar`` or None."""
    if style:  # quoted or block: always text
        return value
    if value in _NULLS:
        return None
    if value[0] in _TYPED_START and _TYPED.match(value):
        return PlainScalar(value)
    return value


# --- limits, before any parsing ---------------------------------------------------------
def grouped(n: int) -> str:
    """``n`` with its thousands grouped as the terminal's language writes them."""
    return f"{n:,}".replace(",", "\u00a0") if terminal_language() == "sv" else f"{n:,}"


def estimate_nodes(text: str) -> int:
    """A C-speed upper estimate of how many values a YAML text holds."""
    return text.count("\n") + text.count(",") + text.count(":")


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def flow_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting in a text (an upper bound for flow-style YAML)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return min(MAX_DEPTH, text.count("[") + text.count("{"))
    brackets = _NOT_BRACKET.sub("", text)
    return max(0, *itertools.accumulate(map(_BRACKET_STEP.__getitem__, brackets)))


def check_line_length(text: str, path: Path | str | None = None) -> None:
    """Refuse a text with a line over ``MAX_LINE_CHARS`` at that line (C speed)."""
    if len(text) <= MAX_LINE_CHARS:
        return
    lengths = list(map(len, text.split("\n")))
    longest = max(lengths)
    if longest <= MAX_LINE_CHARS:
        return
    line = lengths.index(longest) + 1
    raise InputError(
        message("safety_line_too_long", length=grouped(longest), limit=grouped(MAX_LINE_CHARS)),
        path=path, line=line, column=MAX_LINE_CHARS + 1,
    )


def check_limits(text: str, path: Path | str | None = None) -> None:
    """Refuse, before parsing, a text over the line-length limit or far over the
    value-count or flow-nesting limits."""
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
    check_line_length(text, path)


# --- parsing ----------------------------------------------------------------------------
def parse(text: str, path: Path | str | None = None) -> Any:
    """Parse one YAML document into plain data, or raise ``InputError`` at file:line:column."""
    check_limits(text, path)
    for loader in LOADERS:
        source = loader(text)
        try:
            return _Builder(source.get_event, path).run()
        except yaml.MarkedYAMLError as err:
            if loader is not LOADERS[-1]:
                continue  # the Python parser says what is wrong, in its words
            raise _syntax_error(err, path) from None
        except yaml.reader.ReaderError as err:
            raise _reader_error(err, text, path) from None
        except yaml.YAMLError as err:
            raise InputError(f"malformed YAML: {err}", path=path) from None
        finally:
            source.dispose()
    raise AssertionError("unreachable")  # pragma: no cover


def _reader_error(err: Any, text: str, path: Path | str | None) -> InputError:
    """A character YAML cannot hold, at its line and column (not a "position")."""
    code = getattr(err, "character", None)
    char = code if isinstance(code, str) else chr(int(code or 0))
    # libyaml counts its position in bytes; the first such character is the one refused.
    found = text.find(char)
    where = found if found >= 0 else max(0, min(int(getattr(err, "position", 0) or 0),
                                                 len(text)))
    line = text.count("\n", 0, where) + 1
    column = where - (text.rfind("\n", 0, where) + 1) + 1
    shown = f"U+{ord(char):04X}"
    return InputError(f"malformed YAML: the character {shown} is not allowed in a YAML file "
                      "(a control or non-printable character; delete it, or write it as "
                      "an escape in double quotes)", path=path, line=line, column=column)


def _at(message: str, event: Any, path: Path | str | None) -> InputError:
    mark = event.start_mark
    return InputError(message, path=path, line=mark.line + 1, column=mark.column + 1)


class _Builder:
    """Plain data from a stream of events, refusing what studsa files may not hold."""

    def __init__(self, get: Callable[[], Any], path: Path | str | None) -> None:
        self.get = get
        self.path = path

    def run(self) -> Any:
        get = self.get
        get()  # the stream's start
        first = get()
        if isinstance(first, ev.StreamEndEvent):
            return None
        root = self._document()
        extra = get()
        if not isinstance(extra, ev.StreamEndEvent):
            raise _at("malformed YAML: the file holds a second YAML document (a line with "
                      "'---'); a studsa file has one", extra, self.path)
        return root

    def _document(self) -> Any:  # noqa: C901 - one loop, the hot path of every read
        """The document's data. One loop with the open collection in locals: this runs
        once per event of every file read (80,000 values in a large project)."""
        get = self.get
        scalar_event, mapping_start, sequence_start = (
            ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)
        mapping_end, sequence_end, document_end = (
            ev.MappingEndEvent, ev.SequenceEndEvent, ev.DocumentEndEvent)
        nulls, typed_start, typed = _NULLS, _TYPED_START, _TYPED.match
        max_text, max_items = MAX_TEXT_CHARS, MAX_ITEMS
        # The open collection, and those around it on ``stack``.
        container: Any = None
        is_map = has_key = False
        key: Any = None
        merges: list[dict[Any, Any]] | None = None
        stack: list[tuple[Any, bool, Any, bool, Any, Any]] = []
        opened: Any = None  # the open collection's start event (where a limit is named)
        nodes = depth = 0
        root: Any = None
        while True:
            event = get()
            kind = event.__class__
            if kind is scalar_event:
                nodes += 1
                value = event.value
                if (event.anchor is not None or event.tag is not None or depth >= MAX_DEPTH
                        or nodes > MAX_NODES or len(value) > max_text):
                    self._refuse(event, depth, nodes)
                if event.style:
                    pass
                elif value in nulls:
                    value = None
                elif value[0] in typed_start and typed(value):
                    value = PlainScalar(value)
                if not is_map:
                    if container is None:
                        root = value
                    else:
                        container.append(value)
                elif has_key:
                    has_key = False
                    if key is _MERGE_KEY:
                        merges = self._merged(merges, value, event)
                    else:
                        container[key] = value
                elif value in container:
                    raise _at(f'malformed YAML: duplicate key "{value}"', event, self.path)
                else:
                    key = _MERGE_KEY if value == _MERGE and not event.style else value
                    has_key = True
                continue
            if kind is mapping_start or kind is sequence_start:
                nodes += 1
                if (event.anchor is not None or event.tag is not None or depth >= MAX_DEPTH
                        or nodes > MAX_NODES):
                    self._refuse(event, depth, nodes)
                if is_map and not has_key:
                    raise _at("a key must be plain text, not a list or a mapping (keys "
                              "should be strings)", event, self.path)
                stack.append((container, is_map, key, has_key, merges, opened))
                opened = event
                is_map = kind is mapping_start
                container = {} if is_map else []
                has_key, merges = False, None
                depth += 1
                continue
            if kind is mapping_end or kind is sequence_end:
                value = container
                if len(value) > max_items:
                    raise _at(message(
                        "safety_mapping_too_long" if is_map else "safety_list_too_long",
                        count=grouped(len(value)), limit=grouped(max_items)),
                        opened, self.path)
                if merges:
                    for merged in merges:
                        for merged_key, item in merged.items():
                            value.setdefault(merged_key, item)
                container, is_map, key, has_key, merges, opened = stack.pop()
                depth -= 1
                if not is_map:
                    if container is None:
                        root = value
                    else:
                        container.append(value)
                else:
                    has_key = False
                    if key is _MERGE_KEY:
                        merges = self._merged(merges, value, event)
                    else:
                        container[key] = value
                continue
            if kind is document_end:
                return root
            raise _at(_ANCHORS, event, self.path)  # an alias

    def _refuse(self, event: Any, depth: int, nodes: int) -> None:
        """Raise what is wrong with a node: an anchor, a tag or a limit passed."""
        if event.anchor is not None:
            raise _at(_ANCHORS, event, self.path)
        if event.tag is not None:
            tag = str(event.tag).replace("tag:yaml.org,2002:", "!!")
            raise _at(f"YAML tags like {tag} are not allowed in studsa files; write the "
                      "value without it (in quotes if needed)", event, self.path)
        if isinstance(event, ev.ScalarEvent) and len(event.value) > MAX_TEXT_CHARS:
            raise _at(message("safety_text_too_long", length=grouped(len(event.value)),
                              limit=grouped(MAX_TEXT_CHARS)), event, self.path)
        if depth >= MAX_DEPTH:
            raise _at(f"the document is nested deeper than the limit of {MAX_DEPTH} levels",
                      event, self.path)
        raise _at(f"the file holds more than the limit of {MAX_NODES:,} values", event,
                  self.path)

    def _merged(self, merges: list[dict[Any, Any]] | None, value: Any, event: Any
                ) -> list[dict[Any, Any]]:
        """``merges`` with the mapping(s) of a merge key (``<<``) added."""
        found = value if isinstance(value, list) else [value]
        if not all(isinstance(m, dict) for m in found):
            raise _at("malformed YAML: a merge key (<<) needs a mapping", event, self.path)
        return [*(merges or []), *found]


class _MergeKey:
    """The ``<<`` key while its mapping is read."""

    def __repr__(self) -> str:
        return "<<"


_MERGE_KEY: Any = _MergeKey()
_ANCHORS = ("YAML anchors and aliases (& and *) are not allowed in studsa files; "
            "write the value out in full")


_PHRASES = (
    ("mapping values are not allowed here",
     "a ':' is not allowed here (check the indentation, or put text containing ': ' in "
     "quotes)"),
    ("found unexpected end of stream", "the file ends inside a quoted text (a quote is not "
     "closed)"),
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


def friendly(problem: str) -> str:
    """A YAML parser's problem in plain words."""
    text = " ".join(problem.split())
    if "found character '\\t'" in text:
        return "a tab character is used for indentation; YAML needs spaces"
    for raw, plain in _PHRASES:
        text = text.replace(raw, plain)
    return text


def _syntax_error(err: yaml.MarkedYAMLError, path: Path | str | None) -> InputError:
    mark = err.problem_mark or err.context_mark
    problem = err.problem or err.context or "malformed YAML"
    return InputError(
        f"malformed YAML: {friendly(problem)}",
        path=path,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


__all__ = ["LOADERS", "MAX_DEPTH", "MAX_ITEMS", "MAX_LINE_CHARS", "MAX_NODES", "MAX_TEXT_CHARS",
           "PlainScalar", "check_limits", "check_line_length", "grouped", "parse", "scalar"]
