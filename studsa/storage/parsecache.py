"""A content-addressed cache of files read, so a large file is parsed once per content.

Reading a rater's file of 1,000 challenges takes libyaml and pydantic about 0.12 s; a
project with 20 raters would pay that on every command. Parsing and validating are pure
functions of the file's bytes and of studsa's own code, so the validated model is kept
under a key made of the bytes' sha256, the file kind and a fingerprint of the code that
reads it (studsa's version, pydantic's version and the source of the models and loaders).
Any edit to the file or to that code changes the key, so a stale entry is never read; old
entries are pruned later.

- Where: ``platformdirs.user_cache_dir("studsa")`` (``~/.cache/studsa`` on Linux), or
  ``STUDSA_CACHE_DIR``; ``STUDSA_CACHE=0`` turns the cache off. Nothing is written inside
  the project.
- What: models the fast path read without a problem, of files of any size (a small file
  read from the cache spares the command libyaml and building the model's validator); errors
  are never cached, so every problem is still found and located by the loaders.
- Safety: entries are pickles, read only from a folder owned by this user and writable by
  no one else. Any failure to read or write the cache is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Bump when fast_parse's output for the same text changes, so old entries are not used.
FORMAT = 2
MIN_BYTES = 0
"""Files smaller than this are not cached (0: every file)."""
# Entries kept; when a write goes over the limit the least recently used are removed.
MAX_ENTRIES = 512
KEEP_AFTER_PRUNE = 384


def cache_root() -> Path | None:
    """studsa's user cache folder (``STUDSA_CACHE_DIR``), or None when caching is off."""
    if os.environ.get("STUDSA_CACHE", "1").strip().lower() in ("0", "off", "no", "false"):
        return None
    base = os.environ.get("STUDSA_CACHE_DIR")
    if not base:
        from platformdirs import user_cache_dir

        base = user_cache_dir("studsa", appauthor=False)
    return Path(base)


def cache_dir() -> Path | None:
    """The folder of parse-cache entries, or None when the cache is turned off."""
    root = cache_root()
    return None if root is None else root / f"yaml-{FORMAT}"


def is_private(folder: Path) -> bool:
    """Whether the folder is ours alone (so nobody else could have written an entry)."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(info.st_mode):
        return False
    if os.name == "posix":
        return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    return True


def _entry(folder: Path, digest: str) -> Path:
    return folder / f"{digest}.pickle"


_FINGERPRINT: list[str] = []


def code_fingerprint() -> str:
    """sha256 over what decides a cached entry: versions and the readers' source code."""
    if not _FINGERPRINT:
        import pydantic

        import studsa

        package = Path(studsa.__file__).parent
        sources = sorted([*package.glob("models/*.py"), package / "storage" / "fastload.py",
                          package / "storage" / "yamlio.py", package / "storage" / "layout.py",
                          package / "storage" / "plain.py", package / "scoring" / "model.py",
                          package / "workflow" / "prioritize" / "load.py"])
        hasher = hashlib.sha256(f"{FORMAT} {studsa.__version__} {pydantic.VERSION}".encode())
        for source in sources:
            hasher.update(source.name.encode())
            with contextlib.suppress(OSError):
                hasher.update(source.read_bytes())
        _FINGERPRINT.append(hasher.hexdigest())
    return _FINGERPRINT[0]


def model_key(digest: str, kind: str) -> str:
    """The key of the model of kind ``kind`` read from the bytes with sha256 ``digest``."""
    text = f"{digest} {kind} {code_fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()


def get(digest: str, size: int) -> Any | None:
    """The entry kept under ``digest`` (a key), or None (a miss)."""
    found = get_lazy(digest, size)
    if found is None:
        return None
    try:
        return found[1]()
    except Exception:  # a partial or foreign entry is a miss
        return None


def get_lazy(digest: str, size: int) -> tuple[Any, Callable[[], Any]] | None:
    """The header kept under ``digest`` and a function that loads its data, or None.

    The header is small and read at once; the data is unpickled only when the function
    is called (a command that needs the header alone never pays for the data). The
    function raises when the entry is damaged; callers treat that as a miss.
    """
    folder = cache_dir()
    if folder is None or size < MIN_BYTES:
        return None
    found = read_entry(folder, _entry(folder, digest).name, digest)
    if found is None:
        return None
    header, rest = found
    return header, lambda: pickle.loads(rest)


def read_entry(folder: Path, name: str, key: str) -> tuple[Any, bytes] | None:
    """The header and the still-pickled data of the entry ``folder/name`` written for
    ``key`` (see ``write_entry``), or None: a missing, partial or foreign entry, or a
    folder that is not ours alone, is a miss."""
    if not is_private(folder):
        return None
    path = folder / name
    try:
        with path.open("rb") as handle:
            head = pickle.load(handle)
            rest = handle.read()
    except Exception:  # a missing, partial or foreign entry is a miss
        return None
    if not isinstance(head, tuple) or len(head) != 2 or head[0] != key:
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return head[1], rest


def entry_bytes(key: str, header: Any, data: Any) -> bytes:
    """An entry as ``read_entry`` reads it: ``(key, header)``, then ``data``, pickled."""
    return (pickle.dumps((key, header), protocol=pickle.HIGHEST_PROTOCOL)
            + pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


_STAMPS: dict[tuple[str, ...], str] = {}


def modules_stamp(packages: tuple[str, ...]) -> str:
    """sha256 over the path, size and modification time of every module of ``packages``
    (found without importing them): an upgrade or an edit changes it."""
    if packages not in _STAMPS:
        import importlib.util

        hasher = hashlib.sha256()
        for name in packages:
            with contextlib.suppress(Exception):
                spec = importlib.util.find_spec(name)
                if spec is None or not spec.origin:
                    continue
                for current, dirs, files in os.walk(Path(spec.origin).parent):
                    dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                    for file in sorted(files):
                        if file.endswith((".py", ".so", ".pyd")):
                            info = (Path(current) / file).stat()
                            hasher.update(f"{current}/{file} {info.st_size} "
                                          f"{info.st_mtime_ns}\n".encode())
        _STAMPS[packages] = hasher.hexdigest()
    return _STAMPS[packages]


def put(digest: str, size: int, data: Any, header: Any = None) -> None:
    """Keep ``data`` (and a small ``header``) under ``digest``, best effort: never raises."""
    folder = cache_dir()
    if folder is None or size < MIN_BYTES or data is None:
        return
    try:
        write_entry(folder, _entry(folder, digest).name, entry_bytes(digest, header, data),
                    MAX_ENTRIES, KEEP_AFTER_PRUNE)
    except Exception:  # the cache is an optimisation only
        return


def write_entry(folder: Path, name: str, data: bytes, most: int, keep: int) -> None:
    """Write ``data`` as ``folder/name`` in one step (a temporary file renamed over it),
    in a folder that is ours alone, then prune the folder's entries of the same suffix
    (see ``prune``). Raises on failure; callers treat the cache as best effort."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not is_private(folder):
        return
    fd, temp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(temp).replace(folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise
    prune(folder, f"*{Path(name).suffix}", most, keep)


def prune(folder: Path, pattern: str, most: int, keep: int) -> None:
    """Remove the least recently used ``pattern`` entries when there are more than ``most``,
    keeping the ``keep`` most recent."""
    entries = list(folder.glob(pattern))
    if len(entries) <= most:
        return
    dated = []
    for entry in entries:
        with contextlib.suppress(OSError):
            dated.append((entry.stat().st_mtime, entry.name, entry))
    dated.sort()
    for _, _, entry in dated[: len(dated) - keep]:
        with contextlib.suppress(OSError):
            entry.unlink()


def clear() -> int:
    """Remove every entry; return how many were removed."""
    folder = cache_dir()
    if folder is None or not folder.is_dir():
        return 0
    removed = 0
    for entry in folder.glob("*.pickle"):
        with contextlib.suppress(OSError):
            entry.unlink()
            removed += 1
    return removed
