"""``studsa status``: where each phase stands, what is missing, and the next step.

Feature modules contribute without this module knowing their details: a module in
``AREA_MODULES`` may define ``next_step(ws) -> str | None`` (asked in method order; the
first answer wins) and ``status_notes(ws) -> list[StatusNote]``. An area whose module is
large keeps its two hooks in a small ``<area>_status`` module (re-exported by the area),
so that ``studsa status`` does not load every use case of every phase.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from studsa.errors import StudsaError
from studsa.storage.layout import KARTA, PHASE_KINDS, PLAN, STRATEGI, UPPDRAG
from studsa.validation import Findings, validate_workspace

AREA_MODULES = (
    "studsa.workflow.identify_status",
    "studsa.workflow.prioritize",
    "studsa.workflow.place_status",
    "studsa.workflow.followup_status",
    "studsa.workflow.versions_status",
    "studsa.workflow.remiss_status",
)


@dataclass(frozen=True)
class StatusNote:
    """Something the user should know or do, shown under the phase table."""

    level: Literal["todo", "warning", "info"]
    message: str
    area: str = ""


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


def _area_modules() -> list[Any]:
    modules = []
    for name in AREA_MODULES:
        try:
            modules.append(importlib.import_module(name))
        except ModuleNotFoundError:
            continue
    return modules


def _avgransa_next(ws: Any) -> str | None:
    model = ws.uppdrag.model
    if not (model.purpose or model.scope.in_):
        return (
            f"write the purpose and scope in {ws.uppdrag.display} "
            "(phase 1, avgränsa: purpose, scope in/out, partners, who decides)"
        )
    return None


def project_status(ws: Any) -> StatusReport:
    """Compute the status of the project open in ``ws``."""
    findings = validate_workspace(ws, ordered=False)
    phases: list[PhaseStatus] = []
    for kind in PHASE_KINDS:
        try:
            doc = _phase_doc(ws, kind)
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
    modules = _area_modules()
    next_step = _first_next_step(ws, findings, modules)
    notes: list[StatusNote] = []
    for module in modules:
        contribute = getattr(module, "status_notes", None)
        if contribute is None:
            continue
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



def _phase_doc(ws: Any, kind: Any) -> Any:
    """The workspace's cached document of a phase kind (loaded by the store if unknown)."""
    attribute = {UPPDRAG: "uppdrag", KARTA: "karta", STRATEGI: "strategi", PLAN: "plan"}.get(kind)
    return getattr(ws, attribute) if attribute else ws.store.load(kind)


def _first_next_step(ws: Any, findings: Findings, modules: list[Any]) -> str:
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        return f"fix the {len(errors)} problem(s) listed by `studsa validate`"
    askers = [_avgransa_next] + [
        m.next_step for m in modules if getattr(m, "next_step", None) is not None
    ]
    for ask in askers:
        try:
            answer = ask(ws)
        except StudsaError:
            continue
        if answer:
            return str(answer)
    return "render the reports with `studsa render` and take them to the committee"
