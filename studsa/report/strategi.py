"""Context of the strategi report: criteria, computed ranking, sensitivity, the selection.

The ranking, disagreement and sensitivity come from ``workflow.prioritize.score_project``;
when the project cannot be scored (no assessments yet, a broken assessment file), the
report shows the criteria, the ranking stored with the selection (if any), and says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from studsa.i18n import locale_of
from studsa.models.project import Project
from studsa.models.strategi import Strategi
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.report.context import TitleBlock, label, language, strip_prefix, title_block
from studsa.report.format import Formatter, fill


@dataclass(frozen=True)
class CriterionRow:
    """A criterion as the report lists it."""

    id: str
    title: str
    description: str | None
    scale: str
    weight: str


@dataclass(frozen=True)
class RankRow:
    """One line of the computed ranking: per-criterion results as text."""

    rank: int
    id: str
    title: str
    score: str
    cells: list[str]
    selected: bool
    why: str | None


@dataclass(frozen=True)
class SensitivityRow:
    """One variant of the scoring and what it changes."""

    variant: str
    changes: list[str]
    top_changed: bool


@dataclass(frozen=True)
class DisagreementRow:
    """A challenge × criterion cell where raters disagree."""

    challenge: str
    criterion: str
    values: str


@dataclass(frozen=True)
class EvidenceRow:
    """A criterion (or the challenge as a whole) and the sources the raters cite for it."""

    criterion: str
    sources: list[str]


@dataclass(frozen=True)
class EvidenceBlock:
    """The evidence behind the assessments of one prioritized challenge."""

    challenge: str
    rows: list[EvidenceRow]


@dataclass(frozen=True)
class StrategiContext:
    """The strategi report."""

    doc: TitleBlock
    intro: str | None
    method: str
    criteria: list[CriterionRow]
    raters: list[str]
    ranking: list[RankRow]
    ranking_note: str | None
    """Why the ranking is stored, missing or incomplete (None: computed, complete)."""
    top: int
    robust: bool | None
    sensitivity: list[SensitivityRow]
    min_flips: int | None
    disagreement: list[DisagreementRow]
    selected: list[RankRow]
    rationale: str | None
    made_at: str | None
    followup: str | None
    evidence: list[EvidenceBlock]
    """Per prioritized challenge, which sources support which criterion."""
    workshop_changes: list[str] = field(default_factory=list)
    """When the selection was made at a workshop session: who changed what after discussion."""


def _value(fmt: Formatter, t: Mapping[str, str], cell: Any, scale: str) -> str:
    if cell is None:
        return label(t, "none")
    if scale == "yes-no":
        word = label(t, "yes") if cell.met else label(t, "no")
        if cell.raters > 1 and cell.yes is not None:
            word += f" ({cell.yes}/{cell.raters})"
        return word
    text = fmt.number(cell.result, 1)
    if cell.low is not None and cell.high is not None and cell.low != cell.high:
        text += f" ({fmt.number(cell.low, 1)}–{fmt.number(cell.high, 1)})"
    return text


def strategi_context(project: Project, model: Strategi, karta: Utmaningskarta | None,
                     report: Any | None, problem: str | None, t: Mapping[str, str]
                     ) -> StrategiContext:
    """Build the strategi context.

    ``report`` is the ``workflow.prioritize.ScoreReport`` (missing values allowed), or None
    with the ``problem`` that kept the project from being scored; ``karta`` is None when
    the utmaningskarta cannot be read.
    """
    lang = language(project)
    fmt = Formatter(lang, locale_of(lang))
    heading = label(t, "report_strategi")
    criteria = [CriterionRow(c.id, c.title, c.description, label(t, f"scale_{c.scale}"),
                             fmt.number(c.weight)) for c in model.criteria]
    scales = {c.id: c.scale for c in model.criteria}
    titles = {c.id: c.title for c in model.criteria}
    challenge_titles = {c.id: c.title for c in karta.challenges} if karta is not None else {}
    selection = model.selection
    chosen = list(selection.challenges) if selection else []
    is_chosen = set(chosen)
    why = dict(selection.why) if selection else {}
    ranking: list[RankRow] = []
    note: str | None = None
    sens_rows: list[SensitivityRow] = []
    robust = min_flips = None
    top = len(chosen) or 4
    disagreement: list[DisagreementRow] = []
    raters: list[str] = []
    method = model.ranking_method
    if report is not None:
        method = report.method
        raters = list(report.raters)
        top = report.top
        for entry in report.ranking:
            cells = [_value(fmt, t, entry.per_criterion.get(cid), scales[cid])
                     for cid in scales]
            ranking.append(RankRow(entry.rank, entry.id, entry.title, fmt.number(entry.score),
                                   cells, entry.id in is_chosen, why.get(entry.id)))
        if report.missing:
            note = label(t, "ranking_missing")
        if report.sensitivity is not None:
            robust = bool(report.sensitivity.robust)
            for case in report.sensitivity.cases:
                sens_rows.append(_sensitivity_row(case, titles, challenge_titles, t))
        if report.stability is not None:
            min_flips = report.stability.min_flips
        for cell in report.disagreement:
            values = "; ".join(
                f"{rater}: {_raw(fmt, t, v, scales.get(cell.criterion, 'yes-no'))}"
                for rater, v in sorted(cell.values.items()))
            disagreement.append(DisagreementRow(
                challenge_titles.get(cell.challenge, cell.challenge),
                titles.get(cell.criterion, cell.criterion), values))
    elif selection and selection.ranking:
        note = label(t, "ranking_stored")
        ranking = [RankRow(e.rank, e.id, challenge_titles.get(e.id, e.id), fmt.number(e.score),
                           [], e.id in is_chosen, why.get(e.id))
                   for e in sorted(selection.ranking, key=lambda e: (e.rank, e.id))]
    elif problem:
        note = problem
    ranked_ids = {r.id for r in ranking}
    selected = [r for r in ranking if r.selected]
    selected += [RankRow(0, cid, challenge_titles.get(cid, cid), "", [], True, why.get(cid))
                 for cid in chosen if cid not in ranked_ids]
    order = {cid: i for i, cid in enumerate(chosen)}
    selected.sort(key=lambda r: order[r.id])
    return StrategiContext(
        doc=title_block(project, "strategi", t, model, strip_prefix(model.title, heading)),
        intro=model.intro,
        method=label(t, f"method_{method}"),
        criteria=criteria,
        raters=raters,
        ranking=ranking,
        ranking_note=note,
        top=top,
        robust=robust,
        sensitivity=sens_rows,
        min_flips=min_flips,
        disagreement=disagreement,
        selected=selected,
        rationale=selection.rationale if selection else None,
        made_at=selection.made_at if selection else None,
        followup=model.followup,
        evidence=_evidence(karta, report, chosen, titles, t),
    )


def _evidence(karta: Utmaningskarta | None, report: Any, chosen: list[str],
              criteria: Mapping[str, str], t: Mapping[str, str]) -> list[EvidenceBlock]:
    """Which sources the raters cite, per prioritized challenge and criterion."""
    if report is None or not chosen:
        return []
    sources = {s.id: s for s in karta.sources} if karta is not None else {}

    def names(ids: Any) -> list[str]:
        return [f"{sources[i].title} ({label(t, sources[i].kind)})" if i in sources else i
                for i in ids]

    by_id = {entry.id: entry for entry in report.ranking}
    blocks: list[EvidenceBlock] = []
    for cid in chosen:
        entry = by_id.get(cid)
        if entry is None:
            continue
        rows = [EvidenceRow(criteria.get(crit, crit), names(result.sources))
                for crit, result in entry.per_criterion.items() if result.sources]
        if entry.sources:
            rows.append(EvidenceRow(label(t, "evidence_whole"), names(entry.sources)))
        blocks.append(EvidenceBlock(entry.title, rows))
    return blocks


def _raw(fmt: Formatter, t: Mapping[str, str], value: float | None, scale: str) -> str:
    if value is None:
        return label(t, "none")
    if scale == "yes-no":
        return label(t, "yes") if value else label(t, "no")
    return fmt.number(value)


def _sensitivity_row(case: Any, titles: Mapping[str, str], challenges: Mapping[str, str],
                     t: Mapping[str, str]) -> SensitivityRow:
    criterion = titles.get(case.criterion, case.criterion)
    if case.kind == "drop":
        variant = fill(label(t, "sens_drop"), criterion=criterion)
    else:
        sign = "+" if case.factor > 1 else "−"
        percent = round(abs(case.factor - 1) * 100)
        variant = fill(label(t, "sens_weight"), criterion=criterion, change=f"{sign}{percent} %")
    changes = [
        fill(label(t, "sens_change"), title=challenges.get(ch.id, ch.id), before=ch.before,
             after=ch.after)
        for ch in sorted(case.changes, key=lambda ch: (ch.before, ch.id))
    ]
    return SensitivityRow(variant, changes, bool(case.top_changed))
