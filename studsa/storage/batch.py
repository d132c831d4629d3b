"""The YAML text of many new files at once, shared across processes when there is much.

``score import`` of a large survey writes one new rater file per rater: 20 files of 4,000
values each. Emitting YAML is the cost there (ruamel's emitter, a few tens of microseconds
a value), and the files do not depend on each other, so their texts are made on every core.
Each worker turns plain data (pydantic's JSON dump) into exactly the text a single process
writes; the writing itself, atomic and under the project's lock, stays in the caller.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

PARALLEL_MIN_VALUES = 20_000
"""Below this many values in all, starting worker processes costs more than it saves."""

Item = tuple[Any, Any]  # (full, lean): what a new file holds, and which keys it writes


def new_text(item: Item) -> str:
    """The YAML text of a new file (below its schema line and header)."""
    from studsa.storage.merge import to_tree
    from studsa.storage.yamlio import dump_yaml

    full, lean = item
    return dump_yaml(to_tree(full, lean))


def count_values(data: Any) -> int:
    """How many scalars ``data`` holds (a measure of the work of writing it)."""
    if isinstance(data, dict):
        return sum(count_values(v) for v in data.values()) + len(data)
    if isinstance(data, list):
        return sum(count_values(v) for v in data)
    return 1


def new_texts(items: Sequence[Item], min_values: int = PARALLEL_MIN_VALUES) -> list[str]:
    """``new_text`` of every item, in order; across processes when the items hold at least
    ``min_values`` values in all."""
    workers = min(len(items), os.cpu_count() or 1)
    if workers < 2 or sum(count_values(full) for full, _ in items) < min_values:
        return [new_text(item) for item in items]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    try:
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(new_text, items))
    except (OSError, BrokenProcessPool):  # no processes allowed here: one after another
        return [new_text(item) for item in items]
