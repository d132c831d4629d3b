"""Decisions and frozen versions: decide, revise, verify, history, diff, and status notes.

A decision freezes the deliverable's working file as ``<phase>/versions/<name>.v<N>.yaml``
(a byte copy, status ``decided``) and logs body, date, paragraph, version and sha256 in
``studsa.yaml``. Deciding the strategi also freezes every rater's assessment file, so the
ranking the decision rests on can be recomputed and proved later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studsa.errors import ConflictError, ProblemsFoundError, StudsaError, UsageError
from studsa.i18n import message
from studsa.models.project import Decision, FrozenFile
from studsa.storage.document import Document
from studsa.storage.files import encode_text, file_digest, sha256_bytes
from studsa.storage.layout import BEDOMNING, PHASE_KINDS, STRATEGI, FileKind
from studsa.storage.migrate import read_upgraded
from studsa.storage.schemas import repoint_schema
from studsa.storage.together import Write
from studsa.workflow import gittag
from studsa.workflow.context import Workspace
from studsa.workflow.diff import Change, diff_models
from studsa.workflow.frozen import (
    HAND_EDIT,
    VERSIONS_DIR,
    Drift,
    VerifiedFile,
    VerifyReport,
    changed_parts,
    decided_drift,
    decision_for,
    decisions_of,
    deliverable_kind,
    frozen_entries,
    frozen_relpath,
    is_as_decided,
    parse_date,
    verify,
    working,
)
from studsa.workflow.notes import StatusNote
from studsa.workflow.readiness import decision_problems
from studsa.workflow.remiss import rounds, summarize
from studsa.workflow.validate import validate_workspace

__all__ = [
    "Drift", "VerifiedFile", "VerifyReport", "decide", "decided_drift", "deliverable_kind",
    "diff_versions", "frozen_relpath", "history", "parse_date", "revise", "status_notes",
    "verify", "working",
]


# decide ----------------------------------------------------------------------------------
@dataclass
class DecideResult:
    """What ``studsa decide`` recorded."""

    decision: Decision
    written: list[str]
    hand_edited_from: int | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Freeze:
    path: Path
    data: bytes


def _refuse_problems(ws: Workspace, kind: FileKind) -> None:
    drifted = {d.message for d in decided_drift(ws) if d.kind is kind}
    findings = [
        f for f in validate_workspace(ws)
        if f.severity == "error" and f.file.startswith(kind.folder + "/")
        and not (f.file == kind.relpath and (HAND_EDIT in f.message or f.message in drifted))
    ]
    if findings:
        first = findings[0]
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        raise ProblemsFoundError(
            f"cannot decide the {kind.name} while it has problems: {first}{more}",
            hint="run `studsa validate` to see them all, fix them, then decide again",
        )


def _unready(ws: Workspace, kind: FileKind, force: bool) -> list[str]:
    """The deliverable's failed own checks: refused, or with ``force`` returned for the log."""
    problems = decision_problems(ws, kind)
    if problems and not force:
        raise ProblemsFoundError(message("method_decide_refused", deliverable=kind.name,
                                         problems="; ".join(problems)))
    return problems


def _next_version(ws: Workspace, kind: FileKind, doc: Document[Any]) -> tuple[int, int | None]:
    """The version to decide and, for a hand-edited decided file, the version it came from."""
    version = doc.model.version
    decided = [d.version for d in decisions_of(ws, kind.name)]
    current = decision_for(ws, kind.name, version)
    if current is not None and doc.model.status == "decided":
        if is_as_decided(ws, kind, doc, current) and not changed_parts(ws, kind, current):
            paragraph = f" {current.paragraph}" if current.paragraph else ""
            raise ConflictError(
                f"version {version} of the {kind.name} is already decided (by {current.by} "
                f"on {current.date}{paragraph}); change it before deciding again",
                path=doc.display, hint="see `studsa history` for every version",
            )
        return max(decided) + 1, version
    if current is None and version > max(decided, default=0):
        return version, None
    return max(decided, default=0) + 1, None


def _freeze_assessments(ws: Workspace, version: int) -> tuple[list[_Freeze], list[FrozenFile]]:
    freezes, records = [], []
    for path in ws.store.files(BEDOMNING):
        rel = f"{STRATEGI.folder}/{VERSIONS_DIR}/bedomningar/{path.stem}.v{version}.yaml"
        data = repoint_schema(path.read_bytes(), ws.root, BEDOMNING.name, ws.root / rel)
        freezes.append(_Freeze(ws.root / rel, data))
        records.append(FrozenFile(file=rel, sha256=sha256_bytes(data), source=ws.store.rel(path)))
    return freezes, records


def _open_points(ws: Workspace, name: str, version: int) -> list[str]:
    """Warnings about the remiss round on this version: silent recipients, open points."""
    warnings = []
    for doc in rounds(ws):
        if doc.model.deliverable == name and doc.model.version == version:
            summary = summarize(ws, doc)
            if summary.missing:
                warnings.append(f"remiss {doc.display}: no answer from "
                                f"{', '.join(summary.missing)}")
            if summary.unanswered_points:
                warnings.append(f"remiss {doc.display}: {len(summary.unanswered_points)} "
                                f"point(s) have no response: "
                                f"{', '.join(summary.unanswered_points)}")
    return warnings


def decide(
    ws: Workspace,
    phase: str,
    *,
    by: str,
    date: dt.date,
    paragraph: str | None = None,
    dnr: str | None = None,
    tag: bool = False,
    force: bool = False,
) -> DecideResult:
    """Freeze the deliverable of ``phase`` as a decided version and log the decision.

    A deliverable whose own checks fail (``readiness``) is refused; with ``force`` the
    decision is recorded with those problems listed in the decisions log.
    """
    kind = deliverable_kind(phase)
    if not by.strip():
        raise UsageError("--by needs the deciding body, e.g. \"Tekniska nämnden\"")
    doc = working(ws, kind)
    project = ws.project
    _refuse_problems(ws, kind)
    problems = _unready(ws, kind, force)
    version, hand_edited = _next_version(ws, kind, doc)
    warnings = _open_points(ws, kind.name, doc.model.version)
    doc.model.version = version
    doc.model.status = "decided"
    rel = frozen_relpath(kind, version)
    data = repoint_schema(encode_text(ws.store.render_text(doc), bom=doc.bom,
                                      newline=doc.newline), ws.root, kind.name, ws.root / rel)
    freezes = [_Freeze(ws.root / rel, data)]
    includes: list[FrozenFile] = []
    if kind is STRATEGI:
        more, includes = _freeze_assessments(ws, version)
        freezes.extend(more)
    for item in freezes:
        if item.path.exists():
            raise ConflictError(
                "a frozen version already exists here but is not in the decisions log; "
                "move it away (it may be a copy made by hand) and decide again",
                path=ws.store.rel(item.path),
            )
    decision = Decision(deliverable=kind.name, version=version, by=by.strip(), date=date,
                        paragraph=paragraph, dnr=dnr, sha256=sha256_bytes(data), file=rel,
                        includes=includes, problems=problems)
    with ws.store.lock():
        for checked in (doc, project):
            if checked.exists and file_digest(checked.path) != checked.digest:
                raise ConflictError("the file changed on disk after studsa read it; nothing "
                                    "was written, run the command again", path=checked.display)
        if tag:
            decision.tag = gittag.tag_decision(ws.root, decision, data)
        project.model.decisions.append(decision)
        copies = [Write(item.path, item.data, ws.store.rel(item.path), [ws.root],
                        check_stale=True) for item in freezes]
        try:
            written = [ws.store.rel(item.path) for item in freezes]
            written.extend(ws.save(doc, project, extra=copies))
        except BaseException:
            project.model.decisions.remove(decision)
            if decision.tag:
                gittag.delete_tag(ws.root, decision.tag)
            raise
    return DecideResult(decision, written, hand_edited, warnings)


# revise ----------------------------------------------------------------------------------
@dataclass
class ReviseResult:
    """A decided deliverable reopened as the draft of its next version."""

    deliverable: str
    old_version: int
    new_version: int
    file: str


def revise(ws: Workspace, phase: str) -> ReviseResult:
    """Start version N+1 (draft) of a decided deliverable, keeping its content."""
    kind = deliverable_kind(phase)
    doc = working(ws, kind)
    old = doc.model.version
    if doc.model.status != "decided":
        raise UsageError(f"the {kind.name} is version {old} with status {doc.model.status}, "
                         "not decided; there is nothing to revise", path=doc.display)
    decided = [d.version for d in decisions_of(ws, kind.name)]
    doc.model.version = max([old, *decided]) + 1
    doc.model.status = "draft"
    ws.save(doc)
    return ReviseResult(kind.name, old, doc.model.version, doc.display)


# history ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class VersionEntry:
    """One version of a deliverable: decided (with who, when, paragraph) or the working one.

    ``status`` is ``decided`` for logged decisions; for the working file it is its own status
    (``draft`` or ``review``), or ``changed`` when a decided file was edited by hand.
    ``intact`` says whether a frozen file still has its logged hash (None: working file).
    """

    deliverable: str
    version: int
    status: str
    file: str
    by: str | None = None
    date: dt.date | None = None
    paragraph: str | None = None
    dnr: str | None = None
    sha256: str | None = None
    tag: str | None = None
    intact: bool | None = None
    includes: tuple[str, ...] = ()
    remiss: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """JSON shape (with ``id`` and ``title`` like every list)."""
        data: dict[str, Any] = {"id": f"{self.deliverable}.v{self.version}",
                                "title": f"{self.deliverable} version {self.version}"}
        data.update({k: getattr(self, k) for k in self.__dataclass_fields__})
        data["date"] = self.date.isoformat() if self.date else None
        data["includes"], data["remiss"] = list(self.includes), list(self.remiss)
        return data


def history(ws: Workspace, deliverable: str | None = None) -> list[VersionEntry]:
    """Every version of one deliverable (or of all, in method order), oldest first."""
    kinds = [deliverable_kind(deliverable)] if deliverable else list(PHASE_KINDS)
    remiss: dict[tuple[str, int], list[str]] = {}
    for doc in rounds(ws):
        remiss.setdefault((doc.model.deliverable, doc.model.version), []).append(doc.display)
    entries: list[VersionEntry] = []
    for kind in kinds:
        for d in decisions_of(ws, kind.name):
            intact = all(file_digest(ws.root / rel) == sha for rel, sha in frozen_entries(d))
            entries.append(VersionEntry(
                d.deliverable, d.version, "decided", d.file, d.by, d.date, d.paragraph, d.dnr,
                d.sha256, d.tag, intact, tuple(f.file for f in d.includes),
                tuple(remiss.get((kind.name, d.version), []))))
        try:
            doc = working(ws, kind)
        except StudsaError:
            continue
        logged = decision_for(ws, kind.name, doc.model.version)
        if logged is not None and is_as_decided(ws, kind, doc, logged) and \
                not changed_parts(ws, kind, logged):
            continue
        status = "changed" if logged is not None else str(doc.model.status)
        entries.append(VersionEntry(kind.name, doc.model.version, status, doc.display,
                                    remiss=tuple(remiss.get((kind.name, doc.model.version), []))))
    return entries


# diff ------------------------------------------------------------------------------------
@dataclass
class DiffResult:
    """Domain changes between two versions of a deliverable."""

    deliverable: str
    old: str
    new: str
    changes: list[Change]

    def as_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {"deliverable": self.deliverable, "from": self.old, "to": self.new,
                "changes": [c.as_dict() for c in self.changes]}


def _version_model(ws: Workspace, kind: FileKind, spec: str) -> tuple[str, Any]:
    text = spec.strip().lower()
    if text in {"working", "current", "draft", "."}:
        doc = working(ws, kind)
        return f"v{doc.model.version} (working file)", doc.model
    number = text[1:] if text.startswith("v") else text
    if not (number.isascii() and number.isdigit()):
        raise UsageError(f"{spec!r} is not a version; write v1, v2, … or `working`")
    decision = decision_for(ws, kind.name, int(number))
    if decision is None:
        doc = working(ws, kind)
        if doc.model.version == int(number):
            # The working draft is "v2" in status and history; it can be named so here too.
            return f"v{doc.model.version} (working file)", doc.model
        known = ", ".join(f"v{d.version}" for d in decisions_of(ws, kind.name)) or "none yet"
        raise UsageError(f"the {kind.name} has no decided version {int(number)} "
                         f"(decided: {known}); see `studsa history {kind.name}`")
    return f"v{decision.version}", read_upgraded(ws.store, kind, ws.root / decision.file)


def diff_versions(ws: Workspace, deliverable: str, old: str | None = None,
                  new: str | None = None) -> DiffResult:
    """Compare two versions (default: the last decided one with the working file)."""
    kind = deliverable_kind(deliverable)
    if old is None:
        decided = decisions_of(ws, kind.name)
        if not decided:
            raise UsageError(f"the {kind.name} has no decided version yet, so there is "
                             "nothing to compare with",
                             hint=f"decide it first: studsa decide {kind.phase} --by BODY "
                                  "--date YYYY-MM-DD")
        old = f"v{decided[-1].version}"
    old_label, old_model = _version_model(ws, kind, old)
    new_label, new_model = _version_model(ws, kind, new or "working")
    return DiffResult(kind.name, old_label, new_label, diff_models(old_model, new_model))


# status ----------------------------------------------------------------------------------
def status_notes(ws: Workspace) -> list[StatusNote]:
    """Notes for ``studsa status``: hand-edited decided files and broken frozen versions."""
    notes = [StatusNote("warning", f"{d.doc.display}: {d.message}", "versions")
             for d in decided_drift(ws)]
    broken = verify(ws).broken
    if broken:
        names = ", ".join(f"{f.file} ({f.state})" for f in broken)
        notes.append(StatusNote("warning", message("wf_note_frozen_altered", names=names),
                                "versions"))
    return notes
