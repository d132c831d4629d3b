"""Contexts of the tjänsteskrivelse (committee memo) and the remissammanställning."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError
from studsa.i18n import locale_of
from studsa.models.handlingsplan import Handlingsplan
from studsa.models.project import Project
from studsa.models.strategi import Strategi
from studsa.models.uppdrag import Uppdragsbeskrivning
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.report.context import (
    TitleBlock,
    label,
    language,
    prioritized_ids,
    strip_prefix,
    title_block,
)
from studsa.report.format import Formatter, count_phrase, fill, plural_label

DEFAULT_DELIVERABLE = "strategi"
DELIVERABLES = ("uppdragsbeskrivning", "utmaningskarta", "strategi", "handlingsplan")


@dataclass(frozen=True)
class PersonLine:
    """A named official."""

    name: str
    title: str | None


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
class MemoContext:
    """The tjänsteskrivelse proposing that the committee decide one deliverable.

    Fields that only a person can write are ``None`` when not written; the template then
    shows the catalog's ``to_write`` marker.
    """

    doc: TitleBlock
    deliverable: str
    deliverable_label: str
    subject: str
    date: dt.date | None
    reference: PersonLine | None
    summary: str | None
    summary_generated: str
    proposes: str
    proposals: list[str]
    basis: list[str]
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
    followup: str | None
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


def memo_context(project: Project, t: Mapping[str, str], *, uppdrag: Uppdragsbeskrivning | None,
                 karta: Utmaningskarta | None, strategi: Strategi | None,
                 plan: Handlingsplan | None) -> MemoContext:
    """Build the tjänsteskrivelse from studsa.yaml, its ``memo:`` block and the deliverables.

    Each deliverable is None when it cannot be read; ``plan`` is read only when the memo
    proposes the handlingsplan.
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
    committee = project.committee or project.organisation or ""
    lang = language(project)
    locale = locale_of(lang)
    summary_generated = (
        fill(plural_label(t, "memo_summary_default", len(selected), locale), committee=committee,
             title=subject, n=len(selected), list=Formatter(lang, locale).and_list(selected))
        if selected and deliverable in {"strategi", "handlingsplan"}
        else fill(label(t, "memo_summary_plain"), committee=committee, title=subject)
    )
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
    reference = project.reference
    basis = [fill(label(t, "memo_basis_memo"), title=subject),
             fill(label(t, "memo_basis_proposal"), title=subject)]
    if deliverable in {"strategi", "handlingsplan"} and karta is not None:
        basis.append(fill(label(t, "memo_basis_annex"), title=label(t, "report_utmaningskarta")))
    basis += list(memo.basis) if memo else []
    meetings = sorted((MeetingLine(m.body, m.date, m.about) for m in project.meetings),
                      key=lambda m: (m.date, m.body))
    return MemoContext(
        doc=title_block(project, "tjansteskrivelse", t, None, subject),
        deliverable=deliverable,
        deliverable_label=deliverable_label,
        subject=subject,
        date=memo.date if memo else None,
        reference=PersonLine(reference.name, reference.title) if reference else None,
        summary=memo.summary if memo else None,
        summary_generated=summary_generated,
        proposes=fill(label(t, "memo_proposes"), committee=committee),
        proposals=(list(memo.proposals) if memo and memo.proposals
                   else [fill(label(t, "memo_att_approve"), title=subject)]),
        basis=basis,
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
        followup=strategi.followup if strategi else None,
        child_impact=memo.child_impact if memo else None,
        responsible=[PersonLine(p.name, p.title) for p in project.responsible],
        distribution=list(project.distribution),
    )


# --- remissammanställning -------------------------------------------------------------

@dataclass(frozen=True)
class RemissContext:
    """The consultation summary of the latest remiss round."""

    doc: TitleBlock
    summary: Any
    """A ``studsa.workflow.remiss.RemissSummary``."""
    deliverable_label: str
    group_titles: dict[str, str]
    """Group key → heading (general points, a section, a challenge …)."""
    decision_counts: list[tuple[str, int]]


DECISIONS = ("accepted", "partly", "rejected", "noted")


def remiss_context(project: Project, summary: Any, t: Mapping[str, str]) -> RemissContext:
    """Build the remissammanställning context from a ``workflow.remiss.RemissSummary``."""
    deliverable_label = label(t, f"report_{summary.deliverable}", summary.deliverable)
    titles: dict[str, str] = {}
    for group in summary.groups:
        if group.kind == "general":
            titles[group.key] = label(t, "remiss_general")
        elif group.kind == "section":
            titles[group.key] = label(t, group.key, group.title)
        else:
            titles[group.key] = group.title or group.key
    points = [p for g in summary.groups for p in g.points]
    counts = [(d, sum(1 for p in points if p.decision == d)) for d in DECISIONS]
    counts.append(("open", sum(1 for p in points if p.decision is None)))
    subject = f"{deliverable_label}, {label(t, 'version').lower()} {summary.version}"
    return RemissContext(
        doc=title_block(project, "remissammanstallning", t, None, subject),
        summary=summary,
        deliverable_label=deliverable_label,
        group_titles=titles,
        decision_counts=counts,
    )
