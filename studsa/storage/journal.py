"""An append-only journal of JSON lines: each entry on disk (fsync) before it is answered.

For what arrives one small piece at a time and must survive a kill (a workshop's
ballots): appending a line costs the same however long the journal is, where rewriting a
YAML file grows with it. A kill in the middle of an append leaves at most a torn last
line, which was never acknowledged; ``read_journal`` drops it and rewrites the file
without it (atomically), so the journal is whole again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from studsa.errors import WriteError
from studsa.storage.files import atomic_write_bytes, fsync_dir


def append_entry(path: Path, entry: dict[str, Any]) -> None:
    """Append one entry and flush it to disk (the caller holds the project lock)."""
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("ab") as handle:
            handle.write(line.encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        raise WriteError(f"cannot append to the journal ({err.strerror or err})",
                         path=path) from None
    if not existed:
        fsync_dir(path.parent)


def read_journal(path: Path) -> list[dict[str, Any]]:
    """Every whole entry; a torn last line (a killed append) is removed from the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    entries: list[dict[str, Any]] = []
    good = 0
    for raw in data.splitlines(keepends=True):
        if not raw.endswith(b"\n"):
            break
        try:
            entry = json.loads(raw)
        except ValueError:
            break
        if not isinstance(entry, dict):
            break
        entries.append(entry)
        good += len(raw)
    if good != len(data):
        atomic_write_bytes(path, data[:good])
    return entries
