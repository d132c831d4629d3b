"""Whether a deliverable is ready to be decided: its own checks, in the method's terms.

``decide`` refuses a deliverable with problems here (``--force`` records the decision
anyway, the problems listed in the decisions log); validate's file and cross-reference
errors are refused before these.
"""

from __future__ import annotations

from studsa.i18n import message
from studsa.scoring.model import to_matrix
from studsa.storage.layout import KARTA, PLAN, STRATEGI, FileKind
from studsa.workflow.context import Workspace
from studsa.workflow.plan import plan_data, without_lead
from studsa.workflow.prioritize.load import (
    build_problem,
    criterion_specs,
    load_assessments,
    scope,
)
from studsa.workflow.prioritize.selection import selection_view


def strategi_problems(ws: Workspace) -> list[str]:
    """What keeps the strategi from being decided: criteria, assessments, the selection."""
    strategi = ws.strategi.model
    inside, _out, by_id = scope(ws.karta.model)
    problems: list[str] = []
    if not strategi.criteria:
        problems.append(message("method_no_criteria"))
    found = load_assessments(ws.bedomningar, criterion_specs(strategi), set(by_id))
    if strategi.criteria and inside and not found.raters:
        problems.append(message("method_no_assessments"))
    elif strategi.criteria and inside:
        missing = to_matrix(build_problem(strategi, inside, found)).missing
        if missing:
            rater, challenge, criterion = missing[0]
            problems.append(message("method_missing_assessments", count=len(missing),
                                    rater=rater, challenge=challenge, criterion=criterion))
    view = selection_view(strategi, found, None)
    if view is None:
        problems.append(message("method_no_selection"))
        return problems
    if view.stale:
        problems.append(message("method_stale_selection"))
    return problems


def decision_problems(ws: Workspace, kind: FileKind) -> list[str]:
    """Every reason the deliverable of ``kind`` is not ready to be decided (empty: ready)."""
    if kind is STRATEGI:
        return strategi_problems(ws)
    if kind is KARTA:
        karta = ws.karta.model
        return [] if karta.challenges else [message("method_no_challenges")]
    if kind is PLAN:
        missing = without_lead(plan_data(ws))
        return [message("method_without_lead", ids=", ".join(missing))] if missing else []
    return []
