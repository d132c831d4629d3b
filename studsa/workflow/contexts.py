"""Each report's context: load what the report needs, compute it, hand it to ``report``.

The contexts themselves are pure (``studsa.report``); here the files are read, the
project scored and the plan, follow-up and remiss overviews computed. A file a report
only mentions in passing (the map's titles in the strategi, the deliverables a memo
quotes) may be unreadable: the report then leaves that part out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from functools import cached_property
from typing import Any, TypeVar

from studsa.errors import StudsaError, UsageError
from studsa.i18n import locale_of
from studsa.report import builders
from studsa.report.context import karta_context, uppdrag_context
from studsa.report.format import Formatter
from studsa.report.memo import memo_context, memo_deliverable
from studsa.report.plan import lagesbild_context, plan_context
from studsa.report.remiss import remiss_context
from studsa.report.strategi import strategi_context
from studsa.workflow.clocks import clocks
from studsa.workflow.context import Workspace
from studsa.workflow.lagesbild import lagesbild
from studsa.workflow.overview import PlanOverview, plan_overview
from studsa.workflow.prioritize.report import ScoreReport, score_project
from studsa.workflow.remiss import RemissSummary, remiss_summary, rounds, summarize

T = TypeVar("T")


class ContextBuilder:
    """Builds the reports of one rendering: what two reports share is computed once.

    The handlingsplan's overview (its activities and costs per year) feeds both the
    handlingsplan and the tjänsteskrivelse's Ekonomiska konsekvenser.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws

    @cached_property
    def plan_overview(self) -> PlanOverview:
        """The handlingsplan overview (raises when the plan cannot be read)."""
        return plan_overview(self.ws)

    def build(self, report: str, t: Mapping[str, str], period: str | None = None) -> Any:
        """Build the typed context of ``report``."""
        return _build(self, report, t, period)


def build(ws: Workspace, report: str, t: Mapping[str, str], period: str | None = None) -> Any:
    """Build the typed context of ``report`` (on its own; see ``ContextBuilder``)."""
    return ContextBuilder(ws).build(report, t, period)


def _build(shared: ContextBuilder, report: str, t: Mapping[str, str], period: str | None
           ) -> Any:
    ws = shared.ws
    if report == "uppdragsbeskrivning":
        uppdrag = ws.uppdrag.model
        return uppdrag_context(ws.project.model, uppdrag, t)
    if report == "utmaningskarta":
        karta = ws.karta.model
        return karta_context(ws.project.model, karta, _readable(lambda: ws.strategi.model), t,
                             builders.map_figure(t))
    if report == "strategi":
        strategi = ws.strategi.model
        project = ws.project.model
        titles = _readable(lambda: ws.karta.model)
        scored, problem = _score(ws)
        context = strategi_context(project, strategi, titles, scored, problem, t)
        if context.made_at:
            from dataclasses import replace

            from studsa.workflow.minutes import selection_changes

            context = replace(context, workshop_changes=_readable(
                lambda: selection_changes(ws, context.made_at, t)) or [])
        return context
    if report == "handlingsplan":
        overview = shared.plan_overview
        return plan_context(ws.project.model, ws.plan.model, overview, ws.karta.model, t)
    if report == "lagesbild":
        picture = lagesbild(ws, period)
        doc = next(d.model for d in ws.uppfoljningar if str(d.model.period) == picture.period)
        return lagesbild_context(ws.project.model, picture, doc, t, *_clock_lines(ws, t))
    if report == "remissammanstallning":
        return remiss_context(ws.project.model, _latest_summary(ws), t)
    if report == "tjansteskrivelse":
        return _memo(shared, t)
    if report == "workshop":
        from studsa.workflow.minutes import minutes_context

        return minutes_context(ws, t)
    raise ValueError(f"unknown report {report!r}")


def _clock_lines(ws: Workspace, t: Mapping[str, str]) -> tuple[tuple[str, ...], str | None]:
    """The run-out clocks as the report's sentences, and the date they were judged on."""
    if ws.today is None:
        return (), None
    fmt = Formatter(ws.language, locale_of(ws.language))
    lines = tuple(c.text(t, report=True, date=fmt.date) for c in clocks(ws))
    return lines, fmt.date(ws.today)


def unavailable(ws: Workspace, report: str, period: str | None) -> str | None:
    """Why ``report`` cannot be rendered yet (no follow-up period, no remiss), or None."""
    if report == "lagesbild":
        return _lagesbild_unavailable(ws, period)
    if report == "remissammanstallning":
        return _remiss_unavailable(ws)
    if report == "workshop":
        from studsa.workflow.minutes import unavailable as no_minutes

        return no_minutes(ws)
    return None


def _readable(load: Callable[[], T]) -> T | None:
    """What ``load`` returns, or None when the file it reads cannot be read."""
    try:
        return load()
    except StudsaError:
        return None


def _score(ws: Workspace) -> tuple[ScoreReport | None, str | None]:
    """The score report (missing values allowed), or None with the reason."""
    try:
        return score_project(ws, allow_missing=True, sensitivity=True), None
    except StudsaError as err:
        return None, err.message


def _memo(shared: ContextBuilder, t: Mapping[str, str]) -> Any:
    ws = shared.ws
    project = ws.project.model
    deliverable = memo_deliverable(project)
    return memo_context(
        project, t,
        uppdrag=_readable(lambda: ws.uppdrag.model),
        karta=_readable(lambda: ws.karta.model),
        strategi=_readable(lambda: ws.strategi.model),
        plan=_readable(lambda: ws.plan.model) if deliverable == "handlingsplan" else None,
        overview=_readable(lambda: shared.plan_overview),
        remiss=_readable(lambda: _round_of(ws, deliverable)),
    )


def _round_of(ws: Workspace, deliverable: str) -> RemissSummary | None:
    """The summary of the deliverable's latest remiss round, or None when it had none."""
    docs = [d for d in rounds(ws) if d.model.deliverable == deliverable]
    return summarize(ws, docs[-1]) if docs else None


def _lagesbild_unavailable(ws: Workspace, period: str | None) -> str | None:
    """Why there is no lägesbild to render (no period, or not that period), or None."""
    try:
        docs = ws.uppfoljningar
    except StudsaError as err:
        return str(err)
    if not docs:
        return "there is no follow-up period yet (studsa followup new PERIOD)"
    if period is not None and all(str(d.model.period) != period for d in docs):
        known = ", ".join(str(d.model.period) for d in docs)
        return f"there is no follow-up period {period}; periods: {known}"
    return None


def _remiss_unavailable(ws: Workspace) -> str | None:
    """Why there is no remissammanställning yet (no round), or None."""
    try:
        found = rounds(ws)
    except StudsaError as err:
        return str(err)
    if not found:
        return "nothing has been sent on remiss yet (studsa remiss open)"
    return None


def _latest_summary(ws: Workspace) -> RemissSummary:
    """The summary of the round ``remiss`` commands act on, else of the latest one opened."""
    try:
        return remiss_summary(ws)
    except UsageError:
        docs = rounds(ws)
        if not docs:
            raise
        latest = max(docs, key=lambda d: (d.model.opened or dt.date.min, d.model.deliverable,
                                          d.model.version))
        return summarize(ws, latest)
