"""Answers of the read-only commands, kept per state of the project folder.

``studsa status``, ``validate`` and ``score`` compute their answer from the project's files,
the date and their options alone. In a workshop they run again and again on files that did
not change; the answer is then read back instead of being computed again (the way ruff and
mypy keep their results).

- Key: sha256 over the command, its options, studsa's code (version and every module's
  size and modification time, and those of pydantic) and the project's state: every file
  under the project folder with, for YAML files, a hash (BLAKE2b) of its bytes (other
  files: size and modification time). Hidden folders (``.git``, ``.studsa``) and ``rapporter/`` (the
  rendered output) are left out. Any edit, added or removed file changes the key.
- The files are listed again after computing; an answer is kept only if no file was
  changed (size, modification time), added or removed in between, so a file written by
  another program during the command never pairs an old state with a new answer.
- Where: ``results-1/`` in the cache folder of ``parsecache`` (``STUDSA_CACHE_DIR``;
  ``STUDSA_CACHE=0`` turns this off too), read only when the folder is ours alone. Any
  failure to read or write is a miss, never an error; errors are never kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from studsa.storage import parsecache

FORMAT = 1
MAX_ENTRIES = 128
KEEP_AFTER_PRUNE = 96
"""Answers kept: a large project's `score` answer is about 0.4 MB, so at most about 50 MB."""
SKIPPED_FOLDERS = frozenset({"rapporter"})
"""Top-level folders that hold output, not input (hidden folders are skipped as well)."""
YAML_SUFFIXES = (".yaml", ".yml")

T = TypeVar("T")


def results_dir() -> Path | None:
    """The folder of kept answers, or None when caching is off."""
    root = parsecache.cache_root()
    return None if root is None else root / f"results-{FORMAT}"


def project_state(root: Path) -> tuple[str, list[tuple[str, int, int]]]:
    """The project's state (a hash over every input file under ``root``: its path and its
    content, or size and modification time for files that are not YAML) and what each
    file looked like (path, size, modification time), to tell later whether any changed.

    Only regular files are read (a FIFO or a device named ``*.yaml`` is listed by its kind,
    never opened). BLAKE2b: as strong as sha256 and twice as fast where the CPU has no
    SHA instructions.
    """
    hasher = hashlib.blake2b(digest_size=32)
    seen: list[tuple[str, int, int]] = []
    _walk(str(root), "", hasher, seen)
    return hasher.hexdigest(), seen


def _stats(root: Path) -> list[tuple[str, int, int]]:
    """Every input file's (path, size, modification time), as ``project_state`` lists them."""
    seen: list[tuple[str, int, int]] = []
    _walk(str(root), "", None, seen)
    return seen


def _walk(folder: str, relative: str, hasher: Any, seen: list[tuple[str, int, int]]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        seen.append((f"{relative}\0unlistable", -1, -1))
        if hasher is not None:
            hasher.update(f"{relative}\0unlistable\n".encode())
        return
    for entry in entries:
        name = f"{relative}{entry.name}"
        try:
            info = entry.stat()
        except OSError:
            seen.append((name, -1, -1))
            if hasher is not None:
                hasher.update(f"{name}\0unreadable\n".encode())
            continue
        if stat.S_ISDIR(info.st_mode):
            if not entry.name.startswith(".") and not (not relative
                                                       and entry.name in SKIPPED_FOLDERS):
                _walk(entry.path, f"{name}/", hasher, seen)
            continue
        seen.append((name, info.st_size, info.st_mtime_ns))
        if hasher is None:
            continue
        if stat.S_ISREG(info.st_mode) and entry.name.endswith(YAML_SUFFIXES):
            try:
                content = Path(entry.path).read_bytes()
                state = hashlib.blake2b(content, digest_size=32).hexdigest()
            except OSError:
                state = "unreadable"
        else:
            state = f"{stat.S_IFMT(info.st_mode)} {info.st_size} {info.st_mtime_ns}"
        hasher.update(f"{name}\0{state}\n".encode())


def code_state() -> str:
    """studsa's version and the size and modification time of each of its modules, and
    pydantic's (an upgrade or an edit changes every key)."""
    import studsa

    stamp = parsecache.modules_stamp(("studsa", "pydantic", "pydantic_core"))
    return f"{FORMAT} {studsa.__version__} {sys.version} {stamp}"


def result_key(root: Path, command: str, options: tuple[Any, ...], state: str) -> str:
    """The key of ``command``'s answer with ``options`` on a project in ``state``."""
    text = f"{command}\0{options!r}\0{root}\0{code_state()}\0{state}"
    return hashlib.sha256(text.encode()).hexdigest()


def memo(root: Path, command: str, options: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, or its answer kept from an earlier run on the same project state.

    ``options`` must hold everything besides the files that the answer depends on (the
    command's options, the date); their ``repr`` is part of the key.
    """
    folder = results_dir()
    if folder is None:
        return compute()
    try:
        state, files = project_state(root)
        key = result_key(root, command, options, state)
    except Exception:  # an unreadable folder: compute without the cache
        return compute()
    found = _read(folder, key)
    if found is not None:
        return found[0]  # type: ignore[no-any-return]
    answer = compute()  # errors propagate and are never kept
    with contextlib.suppress(Exception):
        if _stats(root) == files:  # no file was changed, added or removed meanwhile
            _write(folder, key, answer)
    return answer


def _read(folder: Path, key: str) -> tuple[Any] | None:
    found = parsecache.read_entry(folder, f"{key}.pickle", key)
    if found is None:
        return None
    try:
        return (pickle.loads(found[1]),)
    except Exception:  # a damaged entry is a miss
        return None


def _write(folder: Path, key: str, answer: Any) -> None:
    data = parsecache.entry_bytes(key, None, answer)
    parsecache.write_entry(folder, f"{key}.pickle", data, MAX_ENTRIES, KEEP_AFTER_PRUNE)
