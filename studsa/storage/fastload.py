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
from pathlib import Path
from typing import Any

from studsa.errors import StudsaError
from studsa.storage.files import RawText
from studsa.storage.layout import FileKind
from studsa.storage.plain import MAX_DEPTH, MAX_NODES, PlainScalar, estimate_nodes, flow_depth
from studsa.storage.project import Document, validate_data

try:  # PyYAML with libyaml; without it every read takes the round-trip path.
    from yaml.cyaml import CParser as _CParser
    from yaml.nodes import MappingNode as _MappingNode
    from yaml.nodes import ScalarNode as _ScalarNode
except ImportError:  # pragma: no cover - PyYAML is a dependency; libyaml may be absent
    _CParser = None

_TAG = "tag:yaml.org,2002:"
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
# A `&`, `*` or `!` where a node can start: an anchor, an alias or a tag may be there.
_MAYBE_NODE_PROPERTY = re.compile(r"(?:^|[\s\[\]{},])[&*!]")


class _NotFast(Exception):
    """The fast path cannot give the round-trip result; use the round-trip loader."""


if _CParser is not None:

    class _Composer(_CParser):  # type: ignore[misc]
        """libyaml's parser and composer; every node keeps its default tag (no resolving)."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is _ScalarNode:
                return _TAG + "str"
            return _TAG + ("map" if kind is _MappingNode else "seq")

        def descend_resolver(self, parent: Any, index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None


def available() -> bool:
    """Whether the fast path can be used (PyYAML with libyaml is installed)."""
    return _CParser is not None


def _has_node_properties(text: str) -> bool:
    """Whether the text really holds an anchor, alias or explicit tag (libyaml events)."""
    if not _MAYBE_NODE_PROPERTY.search(text):
        return False
    from yaml import AliasEvent, CSafeLoader, parse

    for event in parse(text, Loader=CSafeLoader):
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            return True
        if getattr(event, "tag", None) is not None:
            return True
    return False


class _Builder:
    """Plain data from libyaml's nodes, counting values and depth as the limits do."""

    def __init__(self) -> None:
        self.nodes = 0

    def build(self, node: Any, depth: int) -> Any:
        # Counts as the round-trip composer does (every key and value is a node), with a
        # margin of two levels so that anything near a limit is judged by that loader.
        self.nodes += 1
        if depth > MAX_DEPTH - 2 or self.nodes > MAX_NODES:
            raise _NotFast
        value = node.value
        if isinstance(value, str):
            if node.style:  # quoted or block: always text
                return value
            if value in _NULLS:
                return None
            if value in _SPECIAL:
                raise _NotFast
            if value[0] in _TYPED_START and _TYPED.match(value):
                return PlainScalar(value)
            return value
        if isinstance(node, _MappingNode):
            mapping: dict[Any, Any] = {}
            for key_node, value_node in value:
                key = self.build(key_node, depth + 1)
                if isinstance(key, dict | list) or key in mapping:
                    raise _NotFast  # a duplicate key: the round-trip loader names it
                mapping[key] = self.build(value_node, depth + 1)
            return mapping
        return [self.build(item, depth + 1) for item in value]


def fast_parse(text: str) -> Any:
    """Parse YAML text as the round-trip loader would (plain data), or None when unsure.

    Never raises: anything the fast path does not take (a text over the limits, an
    anchor, a duplicate key, malformed YAML) returns None, and the round-trip loader then
    refuses or reports it with its line and column.
    """
    if _CParser is None or os.environ.get("STUDSA_FASTLOAD") == "0":
        return None
    if _DIRECTIVE.search(text) or _DEEP_LINE.search(text):
        return None
    if estimate_nodes(text) > MAX_NODES or flow_depth(text) > MAX_DEPTH:
        return None
    try:
        if _has_node_properties(text):
            return None
        composer = _Composer(text)
        try:
            node = composer.get_single_node()
        finally:
            composer.dispose()
        return None if node is None else _Builder().build(node, 1)
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
    is kept in the parse cache (``parsecache``) under its bytes' sha256 and the code's.
    """
    from studsa.storage import parsecache

    size = len(raw.text)
    key = parsecache.model_key(raw.digest, kind.name) if size >= parsecache.MIN_BYTES else ""
    model = parsecache.get(key, size) if key else None
    if model is None or type(model) is not kind.model():
        data = fast_parse(raw.text)
        if data is None:
            return None
        try:
            model = validate_data(kind, data, display)
        except StudsaError:
            return None
        if key:
            parsecache.put(key, size, model)
    return LazyDocument.from_read(kind, path, display, model, _UNPARSED, raw)
