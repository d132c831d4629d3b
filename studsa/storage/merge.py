"""Merge a model's data back into the round-trip tree the user's file was loaded from.

The tree keeps the user's comments, key order and quoting. Only what changed is touched:
equal scalars keep their original object (so ``0090`` stays ``0090``), lists of mappings
are merged by identity (``id`` and friends), never by position, so a comment stays with
the item it was written beside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

IDENTITY_KEYS = ("id", "challenge", "activity", "rater", "body", "period", "department")
_TRUE = {"true", "yes", "on", "y", "t", "1", "ja", "sant"}
_FALSE = {"false", "no", "off", "n", "f", "0", "nej", "falskt"}


def same_scalar(old: Any, new: Any) -> bool:
    """Whether a loaded scalar (often text) means the same as a model's dumped value."""
    if old is None or new is None:
        return old is None and new is None
    if isinstance(new, bool):
        if isinstance(old, str):
            low = old.strip().lower()
            return (low in _TRUE) if new else (low in _FALSE)
        return old is new
    if isinstance(old, str) and isinstance(new, int | float):
        try:
            return float(old.replace("_", "")) == float(new)
        except ValueError:
            return False
    if isinstance(old, str) and isinstance(new, str):
        return str(old) == new
    return bool(old == new) and type(old) is type(new)


def _identity_key(old: Sequence[Any], new: Sequence[Any]) -> str | None:
    items = [*old, *new]
    if not items or not all(isinstance(item, Mapping) for item in items):
        return None
    for key in IDENTITY_KEYS:
        values = [item.get(key) for item in items]
        if all(isinstance(v, str | int) for v in values):
            old_ids = [str(item.get(key)) for item in old]
            new_ids = [str(item.get(key)) for item in new]
            if len(set(old_ids)) == len(old_ids) and len(set(new_ids)) == len(new_ids):
                return key
    return None


def to_tree(value: Any, lean: Any = None) -> Any:
    """Turn plain data into round-trip nodes; ``lean`` (defaults left out) picks the keys."""
    if isinstance(value, Mapping):
        keep = lean if isinstance(lean, Mapping) else value
        node = CommentedMap()
        for key, item in value.items():
            if key in keep:
                node[key] = to_tree(item, keep.get(key))
        return node
    if isinstance(value, list | tuple):
        lean_items = lean if isinstance(lean, list | tuple) else [None] * len(value)
        return CommentedSeq(to_tree(v, lv) for v, lv in zip(value, lean_items, strict=False))
    return value


def merge_tree(old: Any, new: Any, lean: Any = None) -> Any:
    """Return ``old`` updated in place to equal ``new`` where possible, else a new node.

    ``new`` is the full dump of the model; ``lean`` the same dump without default values.
    A key missing from the user's file is only added when it differs from its default.
    """
    if _emptied(old, new):
        # ruamel writes an emptied block collection as `[]` on a line of its own under the
        # key's comment, which is not valid YAML; a fresh `[]`/`{}` sits after the key.
        return to_tree(new, lean)
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        # Whole-line comments after the last key belong to what follows the mapping; keep
        # them there when keys are added or removed at its end.
        tail = _detach_tail(old)
        _merge_map(old, new, lean)
        _attach_tail(old, tail)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list | tuple):
        tail = _detach_tail(old)
        merged = _merge_seq(old, new, lean)
        _attach_tail(old, tail)
        return merged
    if isinstance(new, Mapping | list | tuple):
        return to_tree(new, lean)
    if same_scalar(old, new):
        return old
    return new


def _emptied(old: Any, new: Any) -> bool:
    return (
        isinstance(old, CommentedMap | CommentedSeq)
        and len(old) > 0
        and isinstance(new, Mapping | list | tuple)
        and len(new) == 0
    )


def _merge_map(old: CommentedMap, new: Mapping[str, Any], lean: Any) -> None:
    lean_map = lean if isinstance(lean, Mapping) else new
    for key in [k for k in old if k not in new]:
        del old[key]
    for key, value in new.items():
        if key in old:
            tail = _detach_tail(old[key]) if _emptied(old[key], value) else None
            merged = merge_tree(old[key], value, lean_map.get(key, value))
            if merged is not old[key]:
                old[key] = merged
            if tail:
                _keep_after_key(old, key, tail)
        elif key in lean_map:
            old[key] = to_tree(value, lean_map.get(key))


def _merge_seq(old: CommentedSeq, new: Sequence[Any], lean: Any) -> Any:
    lean_list = lean if isinstance(lean, list | tuple) else list(new)
    key = _identity_key(old, new)
    if key is None:
        return _merge_positional(old, new, lean_list)
    by_id = {str(item[key]): item for item in old}
    _keep_comments_of_removed(old, {str(value[key]) for value in new}, key)
    ordered = []
    for value, lean_value in zip(new, lean_list, strict=False):
        existing = by_id.get(str(value[key]))
        if existing is not None:
            ordered.append(merge_tree(existing, value, lean_value))
        else:
            ordered.append(to_tree(value, lean_value))
    _replace_items(old, ordered)
    return old


def _keep_comments_of_removed(old: CommentedSeq, kept: set[str], key: str) -> None:
    """Move the comments after a removed item (about the next one) to the item before it."""
    previous = None
    for item in old:
        if str(item[key]) in kept:
            previous = item
        elif previous is not None:
            _attach_tail(previous, _detach_tail(item))


def _merge_positional(old: CommentedSeq, new: Sequence[Any], lean: Sequence[Any]) -> Any:
    if len(old) == len(new):
        for index, (value, lean_value) in enumerate(zip(new, lean, strict=False)):
            merged = merge_tree(old[index], value, lean_value)
            if merged is not old[index]:
                old[index] = merged
        return old
    ordered = [
        merge_tree(old[i], value, lean_value) if i < len(old) else to_tree(value, lean_value)
        for i, (value, lean_value) in enumerate(zip(new, lean, strict=False))
    ]
    _replace_items(old, ordered)
    return old


def _replace_items(seq: CommentedSeq, items: list[Any]) -> None:
    """Replace a sequence's items, moving item comments along with the items they follow."""
    old_items = list(seq)
    old_comments = dict(seq.ca.items)
    positions = {id(item): index for index, item in enumerate(old_items)}
    new_comments = {}
    for index, item in enumerate(items):
        old_index = positions.get(id(item))
        if old_index is not None and old_index in old_comments:
            new_comments[index] = old_comments[old_index]
    seq.clear()
    seq.extend(items)
    seq.ca.items.clear()
    seq.ca.items.update(new_comments)


def _tail_slot(node: Any) -> tuple[Any, Any, int] | None:
    """The (container, key, slot) of the comment after ``node``'s deepest last scalar."""
    if isinstance(node, CommentedMap) and node:
        key, slot = list(node)[-1], 2
    elif isinstance(node, CommentedSeq) and node:
        key, slot = len(node) - 1, 0
    else:
        return None
    inner = _tail_slot(node[key])
    if inner is not None:
        return inner
    return node, key, slot


def _detach_tail(node: Any) -> str | None:
    """Take the whole-line comments after ``node`` off it (they belong to what follows)."""
    found = _tail_slot(node)
    if found is None:
        return None
    container, key, slot = found
    entry = container.ca.items.get(key)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or not isinstance(token.value, str):
        return None
    newline = token.value.find("\n")
    if newline < 0 or not token.value[newline + 1:].strip():
        return None
    head, rest = token.value[: newline + 1], token.value[newline + 1:]
    if head.strip():
        token.value = head
    else:
        entry[slot] = None
    return rest


def _keep_after_key(node: CommentedMap, key: Any, rest: str) -> None:
    """Keep whole-line comments after ``key: []`` (its emptied collection's tail)."""
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= 2:
        entry.append(None)
    token = entry[2]
    if token is None:
        entry[2] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + rest


def _attach_tail(node: Any, rest: str | None) -> None:
    """Put whole-line comments taken by ``_detach_tail`` after ``node``'s new last scalar."""
    if not rest:
        return
    found = _tail_slot(node)
    if found is None:
        return
    container, key, slot = found
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) <= slot:
        entry.append(None)
    token = entry[slot]
    if token is None:
        entry[slot] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + rest
