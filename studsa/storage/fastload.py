"""A fast, read-only YAML path: libyaml (PyYAML's C parser) with the round-trip semantics.

The round-trip loader (``yamlio.parse_yaml``) keeps comments and positions, which only
matter when a file is written back or a problem is located; it parses about 10,000 values
a second. This module parses the same text with libyaml and builds plain dicts, lists and
strings that validate into exactly the same model:

- every plain scalar that YAML 1.2 would read as an int, float, bool or date stays the
  text the user wrote (``PlainScalar``); ``~``/``null``/empty is None; everything else is
  text, so nothing is converted that the round-trip path keeps;
- anchors, aliases, tags other than the core ones, merge keys, ``%`` directives and
  duplicate keys are not handled here: the text goes to the round-trip path, which
  refuses or locates them exactly as before;
- the value-count and nesting limits hold: a text the fast path counts over a limit goes
  to the round-trip path too, which raises the error with its line and column.

``fast_parse`` returns None whenever the fast path is not sure; callers then use
``parse_yaml``. ``LazyDocument`` parses the round-trip tree only when ``.data`` is asked
for (to save, or to put a line:column on a finding).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studsa.errors import StudsaError
from studsa.storage.files import RawText
from studsa.storage.layout import FileKind
from studsa.storage.plain import MAX_DEPTH, MAX_NODES, PlainScalar, estimate_nodes, flow_depth
from studsa.storage.project import Document, validate_data

_LIBYAML: list[Any] = []


def _libyaml() -> tuple[Any, Any] | None:
    """PyYAML's libyaml parser and event classes, imported on first use (None: absent)."""
    if not _LIBYAML:
        try:  # PyYAML with libyaml; without it every read takes the round-trip path.
            from yaml import events
            from yaml.cyaml import CParser
        except ImportError:  # pragma: no cover - PyYAML is a dependency; libyaml may be absent
            _LIBYAML.append(None)
        else:
            _LIBYAML.append((CParser, events))
    return _LIBYAML[0]  # type: ignore[no-any-return]


# Plain scalars YAML 1.2 (the round-trip loader's version) reads as null.
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
# Plain scalars with a meaning of their own in the round-trip loader (merge key, value
# key, a lone node property): left to it.
_SPECIAL = frozenset(("<<", "=", "!", "&", "*"))
# Plain scalars YAML 1.2 reads as a bool, int, float or date: kept as text (PlainScalar).
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

# Texts the fast path leaves to the round-trip loader without trying: a directive line,
# or a line whose indentation and indicators run so deep that nesting could pass the limit.
_DIRECTIVE = re.compile(r"^%", re.MULTILINE)
_DEEP_LINE = re.compile(r"^[ \t?:-]{" + str(MAX_DEPTH * 2) + ",}", re.MULTILINE)


class _NotFast(Exception):
    """The fast path cannot give the round-trip result; use the round-trip loader."""


def available() -> bool:
    """Whether the fast path can be used (PyYAML with libyaml is installed)."""
    return _libyaml() is not None


def _scalar(value: str, style: str | None) -> Any:
    """A scalar as the round-trip loader gives it: text, PlainScalar or None."""
    if style:  # quoted or block: always text
        return value
    if value in _NULLS:
        return None
    if value in _SPECIAL:
        raise _NotFast
    if value[0] in _TYPED_START and _TYPED.match(value):
        return PlainScalar(value)
    return value


def _attach(stack: list[list[Any]], value: Any) -> None:
    """Put a finished value into the open collection on top of ``stack``."""
    top = stack[-1]
    if not top[1]:
        top[0].append(value)
    elif top[3]:
        top[0][top[2]] = value
        top[3] = False
    elif isinstance(value, dict | list) or value in top[0]:
        raise _NotFast  # a non-scalar or duplicate key: the round-trip loader names it
    else:
        top[2] = value
        top[3] = True


def _build(parser: Any, _events: Any) -> Any:
    """Plain data from libyaml's events, counting values and depth as the limits do.

    Counts as the round-trip composer does (every key and value is a node), with a margin
    of two levels, so anything near a limit is judged by that loader. An anchor, alias or
    explicit tag, a duplicate or non-scalar key, or a second document: ``_NotFast``.
    """
    get = parser.get_event
    scalar_event, document_end = _events.ScalarEvent, _events.DocumentEndEvent
    mapping_start, sequence_start = _events.MappingStartEvent, _events.SequenceStartEvent
    get()  # the stream's start
    if isinstance(get(), _events.StreamEndEvent):
        return None
    # Each open collection: [container, is a mapping, the key waiting for its value,
    # whether a key is waiting].
    stack: list[list[Any]] = []
    nodes = 0
    deepest = MAX_DEPTH - 2
    root: Any = None
    while True:
        event = get()
        kind = event.__class__
        if kind is document_end:
            break
        if kind is scalar_event or kind is mapping_start or kind is sequence_start:
            nodes += 1
            if (event.anchor is not None or event.tag is not None or len(stack) >= deepest
                    or nodes > MAX_NODES):
                raise _NotFast
            if kind is not scalar_event:
                stack.append([{} if kind is mapping_start else [], kind is mapping_start,
                              None, False])
                continue
            value = _scalar(event.value, event.style)
        elif stack and kind in (_events.MappingEndEvent, _events.SequenceEndEvent):
            value = stack.pop()[0]
        else:  # an alias
            raise _NotFast
        if stack:
            _attach(stack, value)
        else:
            root = value
    if not isinstance(get(), _events.StreamEndEvent):
        raise _NotFast  # a second document
    return root


def fast_parse(text: str) -> Any:
    """Parse YAML text as the round-trip loader would (plain data), or None when unsure.

    Never raises: anything the fast path does not take (a text over the limits, an
    anchor, a duplicate key, malformed YAML) returns None, and the round-trip loader then
    refuses or reports it with its line and column.
    """
    if os.environ.get("STUDSA_FASTLOAD") == "0":
        return None
    if _DIRECTIVE.search(text) or _DEEP_LINE.search(text):
        return None
    if estimate_nodes(text) > MAX_NODES or flow_depth(text) > MAX_DEPTH:
        return None
    libyaml = _libyaml()
    if libyaml is None:
        return None
    try:
        parser = libyaml[0](text)
        try:
            return _build(parser, libyaml[1])
        finally:
            parser.dispose()
    except Exception:  # _NotFast, a YAML error, anything: the round-trip path decides
        return None


_UNPARSED: Any = object()


class LazyDocument(Document[Any]):
    """A document read by the fast path: its round-trip tree is parsed on first use.

    Saving (merge into the tree) and locating a finding (line:column) ask for ``.data``;
    reading the model never does, so most commands never run the round-trip parser.
    """

    @property  # type: ignore[override]
    def data(self) -> Any:
        """The round-trip tree (parsed from the text read, the first time it is asked for)."""
        tree = self.__dict__.get("_tree", _UNPARSED)
        if tree is _UNPARSED:
            from studsa.storage.yamlio import parse_yaml

            tree = parse_yaml(self.original_text or "", self.display)
            self.__dict__["_tree"] = tree
        return tree

    @data.setter
    def data(self, value: Any) -> None:
        # None: a new document (dumped whole on save); _UNPARSED: parse the text when used.
        self.__dict__["_tree"] = value

    @property  # type: ignore[override]
    def model(self) -> Any:
        """The file's model; one found in the parse cache is unpickled on first use."""
        model = self.__dict__.get("_model", _UNPARSED)
        if model is _UNPARSED:
            model = _load_deferred(self)
            self.__dict__["_model"] = model
        return model

    @model.setter
    def model(self, value: Any) -> None:
        self.__dict__["_model"] = value

    def locate(self, loc: Sequence[str | int]) -> tuple[int | None, int | None]:
        """The (line, column) of ``loc``: from libyaml's events while the round-trip tree is
        not parsed (a large file is located in milliseconds), else from the tree."""
        if self.__dict__.get("_tree", _UNPARSED) is _UNPARSED and self.original_text:
            from studsa.storage.fastlocate import lookup, position_index

            index = self.__dict__.get("_positions", _UNPARSED)
            if index is _UNPARSED:  # one pass over the events serves every finding
                index = self.__dict__["_positions"] = position_index(self.original_text)
            if index is not None:
                return lookup(index, loc)
        return super().locate(loc)


def _load_deferred(doc: LazyDocument) -> Any:
    """The model of a document read from the parse cache (or, if the entry is damaged,
    read again from its text exactly as a first read would)."""
    loader = doc.__dict__.pop("_model_loader", None)
    try:
        model = loader() if loader is not None else None
    except Exception:  # a damaged entry: read the text instead
        model = None
    if type(model) is doc.kind.model():
        return model
    data = fast_parse(doc.original_text or "")
    if data is None:
        from studsa.storage.yamlio import parse_yaml

        data = parse_yaml(doc.original_text or "", doc.display)
    return validate_data(doc.kind, data, doc.display)


def parse_later(doc: Document[Any]) -> None:
    """Set ``doc.data`` to the round-trip tree of ``doc.original_text``: lazily when it can."""
    if isinstance(doc, LazyDocument):
        doc.data = _UNPARSED
    else:
        from studsa.storage.yamlio import parse_yaml

        doc.data = parse_yaml(doc.original_text or "", doc.display)


def read_fast(kind: FileKind, path: Path, display: str, raw: RawText) -> Document[Any] | None:
    """Load a file's model through the fast path, or None to take the round-trip path.

    Any problem (in the YAML or in the model) returns None, so the round-trip path reads
    the file again and reports the problem with its line and column. A large file's model
    is kept in the parse cache (``parsecache``) under its bytes' sha256 and the code's;
    read from there, it is unpickled only when a command asks for it.
    """
    from studsa.storage import parsecache

    size = len(raw.text)
    key = parsecache.model_key(raw.digest, kind.name) if size >= parsecache.MIN_BYTES else ""
    found = parsecache.get_lazy(key, size) if key else None
    if found is not None:
        header, loader = found
        if isinstance(header, dict) and header.get("model") == kind.model_path:
            doc = LazyDocument(
                kind=kind, path=path, display=display, model=_UNPARSED, data=_UNPARSED,
                digest=raw.digest, bom=raw.bom, newline=raw.newline, original_text=raw.text,
                original_status=header.get("status"), original_version=header.get("version"))
            doc.__dict__["_model_loader"] = loader
            return doc
    data = fast_parse(raw.text)
    if data is None:
        return None
    try:
        model = validate_data(kind, data, display)
    except StudsaError:
        return None
    if key:
        header = {"model": kind.model_path, "status": getattr(model, "status", None),
                  "version": getattr(model, "version", None)}
        parsecache.put(key, size, model, header)
    return LazyDocument.from_read(kind, path, display, model, _UNPARSED, raw)
