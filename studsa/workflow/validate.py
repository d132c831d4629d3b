"""``studsa validate``: load every file of the project, then run every cross-reference check.

This module loads the files and computes what the checks need (the plan's data, the
assessments, the selection view, frozen files' digests, remiss targets); the checks in
``studsa.validation`` only read what they are given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from studsa.errors import StudsaError
from studsa.i18n import labels, terminal_language
from studsa.models.project import Project
from studsa.models.strategi import Strategi
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.storage.document import Document
from studsa.storage.files import file_digest
from studsa.storage.layout import BEDOMNING, REMISS, UPPFOLJNING, FileKind
from studsa.validation import identify, place, prioritize, references, versions
from studsa.validation.findings import Finding, Findings
from studsa.validation.versions import FrozenState
from studsa.workflow.clocks import clocks
from studsa.workflow.context import Workspace
from studsa.workflow.frozen import decided_drift, frozen_entries
from studsa.workflow.plan import plan_data
from studsa.workflow.prioritize.load import criterion_specs, load_assessments
from studsa.workflow.prioritize.selection import selection_view
from studsa.workflow.remiss import about_targets

T = TypeVar("T")


def validate_workspace(ws: Workspace, *, ordered: bool = True) -> Findings:
    """Load every file of the project, then run every cross-reference check.

    The findings come sorted by file and position; with ``ordered=False`` (for callers that
    only count them) they come in the order found and no file is parsed to locate them.
    """
    findings = Findings()
    project = _loaded(lambda: ws.project, findings)
    _loaded(lambda: ws.uppdrag, findings)
    karta = _loaded(lambda: ws.karta, findings)
    strategi = _loaded(lambda: ws.strategi, findings)
    plan = _loaded(lambda: ws.plan, findings)
    bedomningar = _all_or_each(ws, BEDOMNING, lambda: ws.bedomningar, findings)
    uppfoljningar = _all_or_each(ws, UPPFOLJNING, lambda: ws.uppfoljningar, findings)
    if karta is not None:
        _guarded(lambda: identify.check(karta, findings))
    if karta is not None and strategi is not None:
        _guarded(lambda: _check_prioritize(strategi, karta, bedomningar, findings))
    if project is not None and karta is not None and strategi is not None and plan is not None:
        _guarded(lambda: place.check(plan_data(ws), plan, uppfoljningar.readable, findings))
    _check_versions(ws, project, findings)
    if project is not None:
        _guarded(lambda: _check_paths(ws, project, findings))
    _check_clocks(ws, findings)
    if not ordered:
        return findings
    return Findings(sorted(findings, key=lambda f: (f.file, f.line or 0, f.column or 0,
                                                    f.message)))


def _loaded(load: Callable[[], T], findings: Findings) -> T | None:
    """What ``load`` returns, or None with its problems added to ``findings``."""
    try:
        return load()
    except StudsaError as err:
        findings.from_error(err)
        return None


def _guarded(check: Callable[[], None]) -> None:
    # A file the check needs did not load; that problem is already a finding.
    with contextlib.suppress(StudsaError):
        check()


@dataclass(frozen=True)
class _Files:
    """A multi-file kind's documents: all of them (None if one is broken), and the readable."""

    every: list[Document[Any]] | None
    readable: list[Document[Any]]


def _all_or_each(ws: Workspace, kind: FileKind, load: Callable[[], list[Document[Any]]],
                 findings: Findings) -> _Files:
    try:
        # The workspace's own list (read once, reused by the checks); only when a file in it
        # is broken is each file read on its own, so every broken one is named.
        docs = load()
    except StudsaError:
        return _Files(None, _read_each(ws, kind, findings))
    return _Files(docs, sorted(docs, key=lambda doc: doc.path))


def _read_each(ws: Workspace, kind: FileKind, findings: Findings) -> list[Document[Any]]:
    """Every file of ``kind`` that reads; the problems of the others become findings."""
    readable = []
    for path in ws.store.files(kind):
        try:
            readable.append(ws.store.read(kind, path))
        except StudsaError as err:
            findings.from_error(err)
    return readable


def _check_prioritize(strategi: Document[Strategi], karta: Document[Utmaningskarta],
                      bedomningar: _Files, findings: Findings) -> None:
    prioritize.check_criteria(strategi, findings)
    docs = bedomningar.every
    if docs is None:
        return  # a broken assessment file: its problems are findings already
    challenges = karta.model.challenges
    found = load_assessments(docs, criterion_specs(strategi.model), {c.id for c in challenges})
    for problem in found.problems:
        findings.at(problem.doc, list(problem.loc), problem.message)
    prioritize.check_sources(docs, {s.id for s in karta.model.sources}, findings)
    view = selection_view(strategi.model, found, None)
    missing, stale = (view.missing_reasons, view.stale) if view is not None else ([], False)
    prioritize.check_selection(strategi, karta.model, missing, stale, findings)


def _check_versions(ws: Workspace, project: Document[Project] | None, findings: Findings
                    ) -> None:
    if project is not None:
        states = {rel: _frozen_state(ws, rel) for decision in project.model.decisions
                  if decision.deliverable in versions.DELIVERABLES | {versions.LAGESBILD}
                  for rel, _ in frozen_entries(decision)}
        _guarded(lambda: versions.check_log(project, states, findings))
    _guarded(lambda: versions.check_drift(decided_drift(ws), findings))
    _guarded(lambda: _check_rounds(ws, findings))


def _check_paths(ws: Workspace, project: Document[Project], findings: Findings) -> None:
    model = project.model
    reference = _path_state(ws, model.reference_docx, word=True) if model.reference_docx else None
    templates = _path_state(ws, model.templates) if model.templates else None
    references.check_paths(project, reference, templates, findings)


def _path_state(ws: Workspace, name: str, word: bool = False) -> references.PathState:
    """What is at a path named in studsa.yaml (relative to the project); for a ``word``
    file, whether it is a Word package (a zip holding word/document.xml)."""
    import stat
    import zipfile
    from pathlib import Path

    path = Path(name).expanduser()
    path = path if path.is_absolute() else ws.root / path
    try:
        mode = path.stat().st_mode
    except OSError:
        return references.PathState("missing")
    if stat.S_ISDIR(mode):
        return references.PathState("folder")
    if not stat.S_ISREG(mode):
        return references.PathState("other")  # a pipe or a device is never opened
    if not word:
        return references.PathState("file")
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return references.PathState("file", word=False)
    return references.PathState("file", word="word/document.xml" in names)


def _check_clocks(ws: Workspace, findings: Findings) -> None:
    """Clocks run out on ``ws.today`` (set by the CLI): warnings on the file they concern."""
    catalog = labels(terminal_language())
    for clock in clocks(ws):
        findings.append(Finding("warning", clock.file, clock.text(catalog)))


def _check_rounds(ws: Workspace, findings: Findings) -> None:
    for doc in _read_each(ws, REMISS, findings):
        if versions.check_round_deliverable(doc, findings):
            versions.check_round(doc, about_targets(ws, doc.model.deliverable), findings)


def _frozen_state(ws: Workspace, rel: str) -> FrozenState:
    path = ws.root / rel
    try:
        ws.store.inside(path)
    except StudsaError:
        return FrozenState(inside=False)
    try:
        return FrozenState(digest=file_digest(path) if path.is_file() else None)
    except StudsaError as err:
        return FrozenState(error=err)
