"""Schema migrations: upgrade files written for an older ``schema: studsa.<name>/<major>``.

Each step moves one kind from major N to N+1 by editing the round-trip tree in place (so the
user's comments stay) and says what it changed. ``migrate_project`` upgrades every working
file of a project, keeping a byte copy of each in ``.studsa/backup/`` first. Frozen decided
versions (``*/versions/``) are never rewritten: their hash is the proof of a decision, so
``read_upgraded`` reads them through the same steps in memory instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studsa.errors import InputError, SchemaError, StudsaError
from studsa.storage.files import encode_text, read_text
from studsa.storage.layout import KINDS, FileKind
from studsa.storage.locate import validate_data
from studsa.storage.positions import locator
from studsa.storage.project import ProjectStore
from studsa.storage.reader import parse
from studsa.storage.together import Write, write_together

BACKUP_DIR = ".studsa/backup"
_SCHEMA_RE = re.compile(r"^studsa\.([a-z_]+)/([0-9]+)$")

StepFunc = Callable[[Any], list[str]]


@dataclass(frozen=True)
class Step:
    """One migration: ``kind`` from ``from_major`` to ``from_major + 1``."""

    kind: str
    from_major: int
    summary: str
    apply: StepFunc


STEPS: dict[tuple[str, int], Step] = {}
"""The registry of steps, by (kind name, major the step starts from)."""


def register_step(kind: str, from_major: int, summary: str) -> Callable[[StepFunc], StepFunc]:
    """Register a function ``(tree) -> [change, …]`` as the step of ``kind`` from a major."""

    def decorate(func: StepFunc) -> StepFunc:
        STEPS[(kind, from_major)] = Step(kind, from_major, summary, func)
        return func

    return decorate


def rename_key(tree: Any, old: str, new: str) -> bool:
    """Rename a mapping key in place, keeping its position and its comment."""
    if old not in tree or new in tree:
        return False
    keys = list(tree)
    position = keys.index(old)
    comment = tree.ca.items.pop(old, None) if hasattr(tree, "ca") else None
    if not hasattr(tree, "insert"):  # plain data (read to validate): rebuild in order
        items = [(new if key == old else key, value) for key, value in tree.items()]
        tree.clear()
        tree.update(items)
        return True
    value = tree.pop(old)
    tree.insert(position, new, value)
    if comment is not None:
        tree.ca.items[new] = comment
    return True


# No step exists yet: every schema is at major 1. A future schema change adds, e.g.:
#
# @register_step("strategi", 1, "criteria: `weight` is now required")
# def _strategi_1(tree: Any) -> list[str]:
#     ...


def schema_major(data: Any) -> tuple[str, int] | None:
    """Return (name, major) of a tree's ``schema:`` line, or None when it has none."""
    if not isinstance(data, dict):
        return None
    match = _SCHEMA_RE.match(str(data.get("schema", "")))
    return (match.group(1), int(match.group(2))) if match else None


def upgrade_data(kind: FileKind, data: Any, display: str) -> list[str]:
    """Upgrade a tree in place to ``kind.major``; return what changed (empty when current)."""
    found = schema_major(data)
    if found is None or found[0] != kind.name or found[1] >= kind.major:
        return []
    changes: list[str] = []
    for major in range(found[1], kind.major):
        step = STEPS.get((kind.name, major))
        if step is None:
            raise InputError(
                f"there is no migration of {kind.name} files from schema /{major} to "
                f"/{major + 1}; this studsa cannot upgrade the file",
                path=display,
            )
        changes.extend(f"{kind.name}/{major} → /{major + 1}: {line}" for line in step.apply(data))
        data["schema"] = f"studsa.{kind.name}/{major + 1}"
    return changes


def read_upgraded(store: ProjectStore, kind: FileKind, path: Path) -> Any:
    """Read a file (e.g. a frozen version) into its model, upgrading an older schema in memory."""
    display = store.rel(path)
    text = read_text(path, display).text
    data = parse(text, display)
    upgrade_data(kind, data, display)
    return validate_data(kind, data, display, locator(text))


@dataclass
class FileMigration:
    """One file that was (or, in a dry run, would be) upgraded."""

    file: str
    old_schema: str
    new_schema: str
    changes: list[str]
    backup: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"file": self.file, "from": self.old_schema, "to": self.new_schema,
                "changes": self.changes, "backup": self.backup}


@dataclass
class MigrationReport:
    """What ``studsa migrate`` found and did."""

    dry_run: bool
    checked: int
    migrated: list[FileMigration] = field(default_factory=list)


def working_files(store: ProjectStore) -> list[tuple[FileKind, Path]]:
    """Every working file of the project (never a frozen version), in a stable order."""
    found: list[tuple[FileKind, Path]] = []
    for name in sorted(KINDS):
        kind = KINDS[name]
        if kind.filename is not None:
            path = store.root / kind.relpath
            if path.is_file():
                found.append((kind, path))
        else:
            found.extend((kind, path) for path in store.files(kind))
    return sorted(found, key=lambda item: store.rel(item[1]))


@dataclass
class _Pending:
    path: Path
    digest: str
    original: bytes
    data: bytes
    item: FileMigration


def _plan(store: ProjectStore) -> tuple[int, list[_Pending]]:
    from studsa.storage.yamlio import dump_yaml, parse_tree  # ruamel: only to write

    pending: list[_Pending] = []
    problems: list[StudsaError] = []
    files = working_files(store)
    for kind, path in files:
        display = store.rel(path)
        raw = read_text(path, display)
        found = schema_major(parse(raw.text, display))
        if found is None or found[0] != kind.name or found[1] == kind.major:
            continue  # current, or a problem `studsa validate` explains
        where = locator(raw.text)
        data = parse_tree(raw.text)  # upgraded in place, comments kept
        if found[1] > kind.major:
            # Let the loader phrase the refusal (it names the studsa version needed).
            validate_data(kind, data, display, where)
        old_schema = str(data["schema"])
        try:
            changes = upgrade_data(kind, data, display)
            validate_data(kind, data, display, where)
        except SchemaError as err:
            problems.extend(err.problems)
            continue
        except StudsaError as err:
            problems.append(err)
            continue
        text = dump_yaml(data)
        pending.append(_Pending(
            path=path,
            digest=raw.digest,
            original=path.read_bytes(),
            data=encode_text(text, bom=raw.bom, newline=raw.newline),
            item=FileMigration(display, old_schema, kind.schema, changes),
        ))
    if problems:
        raise SchemaError(problems)
    return len(files), pending


def _backup_path(store: ProjectStore, pending: _Pending, major: str) -> Path:
    base = store.root / BACKUP_DIR / f"{pending.item.file}.schema{major}"
    candidate, n = base, 2
    while candidate.exists() and candidate.read_bytes() != pending.original:
        candidate = base.with_name(f"{base.name}.{n}")
        n += 1
    return candidate


def migrate_project(store: ProjectStore, *, dry_run: bool = False) -> MigrationReport:
    """Upgrade every working file of an older schema; all or nothing, each one backed up."""
    with store.lock():
        checked, pending = _plan(store)
        report = MigrationReport(dry_run=dry_run, checked=checked)
        for item in pending:
            major = item.item.old_schema.rpartition("/")[2]
            backup = _backup_path(store, item, major)
            item.item.backup = store.rel(backup)
            report.migrated.append(item.item)
        if dry_run:
            return report
        writes = [Write(store.root / str(item.item.backup), item.original,
                        str(item.item.backup), [store.root])
                  for item in pending if not (store.root / str(item.item.backup)).exists()]
        writes += [Write(item.path, item.data, item.item.file, [store.root], item.digest,
                         check_stale=True) for item in pending]
        write_together(store.root, writes)  # the backups and the upgrades, all or nothing
    return report
