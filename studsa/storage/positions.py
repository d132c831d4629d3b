"""Where each key and item of a YAML text starts, from the reader's events (libyaml's marks).

Built only when a finding needs a line and column: ``positions(text)`` indexes a text once,
``locate(index, loc)`` gives the position of pydantic's error path ``loc`` in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import yaml
from yaml import events as ev

from studsa.storage.reader import LOADERS, scalar

Location = tuple[int | None, int | None]
Index = dict[tuple[Any, ...], tuple[int, int]]


def positions(text: str) -> Index:
    """Where each key and item of ``text`` starts, by path (empty if it does not parse)."""
    index: Index = {}
    for loader in LOADERS:  # as the reader does: where libyaml refuses, the Python parser
        index.clear()
        source = loader(text)
        try:
            _index(source.get_event, index)
            return index
        except yaml.YAMLError:
            pass  # with the last parser, what was indexed before the problem still locates
        finally:
            source.dispose()
    return index


def _index(get: Callable[[], Any], index: Index) -> None:
    starts = (ev.MappingStartEvent, ev.SequenceStartEvent)
    ends = (ev.MappingEndEvent, ev.SequenceEndEvent)
    get()  # the stream's start
    if not isinstance(get(), ev.DocumentStartEvent):
        return
    # Each open collection: [its path, is a mapping, next item / the key waiting, waiting].
    stack: list[list[Any]] = []
    while True:
        event = get()
        kind = event.__class__
        if kind is ev.DocumentEndEvent:
            return
        if kind in ends:
            stack.pop()
            continue
        mark = (event.start_mark.line + 1, event.start_mark.column + 1)
        where = _place(stack, index, event, mark)
        if kind in starts:
            stack.append([where, kind is ev.MappingStartEvent, 0, False])


def _place(stack: list[list[Any]], index: Index, event: Any, mark: tuple[int, int]
           ) -> tuple[Any, ...] | None:
    """Record where ``event``'s node starts; return its path (None: it is a key)."""
    if not stack:
        if event.__class__ is not ev.ScalarEvent:
            index[()] = mark
        return ()
    top = stack[-1]
    if top[0] is None:
        return None  # inside a key that is a collection: not addressable
    if not top[1]:  # an item of a sequence
        where = (*top[0], top[2])
        top[2] += 1
        index[where] = mark
        return where
    if not top[3]:  # a key of a mapping
        top[3] = True
        if event.__class__ is not ev.ScalarEvent:
            top[2] = None
            return None
        key = scalar(event.value, event.style)
        index.setdefault((*top[0], key), mark)
        top[2] = key
        return None
    top[3] = False  # the value of the waiting key
    return None if top[2] is None else (*top[0], top[2])


def locate(index: Index, loc: Sequence[str | int]) -> Location:
    """The (line, column) of the deepest node of ``loc`` in ``index``: the root's position,
    then each key's or item's on the way, as deep as the path exists."""
    line, column = index.get((), (None, None))
    prefix: tuple[Any, ...] = ()
    for step in loc:
        prefix = (*prefix, step)
        found = index.get(prefix)
        if found is None:
            break
        line, column = found
    return line, column


def locator(text: str) -> Callable[[Sequence[str | int]], Location]:
    """``locate`` for ``text``, indexing it on the first call only."""
    index: Index | None = None

    def where(loc: Sequence[str | int]) -> Location:
        nonlocal index
        if index is None:
            index = positions(text)
        return locate(index, loc)

    return where


__all__ = ["Index", "Location", "locate", "locator", "positions"]
