"""Frozen versions: where they live, which decision each belongs to, and their integrity.

The helpers every versions command shares, the detection of decided working files that were
edited by hand (``decided_drift``), and ``verify``, which recomputes every frozen file's
sha256 (and, when a decision was tagged in git, compares the tag's content too).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studsa.errors import StudsaError, UsageError
from studsa.i18n import message
from studsa.models.project import Decision
from studsa.storage.document import Document
from studsa.storage.files import file_digest, sha256_bytes
from studsa.storage.gate import walk_files
from studsa.storage.layout import (
    BEDOMNING,
    PHASE_KINDS,
    STRATEGI,
    UPPFOLJNING,
    FileKind,
    phase_kind,
)
from studsa.storage.migrate import read_upgraded
from studsa.storage.schemas import repoint_schema
from studsa.workflow import gittag
from studsa.workflow.context import Workspace

VERSIONS_DIR = "versions"
HAND_EDIT = "changed by hand after version"


def parse_date(text: str, what: str = "--date") -> dt.date:
    """Parse ``YYYY-MM-DD`` or raise a ``UsageError`` that says what is expected."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what} {text!r} is not a date; write it as YYYY-MM-DD") from None


def frozen_relpath(kind: FileKind, version: int) -> str:
    """Where version ``version`` of a deliverable is frozen, relative to the project."""
    return f"{kind.folder}/{VERSIONS_DIR}/{kind.name}.v{version}.yaml"


def deliverable_kind(name: str) -> FileKind:
    """Resolve a deliverable or phase name (``strategi``, ``prioritera``, ``3``) to its kind."""
    return phase_kind(name)


def working(ws: Workspace, kind: FileKind) -> Document[Any]:
    """The working document of a phase deliverable (loaded once per workspace)."""
    attribute = {"uppdragsbeskrivning": "uppdrag", "utmaningskarta": "karta",
                 "strategi": "strategi", "handlingsplan": "plan"}[kind.name]
    return getattr(ws, attribute)  # type: ignore[no-any-return]


def decisions_of(ws: Workspace, name: str) -> list[Decision]:
    """Every decision of one deliverable, by version."""
    found = [d for d in ws.project.model.decisions if d.deliverable == name]
    return sorted(found, key=lambda d: d.version)


def decision_for(ws: Workspace, name: str, version: int) -> Decision | None:
    return next((d for d in decisions_of(ws, name) if d.version == version), None)


# drift: a decided working file that no longer is what was decided -------------------------
@dataclass(frozen=True)
class Drift:
    """A working file whose status says ``decided`` but that is not the logged decision."""

    kind: FileKind
    doc: Document[Any]
    decision: Decision | None
    same_content: bool = False
    parts: tuple[str, ...] = ()
    """The other files of the deliverable (the assessments) that changed since."""

    @property
    def message(self) -> str:
        """One sentence for validate and status, with the command that fixes it."""
        version = self.doc.model.version
        if self.parts and self.decision is not None:
            return message("method_parts_changed", version=version,
                           files=", ".join(self.parts), phase=self.kind.phase,
                           next=version + 1)
        if self.decision is None:
            return (f"status is decided but the decisions log has no decision on version "
                    f"{version}; record it with `studsa decide {self.kind.phase} --by BODY "
                    "--date YYYY-MM-DD` or set `status: draft`")
        what = "only comments or formatting" if self.same_content else "the content"
        return (f"{HAND_EDIT} {version} was decided ({what} differs from "
                f"{self.decision.file}); run `studsa revise {self.kind.phase}` to make it "
                f"version {version + 1} (draft)")


def digest_as_frozen(ws: Workspace, kind: FileKind, path: Path, frozen: str) -> str | None:
    """The sha256 a working file would have as the frozen copy ``frozen`` (relative).

    A frozen copy differs from its working file in one place by design: the editor's
    ``$schema`` line points at the schema from the copy's own folder. Comparing through
    the same change tells an unchanged file from an edited one.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return file_digest(path)  # says why it cannot be read
    return sha256_bytes(repoint_schema(data, ws.root, kind.name, ws.root / frozen))


def is_as_decided(ws: Workspace, kind: FileKind, doc: Document[Any], decision: Decision
                  ) -> bool:
    """Whether a working file is, byte for byte, the version ``decision`` froze."""
    return doc.digest == decision.sha256 or (
        digest_as_frozen(ws, kind, doc.path, decision.file) == decision.sha256)


def changed_parts(ws: Workspace, kind: FileKind, decision: Decision) -> list[str]:
    """The files a decided deliverable rests on beside its own (the strategi's assessments)
    that were added, removed or changed since the decision, relative to the project."""
    if kind is not STRATEGI:
        return []
    frozen = {f.source: f.sha256 for f in decision.includes if f.source}
    copies = {f.source: f.file for f in decision.includes if f.source}
    current = {ws.store.rel(p): (digest_as_frozen(ws, BEDOMNING, p, copies[ws.store.rel(p)])
                                 if ws.store.rel(p) in copies else file_digest(p))
               for p in ws.store.files(BEDOMNING)}
    return sorted(rel for rel in frozen.keys() | current.keys()
                  if frozen.get(rel) != current.get(rel))


def decided_drift(ws: Workspace) -> list[Drift]:
    """Working files marked decided that are missing from the log or changed since."""
    drifts = []
    for kind in PHASE_KINDS:
        try:
            doc = working(ws, kind)
        except StudsaError:
            continue
        if doc.model.status != "decided":
            continue
        decision = decision_for(ws, kind.name, doc.model.version)
        if decision is None:
            drifts.append(Drift(kind, doc, None))
        elif not is_as_decided(ws, kind, doc, decision):
            same = False
            with contextlib.suppress(StudsaError):
                frozen = read_upgraded(ws.store, kind, ws.root / decision.file)
                same = frozen.model_dump() == doc.model.model_dump()
            drifts.append(Drift(kind, doc, decision, same))
        else:
            parts = changed_parts(ws, kind, decision)
            if parts:
                drifts.append(Drift(kind, doc, decision, parts=tuple(parts)))
    return drifts


# verify ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class VerifiedFile:
    """One frozen file checked against the decisions log."""

    deliverable: str
    version: int
    file: str
    state: str  # ok, changed, missing, tag-mismatch

    def as_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"deliverable": self.deliverable, "version": self.version, "file": self.file,
                "state": self.state}


@dataclass
class VerifyReport:
    """Every frozen file's state, and frozen-looking files the log does not know."""

    files: list[VerifiedFile]
    unrecorded: list[str]

    @property
    def broken(self) -> list[VerifiedFile]:
        """Files that changed or disappeared."""
        return [f for f in self.files if f.state != "ok"]


def frozen_entries(decision: Decision) -> list[tuple[str, str]]:
    return [(decision.file, decision.sha256), *((f.file, f.sha256) for f in decision.includes)]


def verify(ws: Workspace) -> VerifyReport:
    """Recompute the sha256 of every frozen version and compare it with the decisions log,
    then each decided file with its git tag (see ``_check_tags``)."""
    files: list[VerifiedFile] = []
    recorded: set[str] = set()
    tagged: list[tuple[int, Decision, Path]] = []
    for decision in sorted(ws.project.model.decisions,
                           key=lambda d: (d.deliverable, d.version, d.file)):
        for rel, expected in frozen_entries(decision):
            recorded.add(rel)
            path = ws.root / rel
            digest = file_digest(path) if path.is_file() else None
            state = "missing" if digest is None else ("ok" if digest == expected else "changed")
            if state == "ok" and rel == decision.file:
                tagged.append((len(files), decision, path))
            files.append(VerifiedFile(decision.deliverable, decision.version, rel, state))
    for index, state in _check_tags(ws.root, tagged).items():
        files[index] = dataclasses.replace(files[index], state=state)
    found: set[str] = set()
    for kind in (*PHASE_KINDS, UPPFOLJNING):  # the lägesbild's decided periods too
        folder = ws.root / kind.folder / VERSIONS_DIR
        if folder.is_dir():
            found.update(ws.store.rel(p) for p in walk_files(folder, ws.root))
    return VerifyReport(files, sorted(found - recorded))


def _check_tags(root: Path, tagged: list[tuple[int, Decision, Path]]) -> dict[int, str]:
    """The files whose git tag disproves them: ``tag-mismatch`` when the tag's content
    differs (the file and its log entry were changed together), ``tag-missing`` when the
    log names a tag that is not there (deleted, or the project copied without ``.git``).

    A decision whose ``tag:`` line is gone is still held against the tag ``decide --tag``
    names (``studsa/<deliverable>-v<N>``) when the project is its own git repository (in a
    shared one the name could be another project's)."""
    if not tagged:
        return {}
    tags = gittag.read_tags(root)
    own = tags is not None and tags.toplevel == root.resolve()
    states: dict[int, str] = {}
    compare: list[tuple[int, Path, str]] = []
    for index, decision, path in tagged:
        name = decision.tag or (gittag.tag_name(decision) if own else None)
        target = tags.targets.get(name) if tags is not None and name else None
        if target is not None:
            compare.append((index, path, target))
        elif decision.tag:
            states[index] = "tag-missing"
    ids = gittag.blob_ids(root, [path for _, path, _ in compare])
    for (index, _, target), blob in zip(compare, ids, strict=True):
        if blob != target:
            states[index] = "tag-mismatch"
    return states
