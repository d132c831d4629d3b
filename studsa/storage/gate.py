"""The write gate: where studsa may write, checked for every file before it is written.

Every file goes through ``check_write`` (called by ``files.atomic_write_bytes``): the path is
resolved, symbolic links and all, and must lie inside one of the folders the writer names
(the project, or the ``--out`` target the user gave). A symbolic link is never written
through, and a link on the way that points out of the project is refused, not followed.

``out_target`` checks an ``--out`` the user named before anything is made: it may lie
outside the project, but never inside a folder that holds the project's own files
(``1-avgransa/`` … ``remiss/``, ``mallar/``, ``.git/``) and never on a source file
(``studsa.yaml``, a deliverable). ``walk_files`` lists a project folder for reading without
following a link out of the project or round in a loop.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from studsa.errors import UsageError, WriteError
from studsa.i18n import message
from studsa.storage.layout import KINDS, PROJECT_FILE, TEMPLATES_DIR

SOURCE_FOLDERS: tuple[str, ...] = (
    *sorted({kind.folder for kind in KINDS.values() if kind.folder}), TEMPLATES_DIR, ".git"
)
"""Folders (relative to the project) that hold the project's own files."""

SOURCE_FILES: tuple[str, ...] = (PROJECT_FILE, ".gitignore", ".gitattributes", ".studsa.lock")
"""Files at the project's top that are its own."""


def within(path: Path, folder: Path) -> bool:
    """Whether the resolved ``path`` is ``folder`` or lies inside it (both resolved)."""
    return path == folder or folder in path.parents


def resolved(path: Path) -> Path:
    """``path`` made absolute with every symbolic link on the way followed."""
    return Path(os.path.realpath(path.expanduser()))


def check_write(path: Path, allowed: Sequence[Path], shown: str | Path) -> Path:
    """Refuse a write through a link, or to a place outside every ``allowed`` folder.

    Returns the resolved path the data will land at.
    """
    if path.is_symlink():
        raise WriteError(message("safety_write_through_link"), path=shown)
    target = resolved(path)
    folders = [resolved(folder) for folder in allowed]
    if folders and not any(within(target, folder) for folder in folders):
        raise WriteError(message("safety_write_outside", target=str(target)), path=shown)
    return target


def source_paths(root: Path) -> list[Path]:
    """The resolved folders of ``root`` that hold the project's own files."""
    return [resolved(root / name) for name in SOURCE_FOLDERS]


def is_source_file(target: Path, root: Path) -> bool:
    """Whether the resolved ``target`` is one of the project's own files."""
    root = resolved(root)
    if target.parent == root and (target.name in SOURCE_FILES or target.suffix in {".yaml",
                                                                                   ".yml"}):
        return True
    return any(within(target, folder) for folder in source_paths(root))


def enclosing_project(target: Path) -> Path | None:
    """The project folder (with ``studsa.yaml``) at or above the resolved ``target``."""
    for folder in (target, *target.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def out_target(out: Path, *, folder: bool, extra_sources: Iterable[Path] = ()) -> Path:
    """Check an ``--out`` path the user named and return it resolved.

    ``folder``: the command writes a folder of files there (else one file). Refused: a
    place inside a folder that holds a project's own files (of the project the target lies
    in, found from the target itself, or ``extra_sources``), a project's source file, a
    file where a folder is wanted and a folder where a file is wanted.
    """
    target = resolved(out)
    sources = [resolved(p) for p in extra_sources]
    home = enclosing_project(target.parent if not folder else target)
    if home is not None:
        sources[:0] = source_paths(home)
    for source in sources:
        if within(target, source):
            raise UsageError(message("safety_out_in_sources", out=str(out),
                                     folder=_rel(source, home)))
    if not folder and home is not None and is_source_file(target, home):
        raise UsageError(message("safety_out_is_source", out=str(out)))
    if folder and target.exists() and not target.is_dir():
        raise UsageError(message("safety_out_not_folder", out=str(out)))
    if not folder and target.is_dir():
        raise UsageError(message("safety_out_is_folder", out=str(out)))
    return target


def _rel(path: Path, root: Path | None) -> str:
    if root is None:
        return str(path)
    try:
        return path.relative_to(resolved(root)).as_posix() + "/"
    except ValueError:
        return str(path)


def walk_files(folder: Path, root: Path, pattern: str = "*.yaml") -> list[Path]:
    """Files matching ``pattern`` under ``folder``, sorted, for reading.

    A link is followed only while it stays inside ``root``; each real folder is visited
    once, so a link to ``.`` or to ``/`` neither loops nor walks the disk.
    """
    top = resolved(root)
    seen: set[Path] = set()
    found: list[Path] = []
    stack = [folder]
    while stack:
        current = stack.pop()
        real = resolved(current)
        if real in seen or not within(real, top) or not real.is_dir():
            continue
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir():
                stack.append(path)
            elif path.match(pattern) and entry.is_file() and within(resolved(path), top):
                found.append(path)
    return sorted(found)


__all__ = ["SOURCE_FILES", "SOURCE_FOLDERS", "check_write", "enclosing_project",
           "is_source_file", "out_target", "resolved", "source_paths", "walk_files", "within"]
