"""What a built report context gives its rendering: variables, file stem, title, figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from studsa.report import context as ctx
from studsa.report.css import Running
from studsa.report.format import fill
from studsa.report.svg import challenge_map_svg

MapFigure = Callable[[list[tuple[str, str]], list[tuple[str, str, str]], set[str]], str]


def map_figure(t: Mapping[str, str]) -> MapFigure:
    """The drawer of the utmaningskarta figure, with the report's labels."""

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
    if report == "workshop":
        return f"workshop-{context.session}"
    return f"{report}-{period.id}" if report == "lagesbild" and period is not None else report


def title(context: Any) -> str:
    """The document title (for HTML ``<title>`` and Word properties)."""
    doc = context.doc
    return f"{doc.title}: {doc.subtitle}" if doc.subtitle else doc.title


def running(context: Any, t: Mapping[str, str]) -> Running:
    """The printed page's running header (organisation; document, dnr) and page number."""
    doc = context.doc
    left = ", ".join(part for part in (doc.organisation, doc.administration) if part)
    dnr = fill(ctx.label(t, "page_dnr"), dnr=doc.dnr) if doc.dnr else None
    right = " · ".join(part for part in (doc.title, dnr) if part)
    return Running(left, right, ctx.label(t, "page_number"))


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
