"""All or nothing across files: a command that writes several files writes all or none.

Every command that changes more than one file (``select``, ``decide``, ``challenge
import``, ``score import`` of many raters, ``followup import``, ``rollover``, ``migrate``,
``render`` of a report set, …) hands the whole set to ``write_together``. The design is a
roll-forward intent record, the simplest that is correct under a kill at any moment:

1. **Stage.** Each new content goes to a temporary file beside its target
   (``.<name>.XXXXXXXX.tmp``, the name every loader ignores), flushed to disk (fsync). The
   write gate and the stale checks run first, and the stale checks once more at the end.
   A failure up to here removes the temporaries: nothing changed.
2. **Commit.** The intent record ``.studsa-intent.json`` (in the project root; for an
   output folder outside any project, in that folder) lists every (temporary, target)
   pair in order. It is itself written atomically (temporary, fsync, rename, fsync of the
   folder), so it is either absent or whole. From the moment it exists the set is decided.
3. **Apply.** The temporaries are renamed over their targets in order, the folders are
   flushed, and the record is removed.

**Recovery** (``complete_pending``): the next studsa command that opens the project, reading
or writing, finds a leftover record and finishes it under the project lock: every
temporary still present is renamed over its target (one that is gone was renamed
already), then the record goes. A kill before the record exists leaves only temporaries,
which loaders ignore and the next write of the same file removes: the old state stands.
So after any kill, once the next command has run, every file of the set is wholly old or
wholly new, and all of them together are either the old set or the new one.

A single file needs no record: ``files.atomic_write_bytes`` is already all or nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studsa.errors import WriteError
from studsa.storage.files import (
    atomic_write_bytes,
    check_not_stale,
    fsync_dir,
    remove_stale_temp_files,
    stage_bytes,
    write_failure,
)
from studsa.storage.gate import resolved, within

INTENT_FILE = ".studsa-intent.json"
"""The intent record of a set of writes in progress (see the module docstring)."""


@dataclass
class Write:
    """One file of a set: its new bytes and how to check it is still what was read."""

    path: Path
    data: bytes
    display: str | Path
    within: Sequence[Path] = ()
    expected_digest: str | None = None
    check_stale: bool = False


def write_together(home: Path, writes: Sequence[Write]) -> None:
    """Write every file of ``writes`` or none of them (the caller holds the lock of ``home``).

    ``home``: the folder whose intent record covers the set (the project root, or an
    output folder outside any project).
    """
    if not writes:
        return
    targets = [resolved(w.path) for w in writes]
    if len(set(targets)) != len(targets):
        raise ValueError("a set of writes names the same file twice")
    complete_pending(home)
    remove_stale_temp_files(home / INTENT_FILE)  # a record a kill left half-written
    if len(writes) == 1:
        w = writes[0]
        remove_stale_temp_files(w.path)
        atomic_write_bytes(w.path, w.data, expected_digest=w.expected_digest,
                           check_stale=w.check_stale, display=w.display, within=w.within)
        return
    staged: list[Path] = []
    try:
        for w in writes:
            remove_stale_temp_files(w.path)
            staged.append(stage_bytes(w.path, w.data, expected_digest=w.expected_digest,
                                      check_stale=w.check_stale, display=w.display,
                                      within=w.within))
        for w in writes:  # once more just before committing: an editor may have saved
            if w.check_stale:
                check_not_stale(w.path, w.expected_digest, w.display)
        record = {"schema": "studsa.intent/1",
                  "renames": [[_name(home, tmp), _name(home, w.path)]
                              for tmp, w in zip(staged, writes, strict=True)]}
        atomic_write_bytes(home / INTENT_FILE,
                           json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"),
                           display=INTENT_FILE)
    except BaseException:
        for tmp in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    _apply(home, [(tmp, w.path) for tmp, w in zip(staged, writes, strict=True)])


def complete_pending(home: Path) -> bool:
    """Finish a set of writes a killed command left committed but not applied.

    Call it holding the lock of ``home``. Returns whether there was one.
    """
    record = home / INTENT_FILE
    try:
        text = record.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except OSError as err:
        raise WriteError(f"cannot read the record of an unfinished write ({err.strerror or err})",
                         path=record) from None
    try:
        renames = [(_path(home, tmp), _path(home, target))
                   for tmp, target in json.loads(text)["renames"]]
    except (ValueError, KeyError, TypeError):
        raise WriteError("the record of an unfinished write is damaged; remove it (the "
                         "files it names are each whole, old or new)", path=record) from None
    _apply(home, renames)
    return True


def pending(home: Path) -> bool:
    """Whether ``home`` has an unfinished set of writes (one cheap ``stat``)."""
    return (home / INTENT_FILE).exists()


def _apply(home: Path, renames: list[tuple[Path, Path]]) -> None:
    folders: dict[Path, None] = {}
    for tmp, target in renames:
        try:
            os.replace(tmp, target)  # noqa: PTH105
        except FileNotFoundError:
            if not target.exists():  # neither: the set cannot be completed
                raise WriteError("a file of an unfinished write is gone; nothing more was "
                                 "changed", path=target) from None
            continue  # renamed before the kill
        except OSError as err:
            raise WriteError(write_failure(err, True) + "; the next studsa command "
                             "finishes the write", path=target) from None
        folders[target.parent] = None
    for folder in folders:
        fsync_dir(folder)
    (home / INTENT_FILE).unlink(missing_ok=True)
    fsync_dir(home)


def _name(home: Path, path: Path) -> str:
    target, base = resolved(path), resolved(home)
    return target.relative_to(base).as_posix() if within(target, base) else str(target)


def _path(home: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else home / path


__all__ = ["INTENT_FILE", "Write", "complete_pending", "pending", "write_together"]
