"""Context of the remissammanställning (the consultation summary of a remiss round)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studsa.models.project import Project
from studsa.models.remiss import DECISIONS
from studsa.report.context import TitleBlock, label, title_block


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
