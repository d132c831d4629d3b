"""Which output files studsa made: exports, schemas and reports replace only their own.

The record is ``.studsa/made.json`` in the project: the sha256 of every output file studsa
wrote there, by path relative to the project. For an ``--out`` folder outside any project
the record is ``.studsa-made.json`` in that folder, so the project itself is not touched. A file
that is there already may be replaced when its bytes are those studsa wrote, or when they
carry studsa's mark (a report's ``generator`` meta, a studsa JSON Schema); any other file
(the user's own spreadsheet, a report edited by hand) is refused unless ``--force``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path

from studsa.errors import ConflictError
from studsa.i18n import message
from studsa.storage.files import atomic_write_bytes, file_digest, project_lock, sha256_bytes
from studsa.storage.gate import enclosing_project, resolved, within
from studsa.storage.together import Write, write_together

MADE_FILE = ".studsa/made.json"
OUTSIDE_FILE = ".studsa-made.json"
_MARKS = (b'<meta name="generator" content="studsa">', b'"const": "studsa.')


class MadeFiles:
    """The record of files studsa made, read once, written back by ``save``."""

    def __init__(self, folder: Path) -> None:
        """The record that covers files written into ``folder``."""
        folder = resolved(folder)
        home = enclosing_project(folder)
        self.base = home if home is not None else folder
        self.record = home / MADE_FILE if home is not None else folder / OUTSIDE_FILE
        self.shown = MADE_FILE if home is not None else str(self.record)
        self.files: dict[str, str] = {}
        self.changed = False
        try:
            data = json.loads(self.record.read_text(encoding="utf-8"))
            files = data.get("files", {}) if isinstance(data, dict) else {}
            self.files = {str(k): str(v) for k, v in files.items()}
        except (OSError, ValueError, AttributeError):
            self.files = {}

    def _key(self, path: Path) -> str:
        target = resolved(path)
        if within(target, self.base):
            return target.relative_to(self.base).as_posix()
        return str(target)

    def needs_write(self, path: Path, data: bytes, *, force: bool, shown: str | Path) -> bool:
        """Whether ``path`` must be written with ``data``; refuse a file studsa did not make.

        False when the file holds ``data`` already (nothing to do)."""
        current = file_digest(path) if path.is_file() and not path.is_symlink() else None
        if current is None:
            return True
        if current == sha256_bytes(data):
            return False
        if force or self.files.get(self._key(path)) == current or _marked(path):
            return True
        raise ConflictError(message("safety_not_made"), path=shown)

    def note(self, path: Path, data: bytes) -> None:
        """Record that studsa wrote ``data`` to ``path``."""
        key, digest = self._key(path), sha256_bytes(data)
        if self.files.get(key) != digest:
            self.files[key] = digest
            self.changed = True

    def record_write(self) -> Write | None:
        """The write of the record, when it changed (None: nothing to write)."""
        if not self.changed:
            return None
        text = json.dumps({"schema": "studsa.made/1", "files": dict(sorted(self.files.items()))},
                          ensure_ascii=False, indent=1) + "\n"
        return Write(self.record, text.encode("utf-8"), self.shown, [self.base])

    def save(self) -> None:
        """Write the record back, when it changed."""
        item = self.record_write()
        if item is not None:
            atomic_write_bytes(item.path, item.data, within=item.within, display=item.display)
        self.changed = False


def _marked(path: Path) -> bool:
    """Whether a file carries studsa's mark in its first bytes (an HTML report, a schema)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return any(mark in head for mark in _MARKS)


def write_made(path: Path, data: bytes, made: MadeFiles, *, allowed: list[Path], force: bool,
               shown: str | Path) -> bool:
    """Write one output file through the gate, refusing to replace another's file.

    Returns whether it was written (False: it held these bytes already)."""
    if not made.needs_write(path, data, force=force, shown=shown):
        made.note(path, data)
        return False
    atomic_write_bytes(path, data, within=allowed, display=shown)
    made.note(path, data)
    return True


def write_made_set(items: Sequence[tuple[Path, bytes, str | Path]], made: MadeFiles, *,
                   allowed: list[Path], force: bool) -> list[Path]:
    """Write a set of output files (a report set) and the record, all or nothing.

    Every refusal comes before the first byte; the files that changed and the record are
    written together (``storage.together``), under the project's lock when they are in
    one. Returns the files that were written."""
    writes = []
    for path, data, shown in items:
        if made.needs_write(path, data, force=force, shown=shown):
            writes.append(Write(path, data, shown, allowed))
        made.note(path, data)
    record = made.record_write()
    lock = (project_lock(made.base) if enclosing_project(made.base) is not None
            else contextlib.nullcontext())
    with lock:
        write_together(made.base, writes + ([record] if record is not None else []))
    made.changed = False
    return [w.path for w in writes]


__all__ = ["MADE_FILE", "MadeFiles", "write_made", "write_made_set"]
