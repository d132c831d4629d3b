"""Phase 3, prioritera: criteria, assessments, the ranking and the selection.

Use cases for the CLI and reports; ``score_project`` is the entry point for the strategi
report. ``next_step`` and ``status_notes`` feed ``studsa status``.
"""

from __future__ import annotations

from studsa.workflow.prioritize.report import (
    CriterionInfo,
    CriterionResult,
    DisagreementCell,
    RankedChallenge,
    ScoreReport,
    SelectionView,
    score_project,
)
from studsa.workflow.prioritize.status import next_step, status_notes

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
