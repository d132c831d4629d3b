"""Where a challenge is used outside the utmaningskarta: assessments, selection, plan."""

from __future__ import annotations

from dataclasses import dataclass

from studsa.errors import StudsaError
from studsa.storage.layout import PLAN, STRATEGI
from studsa.workflow.context import Workspace


@dataclass(frozen=True)
class Reference:
    """A place outside the utmaningskarta that names a challenge."""

    file: str
    what: str


def challenge_references(ws: Workspace, challenge_id: str, strict: bool = True) -> list[Reference]:
    """Where assessments, the selection and the handlingsplan name ``challenge_id``.

    With ``strict`` a file that cannot be read raises (we cannot prove it is unused);
    otherwise it is skipped.
    """
    found: list[Reference] = []
    loaders = (
        lambda: _assessment_refs(ws, challenge_id),
        lambda: _selection_refs(ws, challenge_id),
        lambda: _plan_refs(ws, challenge_id),
    )
    for load in loaders:
        try:
            found.extend(load())
        except StudsaError:
            if strict:
                raise
    return found


def _exists(ws: Workspace, kind_path: str) -> bool:
    return bool((ws.root / kind_path).is_file())


def _assessment_refs(ws: Workspace, challenge_id: str) -> list[Reference]:
    refs = []
    for doc in ws.bedomningar:
        if any(a.challenge == challenge_id for a in doc.model.assessments):
            refs.append(Reference(doc.display, f"assessment by {doc.model.rater}"))
    return refs


def _selection_refs(ws: Workspace, challenge_id: str) -> list[Reference]:
    if not _exists(ws, STRATEGI.relpath):
        return []
    selection = ws.strategi.model.selection
    if selection is None:
        return []
    if challenge_id in selection.challenges or challenge_id in selection.why:
        return [Reference(ws.strategi.display, "the selection (prioritized challenges)")]
    if any(entry.id == challenge_id for entry in selection.ranking):
        return [Reference(ws.strategi.display, "the ranking recorded with the selection")]
    return []


def _plan_refs(ws: Workspace, challenge_id: str) -> list[Reference]:
    if not _exists(ws, PLAN.relpath):
        return []
    plan = ws.plan.model
    refs = []
    if any(p.challenge == challenge_id for p in plan.placements):
        refs.append(Reference(ws.plan.display, "a placement (lead department and goal)"))
    activities = [a.id for a in plan.activities if a.challenge == challenge_id]
    if activities:
        refs.append(Reference(ws.plan.display, f"activities {', '.join(activities)}"))
    return refs


