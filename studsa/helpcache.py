"""``studsa --help``, replayed from the user cache folder while nothing it depends on changed.

The top-level help is drawn by rich (about two thirds of its time is importing rich and
laying out the panels) from studsa's commands; for the same code, arguments, terminal and
environment it is the same bytes every time. The first run records what it writes; later
runs write those bytes without importing Typer or rich, as ``--version`` does.

- Key: sha256 over the arguments, the whole environment, whether standard output is a
  terminal (and its size and encoding), the platform, and the size and modification time of
  every module of studsa, Typer, click and rich (``parsecache.modules_stamp``). Any
  difference draws the help afresh.
- Kept only when the help ended normally and wrote nothing to standard error. Not used on
  Windows, where rich may draw through the console API instead of the stream.
- Stored beside the other caches (``parsecache.cache_root``; ``STUDSA_CACHE=0`` turns it
  off), read only from a folder that is ours alone; any failure is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FORMAT = 1
PACKAGES = ("studsa", "typer", "click", "rich")
MAX_ENTRIES = 64
KEEP_AFTER_PRUNE = 48


def _folder() -> Path | None:
    if os.name == "nt":
        return None
    from studsa.storage.parsecache import cache_root

    root = cache_root()
    return None if root is None else root / f"help-{FORMAT}"


def _key(argv: list[str]) -> str:
    from studsa.storage.parsecache import modules_stamp

    stream = sys.stdout
    try:
        terminal = stream.isatty()
        size = tuple(os.get_terminal_size(stream.fileno())) if terminal else None
    except (AttributeError, OSError, ValueError):
        terminal, size = False, None
    facts = [FORMAT, argv, sorted(os.environ.items()), terminal, size,
             getattr(stream, "encoding", None), sys.platform, sys.version,
             modules_stamp(PACKAGES)]
    return hashlib.sha256(repr(facts).encode("utf-8", "surrogateescape")).hexdigest()


def replay(argv: list[str]) -> bool:
    """Write the kept help for ``argv`` and return True, or return False (a miss)."""
    from studsa.storage.parsecache import is_private

    folder = _folder()
    if folder is None or not is_private(folder):
        return False
    try:
        data = (folder / f"{_key(argv)}.out").read_bytes()
    except OSError:
        return False
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return False
    stream.flush()
    buffer.write(data)
    buffer.flush()
    return True


class _Tee:
    """A text stream that writes through to ``stream`` and keeps a copy of what it wrote."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        written = self._stream.write(text)  # raises for bytes (click's probe), as it should
        self.parts.append(text)
        return written  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def recording(argv: list[str]) -> Iterator[None]:
    """Run the help inside: what it writes is kept for ``replay`` if all went well."""
    folder = _folder()
    if folder is None:
        yield
        return
    key = _key(argv)  # before the help runs (it may touch the environment)
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    original = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err  # type: ignore[assignment]
    ok = False
    try:
        yield
        ok = True
    except SystemExit as done:
        ok = done.code in (None, 0)
        raise
    finally:
        sys.stdout, sys.stderr = original
        if ok and not err.parts and out.parts:
            with contextlib.suppress(Exception):
                _keep(folder, key, "".join(out.parts))


def _keep(folder: Path, key: str, text: str) -> None:
    from studsa.storage.parsecache import write_entry

    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    data = text.encode(encoding, getattr(sys.stdout, "errors", None) or "strict")
    write_entry(folder, f"{key}.out", data, MAX_ENTRIES, KEEP_AFTER_PRUNE)
