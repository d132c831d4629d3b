"""Scoring the open project: load the phase-3 files, refuse problems, rank the challenges."""

from __future__ import annotations

from studsa.errors import ProblemsFoundError, UsageError
from studsa.i18n import and_list, count, message
from studsa.models.strategi import Strategi
from studsa.models.utmaningskarta import Challenge, Utmaningskarta
from studsa.scoring import METHODS, MissingValuesError, Scored, score
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import (
    Assessments,
    build_problem,
    criterion_specs,
    load_assessments,
    scope,
)

Loaded = tuple[Strategi, Utmaningskarta, Assessments, list[str], list[tuple[str, str]],
               dict[str, Challenge]]
"""strategi, karta, the assessments, in-scope ids, out-of-scope (id, reason), challenges."""


def load_for_scoring(ws: Workspace) -> Loaded:
    """Load strategi, karta and the assessments; refuse files with problems."""
    strategi, karta = ws.strategi.model, ws.karta.model
    inside, out, by_id = scope(karta)
    found = load_assessments(ws.bedomningar, criterion_specs(strategi), set(by_id))
    if found.problems:
        first = found.problems[0].error()
        more = len(found.problems) - 1
        raise ProblemsFoundError(
            first.message + (count("wf_and_more_problems", more) if more else ""),
            path=first.path, line=first.line, column=first.column,
            hint=message("wf_hint_validate"),
        )
    return strategi, karta, found, inside, out, by_id


def resolve_method(strategi: Strategi, method: str | None) -> str:
    """The method asked for, else the selection's, else the one set in strategi.yaml."""
    chosen = method or strategi.ranking_method
    if chosen not in METHODS:
        raise UsageError(message("wf_unknown_method", method=chosen,
                                 methods=and_list(METHODS, "or")))
    return str(chosen)


def run_scoring(ws: Workspace, method: str | None, allow_missing: bool
                ) -> tuple[Scored, Strategi, Utmaningskarta, Assessments, list[tuple[str, str]],
                           dict[str, Challenge]]:
    """Score the project; missing verdicts raise ``ProblemsFoundError`` unless allowed."""
    strategi, karta, found, inside, out, by_id = load_for_scoring(ws)
    chosen = resolve_method(strategi, method)
    if not strategi.criteria:
        raise ProblemsFoundError(message("wf_no_criteria"))
    if not inside:
        raise ProblemsFoundError(message("wf_no_challenges_to_rank"))
    if not found.raters:
        raise ProblemsFoundError(message("wf_no_assessments"))
    try:
        scored = score(build_problem(strategi, inside, found), chosen, allow_missing)
    except MissingValuesError as err:
        raise ProblemsFoundError(
            message("wf_missing_assessment", detail=err),
            hint=message("wf_hint_allow_missing"),
        ) from None
    return scored, strategi, karta, found, out, by_id
