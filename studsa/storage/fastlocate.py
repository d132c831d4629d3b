"""Line and column of a node, found with libyaml's events instead of the round-trip tree.

``locate.position(tree, loc)`` needs the round-trip tree, and building it for a large file
takes seconds (the 3,000-line strategi of a 1,000-challenge project, to place one
warning). ``position_index(text)`` reads libyaml's events once and records where every
key and item starts; ``lookup(index, loc)`` then gives what ``position`` gives: the root's
position, then the position of each key or item on the way, as deep as the path exists.
Keys are recorded as the round-trip loader reads them (``fastload._scalar``). Anything the
index does not take (an anchor, alias or tag, a key that is not a scalar, malformed YAML,
no libyaml) gives None, and the caller asks the round-trip tree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Position = tuple[int | None, int | None]


class _Unsure(Exception):
    """The events hold something only the round-trip loader should judge."""


Index = dict[tuple[Any, ...], tuple[int, int]]


def fast_position(text: str, loc: Sequence[str | int]) -> Position | None:
    """The 1-based (line, column) ``locate.position`` gives for ``loc``, or None if unsure."""
    index = position_index(text)
    return None if index is None else lookup(index, loc)


def lookup(index: Index, loc: Sequence[str | int]) -> Position:
    """The position of the deepest node of ``loc`` recorded in ``index`` (see module)."""
    line: int | None = None
    column: int | None = None
    found = index.get(())
    if found is not None:
        line, column = found
    prefix: tuple[Any, ...] = ()
    for step in loc:
        if isinstance(step, int) and step < 0:
            break  # never in a path pydantic gives
        prefix = (*prefix, step)
        found = index.get(prefix)
        if found is None:
            break
        line, column = found
    return line, column


def position_index(text: str) -> Index | None:
    """Where each key and item of ``text`` starts, by path; None when unsure."""
    from studsa.storage.fastload import _libyaml

    libyaml = _libyaml()
    if libyaml is None:
        return None
    parser_class, events = libyaml
    try:
        parser = parser_class(text)
        try:
            return _index(parser.get_event, events)
        finally:
            parser.dispose()
    except Exception:  # _Unsure, a YAML error, anything: the round-trip tree decides
        return None


def _index(get: Callable[[], Any], events: Any) -> Index:
    from studsa.storage.fastload import _scalar

    scalar, alias = events.ScalarEvent, events.AliasEvent
    starts = (events.MappingStartEvent, events.SequenceStartEvent)
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    mapping = events.MappingStartEvent
    index: Index = {}
    get()  # the stream's start
    if not isinstance(get(), events.DocumentStartEvent):
        return index  # an empty text: no node at all
    # Each open collection: [its path, is a mapping, next item / the key waiting, waiting].
    stack: list[list[Any]] = []
    while True:
        event = get()
        kind = event.__class__
        if kind is events.DocumentEndEvent:
            break
        if kind is alias or (kind is not ends[0] and kind is not ends[1]
                             and (event.anchor is not None or event.tag is not None)):
            raise _Unsure
        if kind is ends[0] or kind is ends[1]:
            stack.pop()
            continue
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        path = _place(stack, index, event, kind is scalar, mark, _scalar)
        if path is not None and kind in starts:
            stack.append([path, kind is mapping, 0, False])
    if not isinstance(get(), events.StreamEndEvent):
        raise _Unsure  # a second document
    return index


def _place(stack: list[list[Any]], index: Index, event: Any, is_scalar: bool,
           mark: tuple[int, int], read_scalar: Callable[[str, Any], Any]
           ) -> tuple[Any, ...] | None:
    """Record where ``event``'s node starts; return its path (None: it was a key)."""
    if not stack:
        if not is_scalar:
            index[()] = mark
        return ()
    top = stack[-1]
    if not top[1]:  # an item of a sequence
        path = (*top[0], top[2])
        top[2] += 1
        index[path] = mark
        return path
    if not top[3]:  # a key of a mapping
        if not is_scalar:
            raise _Unsure
        key = read_scalar(event.value, event.style)
        index.setdefault((*top[0], key), mark)
        top[2], top[3] = key, True
        return None
    top[3] = False  # the value of the waiting key
    return (*top[0], top[2])
