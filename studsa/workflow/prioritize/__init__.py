"""Phase 3, prioritera: criteria, assessments, the ranking and the selection.

Use cases for the CLI and reports; ``score_project`` is the entry point for the strategi
report. ``next_step`` and ``status_notes`` feed ``studsa status``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562): `studsa status` needs the hooks, not the ranking.
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module = "status" if name in ("next_step", "status_notes") else "report"
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
