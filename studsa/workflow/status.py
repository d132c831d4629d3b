"""``studsa status``: where each phase stands, what is missing, and the next step.

Each area of the method contributes through two functions of its own module:
``next_step(ws) -> str | None`` (asked in method order; the first answer wins) and
``status_notes(ws) -> list[StatusNote]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from studsa.errors import StudsaError
from studsa.i18n import count, message
from studsa.storage.document import Document
from studsa.storage.layout import PHASE_KINDS
from studsa.validation.findings import Findings
from studsa.workflow import clocks, followup, identify, place, prioritize, remiss, versions
from studsa.workflow.context import Workspace
from studsa.workflow.frozen import working
from studsa.workflow.notes import StatusNote
from studsa.workflow.validate import validate_workspace

__all__ = ["PhaseStatus", "StatusNote", "StatusReport", "project_status"]

NextStep = Callable[[Workspace], str | None]
Notes = Callable[[Workspace], list[StatusNote]]


@dataclass
class PhaseStatus:
    """One row of the phase table."""

    phase: str
    deliverable: str
    file: str
    version: int | None
    status: str | None
    problems: int
    exists: bool = True
    """Whether the file is there (``status`` is None both when missing and when unreadable)."""

    def as_dict(self) -> dict[str, Any]:
        """JSON shape of the spec (``file`` added)."""
        return asdict(self)


@dataclass
class StatusReport:
    """The whole answer of ``studsa status``."""

    name: str
    phases: list[PhaseStatus]
    next: str
    notes: list[StatusNote] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` shape: ``{"phases": [...], "next": ..., ...}``."""
        return {
            "project": self.name,
            "phases": [p.as_dict() for p in self.phases],
            "next": self.next,
            "notes": [asdict(n) for n in self.notes],
            "problems": len([f for f in self.findings if f.severity == "error"]),
        }


def _avgransa_next(ws: Workspace) -> str | None:
    model = ws.uppdrag.model
    if not (model.purpose or model.scope.in_):
        return message("wf_next_avgransa", file=ws.uppdrag.display)
    return None


NEXT_STEPS: tuple[NextStep, ...] = (
    _avgransa_next, identify.next_step, prioritize.next_step, place.next_step,
    followup.next_step,
)
NOTES: tuple[Notes, ...] = (
    identify.status_notes, prioritize.status_notes, place.status_notes,
    followup.status_notes, versions.status_notes, remiss.status_notes, clocks.status_notes,
)


def project_status(ws: Workspace) -> StatusReport:
    """Compute the status of the project open in ``ws``."""
    findings = validate_workspace(ws, ordered=False)
    phases: list[PhaseStatus] = []
    for kind in PHASE_KINDS:
        try:
            doc: Document[Any] | None = working(ws, kind)
        except StudsaError:
            doc = None
        problems = sum(
            1 for f in findings if f.severity == "error" and f.file.startswith(kind.folder + "/")
        )
        phases.append(
            PhaseStatus(
                phase=kind.phase or kind.name,
                deliverable=kind.name,
                file=kind.relpath,
                version=doc.model.version if doc else None,
                status=doc.model.status if doc else None,
                problems=problems,
                exists=doc is not None or (ws.root / kind.relpath).exists(),
            )
        )
    next_step = _first_next_step(ws, findings)
    notes: list[StatusNote] = []
    for contribute in NOTES:
        try:
            notes.extend(contribute(ws))
        except StudsaError:
            continue
    try:
        name = str(ws.project.model.name)
    except StudsaError:
        name = ws.root.name
    return StatusReport(name=name, phases=phases, next=next_step, notes=notes,
                        findings=findings)


def _first_next_step(ws: Workspace, findings: Findings) -> str:
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        return count("wf_next_fix", len(errors))
    for ask in NEXT_STEPS:
        try:
            answer = ask(ws)
        except StudsaError:
            continue
        if answer:
            return str(answer)
    return message("wf_next_render")
