"""``score_project``: the whole phase-3 picture as typed data, for the CLI and the reports.

The shape is stable; templates may rely on every field documented here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from studsa.errors import UsageError
from studsa.i18n import count, message
from studsa.models.strategi import Strategi
from studsa.models.utmaningskarta import Challenge, Utmaningskarta
from studsa.scoring import (
    FLIP_LIMIT,
    CellResult,
    Flip,
    Scored,
    disagreement,
    sensitivity,
    stability,
)
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import Assessments
from studsa.workflow.prioritize.ranking import run_scoring
from studsa.workflow.prioritize.selection import SelectionView, selection_view

DEFAULT_TOP = 4
DISAGREEMENT_SHOWN = 10


@dataclass(frozen=True)
class CriterionInfo:
    """A criterion as shown in reports."""

    id: str
    title: str
    scale: str
    weight: float
    description: str | None = None


@dataclass(frozen=True)
class CriterionResult:
    """One challenge × criterion after aggregating the raters."""

    criterion: str
    result: float
    """Share of raters saying yes (yes-no), or the median/mean value (numeric scales)."""
    met: bool
    normalized: float
    yes: int | None
    """Raters saying yes (yes-no only)."""
    raters: int
    """Raters who gave a value."""
    missing: int
    low: float | None
    high: float | None
    """The raters' spread: lowest and highest value given."""
    disagreement: float
    sources: tuple[str, ...] = ()
    """Phase-2 sources cited for this cell by any rater."""


@dataclass(frozen=True)
class RankedChallenge:
    """One line of the computed ranking, with the decision beside it."""

    rank: int
    id: str
    title: str
    theme: str
    score: float
    per_criterion: dict[str, CriterionResult]
    sources: tuple[str, ...] = ()
    """Sources cited for the challenge as a whole."""
    selected: bool = False
    why: str | None = None
    """The recorded reason when the selection deviates here."""


@dataclass(frozen=True)
class DisagreementCell:
    """A cell where raters disagree: ``level`` 0..1, the values given, per rater."""

    challenge: str
    criterion: str
    level: float
    values: dict[str, float | None]


@dataclass(frozen=True)
class ScoreReport:
    """Everything ``studsa score`` shows and the strategi report renders."""

    method: str
    criteria: list[CriterionInfo]
    raters: list[str]
    ranking: list[RankedChallenge]
    top: int
    missing: int
    """Missing verdicts counted as not met / lowest (only with ``allow_missing``)."""
    missing_examples: list[tuple[str, str, str]]
    out_of_scope: list[tuple[str, str]]
    """(id, reason) of challenges left out of the ranking."""
    threshold: float
    numeric: str
    sensitivity: Any | None
    """``studsa.scoring.Sensitivity`` (cases, robust, verdict) or None."""
    stability: Any
    """``studsa.scoring.Stability`` (cut tie, min flips, flips, summary)."""
    disagreement: list[DisagreementCell]
    disagreement_total: int
    selection: SelectionView | None
    assessments_sha256: str
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The ``score --json`` shape: ``method``, ``ranking`` first, then the rest."""
        return {
            "method": self.method,
            "ranking": [_entry_dict(e) for e in self.ranking],
            "top": self.top,
            "criteria": [asdict(c) for c in self.criteria],
            "raters": self.raters,
            "aggregation": {"yes_no_threshold": self.threshold, "numeric": self.numeric},
            "missing": self.missing,
            "missing_examples": [
                {"rater": r, "challenge": c, "criterion": k} for r, c, k in self.missing_examples
            ],
            "out_of_scope": [{"id": i, "reason": why} for i, why in self.out_of_scope],
            "sensitivity": _sensitivity_dict(self.sensitivity),
            "stability": _stability_dict(self.stability),
            "disagreement": [asdict(d) for d in self.disagreement],
            "disagreement_total": self.disagreement_total,
            "selection": asdict(self.selection) if self.selection else None,
            "assessments_sha256": self.assessments_sha256,
            "notes": self.notes,
        }


def _entry_dict(entry: RankedChallenge) -> dict[str, Any]:
    per_criterion: dict[str, Any] = {}
    data: dict[str, Any] = {"rank": entry.rank, "id": entry.id, "title": entry.title,
                            "score": entry.score, "per_criterion": per_criterion}
    for cid, cell in entry.per_criterion.items():
        cell_dict = asdict(cell)
        cell_dict.pop("criterion")
        cell_dict["sources"] = list(cell.sources)
        per_criterion[cid] = cell_dict
    data.update(theme=entry.theme, sources=list(entry.sources), selected=entry.selected,
                why=entry.why)
    return data


def _sensitivity_dict(sens: Any) -> dict[str, Any] | None:
    if sens is None:
        return None
    return {
        "top": sens.top, "robust": sens.robust, "verdict": sens.verdict,
        "cases": [
            {"label": c.label, "kind": c.kind, "criterion": c.criterion, "factor": c.factor,
             "top_changed": c.top_changed, "entered": list(c.entered), "left": list(c.left),
             "changes": [asdict(ch) for ch in c.changes]}
            for c in sens.cases
        ],
    }


def _stability_dict(stab: Any) -> dict[str, Any] | None:
    if stab is None:
        return None
    data = asdict(stab)
    data["flips"] = [asdict(f) for f in stab.flips]
    data["flip_limit"] = FLIP_LIMIT
    return data


def default_top(strategi: Strategi, count: int, top: int | None) -> int:
    """``top`` if given, else the size of the recorded selection, else 4 (Malmö's)."""
    if top is not None:
        if top < 1:
            raise UsageError(message("err_top"))
        return min(top, count)
    if strategi.selection and strategi.selection.challenges:
        return min(len(strategi.selection.challenges), count)
    return min(DEFAULT_TOP, count)


def score_project(ws: Workspace, method: str | None = None, allow_missing: bool = False,
                  top: int | None = None, sensitivity: bool = True) -> ScoreReport:
    """Score the open project and gather everything the CLI and reports show.

    ``method`` defaults to strategi.yaml's; ``top`` to the selection's size (else 4);
    ``sensitivity`` adds the sensitivity analysis; the shortlist stability (tie at the
    cut, fewest flipped verdicts that change the top K) is always computed.
    Raises ``ProblemsFoundError`` on missing assessments unless ``allow_missing``.
    """
    scored, strategi, karta, found, out, by_id = run_scoring(ws, method, allow_missing)
    k = default_top(strategi, len(scored.ranking), top)
    return build_report(scored, strategi, karta, found, out, by_id, k, sensitivity)



def build_report(scored: Scored, strategi: Strategi, karta: Utmaningskarta, found: Assessments,
                 out: list[tuple[str, str]], by_id: dict[str, Challenge], k: int,
                 with_sensitivity: bool) -> ScoreReport:
    """Assemble a ``ScoreReport`` from a scored problem."""
    view = selection_view(strategi, found, scored)
    chosen = set(view.challenges) if view else set()
    why = view.why if view else {}
    crit_ids = [c.id for c in strategi.criteria]
    all_cells = scored.cells
    ranking = [
        RankedChallenge(
            rank=e.rank, id=e.id, title=by_id[e.id].title, theme=by_id[e.id].theme,
            score=e.score,
            per_criterion={
                crit: _criterion_result(e.id, crit, all_cells[e.id][crit], found)
                for crit in crit_ids
            },
            sources=tuple(sorted(found.challenge_sources.get(e.id, ()))),
            selected=e.id in chosen, why=why.get(e.id),
        )
        for e in scored.ranking
    ]
    cells = disagreement(scored)
    shown = [
        DisagreementCell(d.challenge, d.criterion, d.level, {
            r: found.values.get((r, d.challenge, d.criterion)) for r in found.raters})
        for d in cells[:DISAGREEMENT_SHOWN]
    ]
    notes = []
    if scored.missing:
        notes.append(count("wf_missing_counted", len(scored.missing)))
    if out:
        notes.append(count("wf_out_of_scope_not_ranked", len(out),
                           ids=", ".join(i for i, _ in out)))
    return ScoreReport(
        method=scored.method,
        criteria=[CriterionInfo(c.id, c.title, c.scale, float(c.weight), c.description)
                  for c in strategi.criteria],
        raters=list(found.raters), ranking=ranking, top=k, missing=len(scored.missing),
        missing_examples=list(scored.missing[:10]), out_of_scope=out,
        threshold=float(strategi.aggregation.yes_no_threshold),
        numeric=strategi.aggregation.numeric,
        sensitivity=sensitivity(scored, k) if with_sensitivity else None,
        stability=stability(scored, k),
        disagreement=shown, disagreement_total=len(cells), selection=view,
        assessments_sha256=found.digest, notes=notes,
    )


def _criterion_result(cid: str, crit: str, cell: CellResult, found: Assessments
                      ) -> CriterionResult:
    given = found.cell_sources.get((cid, crit))
    sources = tuple(sorted(given)) if given else ()
    return CriterionResult(crit, cell.result, cell.met, cell.normalized, cell.yes, cell.raters,
                           cell.missing, cell.low, cell.high, cell.disagreement, sources)


__all__ = ["Flip", "ScoreReport", "SelectionView", "score_project"]
