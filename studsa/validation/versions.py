"""Checks of decisions, frozen versions and remiss rounds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from studsa.errors import StudsaError
from studsa.i18n import message
from studsa.models.project import Project
from studsa.models.remiss import Remiss
from studsa.storage.document import Document
from studsa.storage.layout import PHASE_KINDS
from studsa.validation.findings import Findings

DELIVERABLES = frozenset(kind.name for kind in PHASE_KINDS)
LAGESBILD = "lagesbild"
"""A decided follow-up period's lägesbild (its decisions carry ``period``)."""


@dataclass(frozen=True)
class FrozenState:
    """What is at a path the decisions log names, as ``workflow`` found it."""

    inside: bool = True
    """False when the path leads out of the project."""
    digest: str | None = None
    """The file's sha256 now, or None when it is missing."""
    error: StudsaError | None = None
    """Why the file could not be read; the log's remaining checks then stop."""


def check_log(project: Document[Project], frozen: Mapping[str, FrozenState],
              findings: Findings) -> None:
    """Each decision names a known deliverable once, and its frozen files are untouched.

    ``frozen`` holds the state of every file the log names (``file`` and ``includes``).
    Raises the read error of the first file that could not be read, as the checks stop there.
    """
    seen: set[tuple[str, int]] = set()
    for index, decision in enumerate(project.model.decisions):
        where: list[str | int] = ["decisions", index]
        if decision.deliverable not in DELIVERABLES | {LAGESBILD}:
            findings.at(project, [*where, "deliverable"],
                        message("val_decision_unknown_deliverable", name=decision.deliverable,
                                names=", ".join(sorted(DELIVERABLES | {LAGESBILD}))))
            continue
        if (decision.deliverable == LAGESBILD) != (decision.period is not None):
            findings.at(project, [*where, "period"], message("method_val_decision_period"))
        key = (f"{decision.deliverable} {decision.period or ''}", decision.version)
        if key in seen:
            findings.at(project, [*where, "version"],
                        message("val_decided_twice", version=decision.version,
                                deliverable=decision.deliverable))
        seen.add(key)
        entries: list[tuple[str, str, str]] = [("file", decision.file, decision.sha256)]
        entries += [("includes", f.file, f.sha256) for f in decision.includes]
        for key_name, rel, expected in entries:
            state = frozen[rel]
            if not state.inside:
                findings.at(project, [*where, key_name], message("val_outside_project", file=rel))
                continue
            if state.error is not None:
                raise state.error
            if state.digest != expected:
                what = "val_frozen_missing" if state.digest is None else "val_frozen_changed"
                findings.at(project, [*where, key_name],
                            message(what, file=rel))


def check_drift(drifts: Sequence[Any], findings: Findings) -> None:
    """A decided working file edited by hand, or not in the log (``workflow.frozen.Drift``)."""
    for drift in drifts:
        warning = drift.decision is None or drift.same_content
        findings.at(drift.doc, ["status"], drift.message,
                    severity="warning" if warning else "error")


def check_round_deliverable(doc: Document[Remiss], findings: Findings) -> bool:
    """Whether a remiss round is about a known deliverable (a finding when it is not)."""
    deliverable = doc.model.deliverable
    if deliverable in DELIVERABLES:
        return True
    findings.at(doc, ["deliverable"], message("val_unknown_deliverable", name=deliverable,
                                              names=", ".join(sorted(DELIVERABLES))))
    return False


def check_round(doc: Document[Remiss], targets: Mapping[str, tuple[str, str]],
                findings: Findings) -> None:
    """Recipients named once, answers from recipients, unique point ids, ``about`` known.

    ``targets`` is what a point on the round's deliverable may be about
    (``workflow.remiss.about_targets``).
    """
    model = doc.model
    lowered = [r.casefold() for r in model.recipients]
    for index, body in enumerate(model.recipients):
        if lowered.index(body.casefold()) != index:
            findings.at(doc, ["recipients", index], message("val_recipient_twice", name=body))
    seen: set[str] = set()
    for a_index, answer in enumerate(model.answers):
        if answer.body.casefold() not in lowered:
            findings.at(doc, ["answers", a_index, "body"],
                        message("val_answer_not_recipient", name=answer.body),
                        severity="warning")
        for p_index, point in enumerate(answer.points):
            where: list[str | int] = ["answers", a_index, "points", p_index]
            if point.id in seen:
                findings.at(doc, [*where, "id"], message("val_point_twice", id=point.id))
            seen.add(point.id)
            if point.about is not None and point.about not in targets:
                findings.at(doc, [*where, "about"],
                            message("val_point_about_gone", id=point.id, about=point.about,
                                    deliverable=model.deliverable),
                            severity="warning")
