"""Typed report contexts: pure functions from the project's models to what a template shows.

Each report gets one frozen dataclass; its fields become the template's variables (with
the labels as ``t``). Lists keep the order of the project files, or an explicit sort key.
``workflow.contexts`` loads the files and computes what each report needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from studsa.i18n import locale_of
from studsa.models.project import Project
from studsa.models.strategi import Strategi
from studsa.models.uppdrag import Uppdragsbeskrivning
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.report.format import count_phrase, fill


@dataclass(frozen=True)
class ReportedRef:
    """Where and when a lägesbild was reported."""

    to: str
    date: dt.date


@dataclass(frozen=True)
class DecisionRef:
    """The decision that froze a deliverable's current version."""

    by: str
    date: dt.date
    paragraph: str | None
    version: int


@dataclass(frozen=True)
class TitleBlock:
    """The head of every report: what it is, whose it is, which version and status."""

    report: str
    title: str
    subtitle: str | None
    organisation: str | None
    administration: str | None
    committee: str | None
    dnr: str | None
    version: int | None
    status: str | None
    decision: DecisionRef | None
    reported: ReportedRef | None = None
    """To whom and when a lägesbild was reported (status reported or decided)."""


@dataclass(frozen=True)
class Figure:
    """An image written beside the report, with its text alternative."""

    file: str
    alt: str
    svg: str = field(repr=False, default="")


def as_vars(context: Any) -> dict[str, Any]:
    """The fields of a context dataclass as template variables (shallow)."""
    return {f.name: getattr(context, f.name) for f in fields(context)}


def label(t: Mapping[str, str], key: str, default: str | None = None) -> str:
    """A catalog label, or ``default`` (else the key) when the catalog has none."""
    value = t.get(key)
    if value is not None:
        return value
    return default if default is not None else key


def decision_for(project: Project, deliverable: str, version: int | None, status: str | None,
                 period: str | None = None) -> DecisionRef | None:
    """The decision that froze ``deliverable`` at ``version``, when it is decided
    (``period``: of a lägesbild, whose decisions are per period)."""
    if status != "decided":
        return None
    matches = [
        d for d in project.decisions
        if d.deliverable == deliverable and (version is None or d.version == version)
        and d.period == period
    ]
    if not matches:
        return None
    last = max(matches, key=lambda d: (d.version, d.date))
    return DecisionRef(by=last.by, date=last.date, paragraph=last.paragraph, version=last.version)


def title_block(project: Project, report: str, t: Mapping[str, str], model: Any | None = None,
                title: str | None = None) -> TitleBlock:
    """The title block of ``report`` from ``studsa.yaml`` and the deliverable ``model``."""
    version = getattr(model, "version", None)
    status = getattr(model, "status", None)
    period = getattr(model, "period", None) if report == "lagesbild" else None
    reported = getattr(model, "reported", None) if status in {"reported", "decided"} else None
    heading = label(t, f"report_{report}")
    subtitle = title or project.name
    return TitleBlock(
        report=report,
        title=heading,
        subtitle=subtitle if subtitle and subtitle != heading else None,
        organisation=project.organisation,
        administration=project.administration,
        committee=project.committee,
        dnr=project.dnr,
        version=version,
        status=status,
        decision=decision_for(project, report, version, status,
                              str(period) if period is not None else None),
        reported=ReportedRef(reported.to, reported.date) if reported is not None else None,
    )


def strip_prefix(title: str | None, heading: str) -> str | None:
    """``"Uppdragsbeskrivning: X"`` → ``"X"`` (the heading already says what it is)."""
    if not title:
        return None
    for sep in (":", " –", " -"):
        prefix = heading + sep
        if title.casefold().startswith(prefix.casefold()):
            rest = title[len(prefix):].strip()
            return rest or None
    return title


def language(project: Project) -> str:
    """The project language (``sv`` or ``en``)."""
    return str(project.language)


def prioritized_ids(strategi: Strategi | None) -> list[str]:
    """The selected challenges of the strategi, or none when there is no strategi (yet)."""
    selection = strategi.selection if strategi is not None else None
    return list(selection.challenges) if selection else []


# --- uppdragsbeskrivning --------------------------------------------------------------

@dataclass(frozen=True)
class Milestone:
    """A line of the timeline."""

    date: dt.date | None
    what: str
    who: str | None


@dataclass(frozen=True)
class DecidesRow:
    """Who decides on one deliverable."""

    deliverable: str
    body: str


@dataclass(frozen=True)
class UppdragContext:
    """The uppdragsbeskrivning report."""

    doc: TitleBlock
    background: str | None
    purpose: str | None
    remit: str | None
    scope_in: list[str]
    scope_out: list[str]
    partners: list[str]
    decides: list[DecidesRow]
    timeline: list[Milestone]


def uppdrag_context(project: Project, model: Uppdragsbeskrivning, t: Mapping[str, str]
                    ) -> UppdragContext:
    """Build the uppdragsbeskrivning context."""
    heading = label(t, "report_uppdragsbeskrivning")
    timeline = sorted(
        (Milestone(m.date, m.what, m.who) for m in model.timeline),
        key=lambda m: (m.date or dt.date.max, m.what),
    )
    return UppdragContext(
        doc=title_block(project, "uppdragsbeskrivning", t, model,
                        strip_prefix(model.title, heading)),
        background=model.background,
        purpose=model.purpose,
        remit=model.remit,
        scope_in=list(model.scope.in_),
        scope_out=list(model.scope.out),
        partners=list(model.partners),
        decides=[DecidesRow(label(t, f"report_{k}", k), v) for k, v in model.decides.items()],
        timeline=timeline,
    )


# --- utmaningskarta -------------------------------------------------------------------

@dataclass(frozen=True)
class SourceItem:
    """A piece of evidence and the challenges it supports."""

    id: str
    title: str
    kind: str
    organisation: str | None
    year: str | None
    url: str | None
    description: str | None
    supports: list[str]


@dataclass(frozen=True)
class ChallengeItem:
    """A challenge with its evidence and whether it was prioritized."""

    id: str
    title: str
    theme: str
    theme_title: str
    description: str | None
    sources: list[SourceItem]
    prioritized: bool
    example: bool
    out_of_scope: str | None


@dataclass(frozen=True)
class ThemeItem:
    """A thematic area with its challenges inside the strategy."""

    id: str
    title: str
    description: str | None
    challenges: list[ChallengeItem]


@dataclass(frozen=True)
class KartaContext:
    """The utmaningskarta report."""

    doc: TitleBlock
    intro: str | None
    figure: Figure | None
    themes: list[ThemeItem]
    out_of_scope: list[ChallengeItem]
    narvarld: list[SourceItem]
    invarld: list[SourceItem]
    challenge_count: int
    prioritized_count: int
    has_examples: bool


def karta_context(project: Project, model: Utmaningskarta, strategi: Strategi | None,
                  t: Mapping[str, str], figure_svg: Any = None) -> KartaContext:
    """Build the utmaningskarta context; ``figure_svg(themes, challenges, prioritized)``.

    ``strategi`` is None when it cannot be read (nothing is shown as prioritized).
    """
    prioritized = set(prioritized_ids(strategi))
    theme_titles = {th.id: th.title for th in model.themes}
    supports: dict[str, list[str]] = {s.id: [] for s in model.sources}
    for ch in model.challenges:
        for sid in ch.sources:
            if sid in supports and ch.title not in supports[sid]:
                supports[sid].append(ch.title)
    sources = {
        s.id: SourceItem(s.id, s.title, s.kind, s.organisation, s.year, s.url, s.description,
                         supports[s.id])
        for s in model.sources
    }
    items = [
        ChallengeItem(
            id=ch.id, title=ch.title, theme=ch.theme,
            theme_title=theme_titles.get(ch.theme, ch.theme), description=ch.description,
            sources=[sources[sid] for sid in ch.sources if sid in sources],
            prioritized=ch.id in prioritized, example=ch.example, out_of_scope=ch.out_of_scope,
        )
        for ch in model.challenges
    ]
    theme_order = [th.id for th in model.themes]
    theme_order += sorted({i.theme for i in items} - set(theme_order))
    described = {th.id: th.description for th in model.themes}
    themes = [
        ThemeItem(tid, theme_titles.get(tid, tid), described.get(tid),
                  [i for i in items if i.theme == tid and not i.out_of_scope])
        for tid in theme_order
    ]
    inside = [i for i in items if not i.out_of_scope]
    figure = None
    if figure_svg is not None:
        alt = label(t, "figure_alt")
        locale = locale_of(language(project))
        alt = fill(alt, themes=count_phrase(t, "count_themes", len(themes), locale),
                   challenges=count_phrase(t, "count_challenges", len(inside), locale),
                   prioritized=sum(1 for i in inside if i.prioritized))
        svg = figure_svg(
            [(th.id, th.title) for th in themes],
            [(i.id, i.title, i.theme) for i in inside],
            {i.id for i in inside if i.prioritized},
        )
        figure = Figure("utmaningskarta.svg", alt, svg)
    return KartaContext(
        doc=title_block(project, "utmaningskarta", t, model),
        intro=model.intro,
        figure=figure,
        themes=themes,
        out_of_scope=[i for i in items if i.out_of_scope],
        narvarld=[s for s in sources.values() if s.kind == "narvarld"],
        invarld=[s for s in sources.values() if s.kind == "invarld"],
        challenge_count=len(inside),
        prioritized_count=sum(1 for i in inside if i.prioritized),
        has_examples=any(i.example for i in items),
    )
