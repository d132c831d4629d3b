"""Which context each report gets, its file stem, title and figures, and whether it can be made."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from studsa.report import context as ctx


def build(ws: Any, report: str, t: Mapping[str, str], period: str | None = None) -> Any:
    """Build the typed context of ``report``."""
    if report == "uppdragsbeskrivning":
        return ctx.uppdrag_context(ws, t)
    if report == "utmaningskarta":
        return ctx.karta_context(ws, t, _map_figure(t))
    if report == "strategi":
        from studsa.report.strategi import strategi_context

        return strategi_context(ws, t)
    if report == "handlingsplan":
        from studsa.report.plan import plan_context

        return plan_context(ws, t)
    if report == "lagesbild":
        from studsa.report.plan import lagesbild_context

        return lagesbild_context(ws, t, period)
    if report == "remissammanstallning":
        from studsa.report.memo import remiss_context

        return remiss_context(ws, t)
    if report == "tjansteskrivelse":
        from studsa.report.memo import memo_context

        return memo_context(ws, t)
    raise ValueError(f"unknown report {report!r}")


def unavailable(ws: Any, report: str, period: str | None) -> str | None:
    """Why ``report`` cannot be rendered yet (no follow-up period, no remiss), or None."""
    if report == "lagesbild":
        from studsa.report.plan import lagesbild_unavailable

        return lagesbild_unavailable(ws, period)
    if report == "remissammanstallning":
        from studsa.report.memo import remiss_unavailable

        return remiss_unavailable(ws)
    return None


def _map_figure(t: Mapping[str, str]) -> Any:
    try:
        from studsa.report.svg import challenge_map_svg
    except ImportError:
        return None

    def draw(themes: list[tuple[str, str]], challenges: list[tuple[str, str, str]],
             prioritized: set[str]) -> str:
        return challenge_map_svg(themes, challenges, prioritized,
                                 title=ctx.label(t, "report_utmaningskarta"),
                                 prioritized_label=ctx.label(t, "prioritized"))

    return draw


def variables(context: Any) -> dict[str, Any]:
    """The template variables of a context."""
    return ctx.as_vars(context)


def stem(report: str, context: Any) -> str:
    """The output file name without extension (``lagesbild-2021-T2`` for a period)."""
    period = getattr(context, "period", None)
    return f"{report}-{period.id}" if report == "lagesbild" and period is not None else report


def title(context: Any) -> str:
    """The document title (for HTML ``<title>`` and Word properties)."""
    doc = context.doc
    return f"{doc.title}: {doc.subtitle}" if doc.subtitle else doc.title


def figures(context: Any) -> dict[str, str]:
    """Figure file name → SVG text, for every figure the report refers to."""
    found: dict[str, str] = {}
    for value in ctx.as_vars(context).values():
        if isinstance(value, ctx.Figure) and value.svg:
            found[value.file] = value.svg
    for extra in getattr(context, "extra_figures", []) or []:
        if extra.svg:
            found[extra.file] = extra.svg
    return found
