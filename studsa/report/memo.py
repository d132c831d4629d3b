"""Context of the tjänsteskrivelse (committee memo) in the standard form.

Header block, Sammanfattning, Förslag till beslut (to the body that decides), Beslutsunderlag
with dates and versions, Beslutsplanering, Ärendet (with the remiss round), Ekonomiska
konsekvenser (the handlingsplan's costs per year), Barnets bästa, Ansvariga, Beslut
expedieras till. What only a person can write comes from ``memo:`` in ``studsa.yaml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError
from studsa.i18n import locale_of
from studsa.models.handlingsplan import Handlingsplan
from studsa.models.memo import Memo
from studsa.models.project import Project
from studsa.models.remiss import DECISIONS
from studsa.models.strategi import Strategi
from studsa.models.uppdrag import Uppdragsbeskrivning
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.report.context import (
    TitleBlock,
    decision_for,
    label,
    language,
    prioritized_ids,
    strip_prefix,
    title_block,
)
from studsa.report.format import Formatter, count_phrase, fill, plural_label

DEFAULT_DELIVERABLE = "strategi"
DELIVERABLES = ("uppdragsbeskrivning", "utmaningskarta", "strategi", "handlingsplan")
# Bodies above a nämnd: when one of them decides, the committee proposes ("att föreslå
# kommunfullmäktige att …") instead of deciding. Matched in the body's name, any case.
HIGHER_BODIES = ("fullmäktige", "kommunstyrelse", "regionstyrelse", "council", "executive board")
# Generic words for a body: a Swedish name starting with one is lower-case inside a sentence
# ("föreslå kommunfullmäktige"), unlike a name that starts with a proper noun.
_GENERIC = ("fullmäktige", "styrelse", "nämnd", "utskott", "ledningsgrupp", "presidium",
            "förvaltning", "kontor")


@dataclass(frozen=True)
class PersonLine:
    """A named official."""

    name: str
    title: str | None
    email: str | None = None


@dataclass(frozen=True)
class MeetingLine:
    """A meeting in the decision planning."""

    body: str
    date: dt.date
    about: str | None


@dataclass(frozen=True)
class CriterionLine:
    """A criterion as the memo lists it."""

    title: str
    description: str | None


@dataclass(frozen=True)
class BasisLine:
    """A decision document with its version and date (either may be unknown)."""

    title: str
    version: str | None
    date: dt.date | None


@dataclass(frozen=True)
class CostLine:
    """The handlingsplan's operating cost and investment of one year (or of all years)."""

    year: int | None
    operating: int
    investment: int
    total: int


@dataclass(frozen=True)
class MemoContext:
    """The tjänsteskrivelse proposing that a body decide one deliverable.

    Fields that only a person can write are ``None`` when not written; the template then
    shows the catalog's ``to_write`` marker.
    """

    doc: TitleBlock
    deliverable: str
    deliverable_label: str
    subject: str
    date: dt.date | None
    reference: PersonLine | None
    addressee: str | None
    """The body the memo is addressed to (it "föreslås besluta"); None: not known yet."""
    decider: str | None
    """The body that decides the deliverable (``decides:``); a higher one is proposed to."""
    summary: str | None
    summary_generated: str
    """The default summary, with ``{committee}`` left for the template to fill."""
    summary_body: str | None
    """Who ``{committee}`` in the default summary is (None: not known yet)."""
    proposals: list[str]
    basis: list[BasisLine]
    meetings: list[MeetingLine]
    background: str | None
    delimitations: list[str]
    procedure: str
    criteria: list[CriterionLine]
    rationale: str | None
    selected: list[str]
    themes: list[str]
    plan_text: str | None
    purpose: str | None
    remiss: list[str]
    """The remiss round in sentences (empty: the deliverable was not sent on remiss)."""
    followup: str | None
    economy: str | None
    costs: list[CostLine]
    """The handlingsplan's costs per year, then the total (empty: no plan, no costs)."""
    costs_text: str | None
    child_impact: str | None
    responsible: list[PersonLine]
    distribution: list[str]


def memo_deliverable(project: Project) -> str:
    """The deliverable the memo proposes for decision (``memo.deliverable``, else strategi)."""
    memo = getattr(project, "memo", None)
    deliverable = (memo.deliverable if memo and memo.deliverable else DEFAULT_DELIVERABLE)
    if deliverable not in DELIVERABLES:
        raise UsageError(f"memo.deliverable {deliverable!r} in studsa.yaml is not one of "
                         f"{', '.join(DELIVERABLES)}", path="studsa.yaml")
    return str(deliverable)


def is_higher(body: str) -> bool:
    """Whether ``body`` is above a nämnd (fullmäktige, kommunstyrelsen, a council)."""
    folded = body.casefold()
    return any(word in folded for word in HIGHER_BODIES)


def in_sentence(body: str, lang: str) -> str:
    """The body's name inside a Swedish sentence: "Kommunfullmäktige" → "kommunfullmäktige"."""
    first = body.split(" ", 1)[0].casefold()
    if lang == "sv" and any(word in first for word in _GENERIC):
        return body[:1].lower() + body[1:]
    return body


def addressing(project: Project, memo: Memo | None, decides: Mapping[str, str],
               deliverable: str) -> tuple[str | None, str | None]:
    """(addressee, decider): who the memo is written to, and who decides the deliverable.

    The decider is ``decides[deliverable]``, else the committee. The memo goes to
    ``memo.to`` when given; else to the committee when a higher body decides (the committee
    then proposes), else to the decider itself.
    """
    committee = project.committee or project.organisation or None
    decider = decides.get(deliverable) or committee
    if memo and memo.to:
        return memo.to, decider
    if committee and decider and is_higher(decider) and not is_higher(committee):
        return committee, decider
    return decider, decider


def _basis(project: Project, memo: Memo | None, t: Mapping[str, str], subject: str,
           doc_model: Any, karta: Utmaningskarta | None, deliverable: str,
           remiss: Any | None) -> list[BasisLine]:
    date = memo.date if memo else None
    version = getattr(doc_model, "version", None)
    lines = [BasisLine(fill(label(t, "memo_basis_memo"), title=subject), None, date),
             BasisLine(fill(label(t, "memo_basis_proposal"), title=subject),
                       str(version) if version else None, date)]
    if deliverable in {"strategi", "handlingsplan"} and karta is not None:
        decided = decision_for(project, "utmaningskarta", karta.version, karta.status)
        lines.append(BasisLine(fill(label(t, "memo_basis_annex"),
                                    title=label(t, "report_utmaningskarta")),
                               str(karta.version), decided.date if decided else None))
    if remiss is not None:
        lines.append(BasisLine(label(t, "report_remissammanstallning"), str(remiss.version),
                               None))
    for item in memo.basis if memo else []:
        if isinstance(item, str):
            lines.append(BasisLine(item, None, None))
        else:
            lines.append(BasisLine(item.title, item.version, item.date))
    return lines


def remiss_sentences(summary: Any, t: Mapping[str, str], fmt: Formatter, locale: str
                     ) -> list[str]:
    """The remiss round of the deliverable as the memo tells it: who, answers, handling."""
    asked = list(summary.recipients)
    answered = [r for r in asked if r.answered]
    opened = fill(label(t, "memo_remiss_opened"), date=fmt.date(summary.opened)) \
        if summary.opened else ""
    first = fill(label(t, "memo_remiss_sent"), version=summary.version,
                 recipients=fmt.and_list([r.body for r in asked]), opened=opened,
                 deadline=fmt.date(summary.deadline))
    if not answered:
        return [first + " " + label(t, "memo_remiss_none")]
    missing = [r.body for r in asked if not r.answered]
    key = "memo_remiss_answered" if missing else "memo_remiss_all"
    answers = fill(plural_label(t, key, len(asked), locale) if not missing else label(t, key),
                   answered=len(answered), asked=len(asked), missing=fmt.and_list(missing))
    points = [p for g in summary.groups for p in g.points]
    counts = [(d, sum(1 for p in points if p.decision == d)) for d in (*DECISIONS, None)]
    if len(points) == 1:
        handled = fill(label(t, "memo_remiss_one_point"),
                       decision=label(t, f"decision_{points[0].decision or 'open'}").lower())
    else:
        parts = [fill(plural_label(t, f"memo_remiss_{d or 'open'}", n, locale), n=n)
                 for d, n in counts if n]
        handled = fill(label(t, "memo_remiss_points"), n=len(points), list=fmt.and_list(parts))
    return [first, f"{answers} {handled} {label(t, 'memo_remiss_see')}"]


def _costs(overview: Any | None) -> list[CostLine]:
    if overview is None or not overview.totals_per_year:
        return []
    lines = [CostLine(y.year, y.operating, y.investment, y.total)
             for y in overview.totals_per_year]
    totals = overview.totals
    lines.append(CostLine(None, totals.operating, totals.investment, totals.total))
    return lines


def _costs_text(costs: list[CostLine], t: Mapping[str, str], fmt: Formatter) -> str | None:
    if not costs:
        return None
    first, last = costs[0].year, costs[-2].year
    years = f"{first}–{last}" if first != last else str(first)
    return fill(label(t, "memo_costs_text"), years=years, total=fmt.money(costs[-1].total))


def memo_context(project: Project, t: Mapping[str, str], *, uppdrag: Uppdragsbeskrivning | None,
                 karta: Utmaningskarta | None, strategi: Strategi | None,
                 plan: Handlingsplan | None, overview: Any | None = None,
                 remiss: Any | None = None) -> MemoContext:
    """Build the tjänsteskrivelse from studsa.yaml, its ``memo:`` block and the deliverables.

    Each deliverable is None when it cannot be read; ``plan`` is read only when the memo
    proposes the handlingsplan. ``overview`` is the handlingsplan's
    ``workflow.overview.PlanOverview`` (its costs per year), ``remiss`` the
    ``workflow.remiss.RemissSummary`` of the deliverable's latest round; None when there is
    none.
    """
    memo = getattr(project, "memo", None)
    deliverable = memo_deliverable(project)
    doc_model = {"uppdragsbeskrivning": uppdrag, "utmaningskarta": karta, "strategi": strategi,
                 "handlingsplan": plan}[deliverable]
    deliverable_label = label(t, f"report_{deliverable}")
    own_title = strip_prefix(getattr(doc_model, "title", None), deliverable_label)
    subject = (memo.title if memo and memo.title else None) or own_title or project.name
    titles = {c.id: c.title for c in karta.challenges} if karta else {}
    selected = [titles.get(c, c) for c in prioritized_ids(strategi)]
    committee = project.committee or project.organisation or None
    lang = language(project)
    locale = locale_of(lang)
    fmt = Formatter(lang, locale)
    addressee, decider = addressing(project, memo, uppdrag.decides if uppdrag else {},
                                    deliverable)
    strategic = bool(selected) and deliverable in {"strategi", "handlingsplan"}
    summary_generated = (
        fill(plural_label(t, "memo_summary_default", len(selected), locale),
             title=subject, n=len(selected), list=fmt.and_list(selected))
        if strategic else fill(label(t, "memo_summary_plain"), title=subject))
    sources = karta.sources if karta else []
    inside = [c for c in karta.challenges if not c.out_of_scope] if karta else []
    procedure = fill(
        label(t, "memo_procedure_text"),
        narvarld=count_phrase(t, "count_sources",
                              sum(1 for s in sources if s.kind == "narvarld"), locale),
        invarld=count_phrase(t, "count_sources",
                             sum(1 for s in sources if s.kind == "invarld"), locale),
        challenges=count_phrase(t, "count_challenges", len(inside), locale),
        themes=count_phrase(t, "count_themes", len(karta.themes) if karta else 0, locale),
    )
    plan_text = None
    if deliverable == "handlingsplan" and plan is not None:
        plan_text = fill(
            label(t, "memo_plan_text"),
            placed=count_phrase(t, "count_challenges",
                                sum(1 for p in plan.placements if p.lead), locale),
            activities=count_phrase(t, "count_activities", len(plan.activities), locale))
    approve = fill(label(t, "memo_att_approve"), title=subject)
    default_proposal = approve if not decider or decider == addressee else fill(
        label(t, "memo_att_propose"), body=in_sentence(decider, lang), title=subject)
    costs = _costs(overview)
    reference = project.reference
    meetings = sorted((MeetingLine(m.body, m.date, m.about) for m in project.meetings),
                      key=lambda m: (m.date, m.body))
    return MemoContext(
        doc=title_block(project, "tjansteskrivelse", t, None, subject),
        deliverable=deliverable,
        deliverable_label=deliverable_label,
        subject=subject,
        date=memo.date if memo else None,
        reference=PersonLine(reference.name, reference.title, reference.email)
        if reference else None,
        addressee=addressee,
        decider=decider,
        summary=memo.summary if memo else None,
        summary_generated=summary_generated,
        summary_body=committee if strategic else addressee,
        proposals=list(memo.proposals) if memo and memo.proposals else [default_proposal],
        basis=_basis(project, memo, t, subject, doc_model, karta, deliverable, remiss),
        meetings=meetings,
        background=(memo.background if memo and memo.background else None)
        or (uppdrag.background if uppdrag else None),
        delimitations=list(uppdrag.scope.in_) if uppdrag else [],
        procedure=procedure,
        criteria=[CriterionLine(c.title, c.description) for c in strategi.criteria]
        if strategi and deliverable in {"strategi", "handlingsplan"} else [],
        rationale=(strategi.selection.rationale if strategi and strategi.selection
                   and deliverable in {"strategi", "handlingsplan"} else None),
        selected=selected if deliverable in {"strategi", "handlingsplan"} else [],
        themes=[th.title for th in karta.themes] if karta and deliverable == "utmaningskarta"
        else [],
        plan_text=plan_text,
        purpose=uppdrag.purpose if uppdrag and deliverable == "uppdragsbeskrivning" else None,
        remiss=remiss_sentences(remiss, t, fmt, locale) if remiss is not None else [],
        followup=strategi.followup if strategi else None,
        economy=memo.economy if memo else None,
        costs=costs,
        costs_text=_costs_text(costs, t, fmt),
        child_impact=memo.child_impact if memo else None,
        responsible=[PersonLine(p.name, p.title) for p in project.responsible],
        distribution=list(project.distribution),
    )
