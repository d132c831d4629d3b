"""Phase 3, prioritera: criteria, assessments, the ranking and the selection.

Use cases for the CLI and reports (``score_project`` gives the whole picture the strategi
report shows), and the phase's ``next_step`` and ``status_notes`` for ``studsa status``.
"""

from __future__ import annotations

from studsa.i18n import count, message
from studsa.models.strategi import Strategi
from studsa.scoring.model import to_matrix
from studsa.workflow.context import Workspace
from studsa.workflow.notes import StatusNote
from studsa.workflow.prioritize.load import (
    Assessments,
    build_problem,
    criterion_specs,
    load_assessments,
    scope,
)
from studsa.workflow.prioritize.report import (
    CriterionInfo,
    CriterionResult,
    DisagreementCell,
    RankedChallenge,
    ScoreReport,
    score_project,
)
from studsa.workflow.prioritize.selection import SelectionView

__all__ = [
    "CriterionInfo",
    "CriterionResult",
    "DisagreementCell",
    "RankedChallenge",
    "ScoreReport",
    "SelectionView",
    "next_step",
    "score_project",
    "status_notes",
]


def _state(ws: Workspace) -> tuple[Strategi, Assessments, list[str]]:
    strategi = ws.strategi.model
    inside, _out, by_id = scope(ws.karta.model)
    found = load_assessments(ws.bedomningar, criterion_specs(strategi), set(by_id))
    return strategi, found, inside


def next_step(ws: Workspace) -> str | None:
    """The next thing to do in phase 3, or None when the selection is made and current."""
    strategi, found, inside = _state(ws)
    if not inside:
        return None
    if not strategi.criteria:
        return message("wf_next_criteria")
    if not found.values:
        return message("wf_next_rate")
    missing = to_matrix(build_problem(strategi, inside, found)).missing
    if missing:
        rater, challenge, criterion = missing[0]
        return count("wf_next_missing", len(missing), rater=rater, challenge=challenge,
                     criterion=criterion)
    selection = strategi.selection
    if selection is None or not selection.challenges:
        return message("wf_next_select")
    if selection.assessments_sha256 and selection.assessments_sha256 != found.digest:
        return message("wf_next_reselect")
    return None


def status_notes(ws: Workspace) -> list[StatusNote]:
    """A warning when the selection was made on older assessments."""
    strategi, found, _inside = _state(ws)
    selection = strategi.selection
    notes = []
    if (selection is not None and selection.challenges and selection.assessments_sha256
            and selection.assessments_sha256 != found.digest):
        notes.append(StatusNote(
            "warning",
            message("wf_note_selection_stale"),
            "prioritera",
        ))
    if found.raters:
        notes.append(StatusNote(
            "info", message("wf_note_recorded",
                            raters=count("wf_raters", len(found.raters)),
                            values=count("wf_values", len(found.values))),
            "prioritera"))
    return notes
