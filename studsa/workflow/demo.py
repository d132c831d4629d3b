"""``studsa demo``: copy the bundled Malmö example and walk it through the four phases.

The walk is plain data: each phase becomes a ``PhaseSummary`` the CLI prints, so the tour
is testable without a terminal. Ranking comes from the scoring module, reports from the
renderer; nothing here computes what another module owns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studsa.errors import StudsaError, UsageError

EXAMPLE = "malmo"
DEFAULT_FOLDER = "studsa-demo"


@dataclass(frozen=True)
class RankRow:
    """One line of the ranking, with whether the presidium selected it."""

    rank: int
    id: str
    title: str
    score: float
    selected: bool


@dataclass
class PhaseSummary:
    """What one phase holds, in a few lines, and the commands that show more."""

    number: str
    phase: str
    deliverable: str
    file: str
    lines: list[str] = field(default_factory=list)
    ranking: list[RankRow] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)


@dataclass
class DemoResult:
    """Everything ``studsa demo`` did: where the copy is, each phase, the reports."""

    root: Path
    files: list[str]
    phases: list[PhaseSummary]
    reports: list[Path] = field(default_factory=list)
    report_dir: Path | None = None
    notes: list[str] = field(default_factory=list)


def check_target(root: Path) -> None:
    """Refuse a path that is a file or a folder that is not empty."""
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder; choose a new folder for the demo")
    if root.is_dir() and any(root.iterdir()):
        raise UsageError(
            f"{root} is not empty; studsa demo only writes into a new or empty folder",
            hint=f"try: studsa demo {root.name}-2",
        )


def copy_example(path: Path) -> tuple[Path, list[str]]:
    """Copy the bundled example into ``path`` (new or empty); return the root and files."""
    from studsa.workflow.project import InitOptions, init_project

    root = path.expanduser().resolve()
    check_target(root)
    result = init_project(InitOptions(path=root, example=EXAMPLE))
    return result.root, result.files


def run_demo(
    path: Path,
    formats: Sequence[str] = ("md",),
    render: bool = True,
) -> DemoResult:
    """Copy the example into ``path``, summarize each phase and render every report."""
    from studsa.workflow.context import Workspace

    root, files = copy_example(path)
    ws = Workspace.open(root)
    result = DemoResult(root=root, files=files, phases=[])
    result.phases = [
        summarize_avgransa(ws),
        summarize_identifiera(ws),
        summarize_prioritera(ws, result.notes),
        summarize_placera(ws),
    ]
    followup = summarize_followup(ws)
    if followup is not None:
        result.phases.append(followup)
    if render:
        render_all(ws, list(formats), result)
    return result


def summarize_avgransa(ws: Any) -> PhaseSummary:
    """Phase 1: purpose, the scope in and out, and who decides."""
    model = ws.uppdrag.model
    summary = PhaseSummary("1", "avgransa", "uppdragsbeskrivning", ws.uppdrag.display)
    summary.lines.append(f"Scope ({len(model.scope.in_)} delimitations):")
    summary.lines.extend(f"  + {item}" for item in model.scope.in_)
    summary.lines.extend(f"  - {item}" for item in model.scope.out)
    if model.partners:
        shown = ", ".join(model.partners[:4])
        more = ", …" if len(model.partners) > 4 else ""
        summary.lines.append(f"Partners: {len(model.partners)} ({shown}{more})")
    for what, body in model.decides.items():
        summary.lines.append(f"Decides the {what}: {body}")
    summary.commands.append("studsa render uppdragsbeskrivning")
    return summary


def summarize_identifiera(ws: Any) -> PhaseSummary:
    """Phase 2: themes with their challenge counts, and the evidence behind them."""
    model = ws.karta.model
    summary = PhaseSummary("2", "identifiera", "utmaningskarta", ws.karta.display)
    per_theme = Counter(c.theme for c in model.challenges)
    summary.lines.append(
        f"{len(model.challenges)} challenges in {len(model.themes)} themes:"
    )
    for theme in model.themes:
        summary.lines.append(f"  {theme.title}: {per_theme.get(theme.id, 0)}")
    kinds = Counter(s.kind for s in model.sources)
    summary.lines.append(
        f"Evidence: {kinds.get('narvarld', 0)} external sources (närvärld), "
        f"{kinds.get('invarld', 0)} internal (invärld)"
    )
    examples = sum(1 for c in model.challenges if c.example)
    if examples:
        summary.lines.append(f"{examples} challenges are invented example content (example: true)")
    summary.commands.extend(["studsa challenge list", "studsa source list"])
    return summary


def summarize_prioritera(ws: Any, notes: list[str]) -> PhaseSummary:
    """Phase 3: criteria, raters, the computed ranking and the presidium's selection."""
    model = ws.strategi.model
    summary = PhaseSummary("3", "prioritera", "strategi", ws.strategi.display)
    summary.lines.append(
        f"{len(model.criteria)} criteria, {len(ws.bedomningar)} raters, method {model.method}"
    )
    selection = model.selection
    selected = list(selection.challenges) if selection else []
    titles = {c.id: c.title for c in ws.karta.model.challenges}
    summary.ranking = _ranking(ws, set(selected), notes)
    if selection is not None:
        where = f" ({selection.made_at})" if selection.made_at else ""
        summary.lines.append(f"Selected{where}:")
        summary.lines.extend(f"  {titles.get(cid, cid)}" for cid in selected)
        for cid, why in sorted(selection.why.items()):
            summary.lines.append(f"Why {titles.get(cid, cid)}: {' '.join(why.split())}")
    summary.commands.extend(["studsa score", "studsa score --sensitivity"])
    return summary


def _ranking(ws: Any, selected: set[str], notes: list[str]) -> list[RankRow]:
    """The ranking from the scoring module, or an empty list with a note if it is missing."""
    try:
        from studsa.workflow.prioritize import compute_ranking
    except ImportError:
        notes.append("ranking skipped: this version of studsa has no scoring yet")
        return []
    try:
        ranking = compute_ranking(ws)
    except StudsaError as err:
        notes.append(f"ranking skipped: {err}")
        return []
    return [
        RankRow(
            rank=int(entry.rank),
            id=str(entry.id),
            title=str(entry.title),
            score=float(entry.score),
            selected=entry.id in selected,
        )
        for entry in ranking.entries
    ]


def summarize_placera(ws: Any) -> PhaseSummary:
    """Phase 4: each prioritized challenge's lead, horizon and activities, and the costs."""
    plan = ws.plan.model
    summary = PhaseSummary("4", "placera", "handlingsplan", ws.plan.display)
    names = {d.id: d.name for d in ws.project.model.departments}
    titles = {c.id: c.title for c in ws.karta.model.challenges}
    per_challenge = Counter(a.challenge for a in plan.activities)
    for placement in plan.placements:
        lead = names.get(placement.lead or "", placement.lead or "no lead")
        helpers = ", ".join(names.get(d, d) for d in placement.contributes)
        line = f"  {titles.get(placement.challenge, placement.challenge)}: {lead}"
        if helpers:
            line += f" (with {helpers})"
        line += f"; horizon {placement.horizon or '–'}"
        line += f"; {per_challenge.get(placement.challenge, 0)} activities"
        summary.lines.append(line)
    summary.lines.insert(0, f"{len(plan.placements)} challenges placed on departments:")
    years = sorted({a.year for a in plan.activities})
    for year in years:
        running = sum(a.cost or 0 for a in plan.activities if a.year == year and not a.investment)
        invest = sum(a.cost or 0 for a in plan.activities if a.year == year and a.investment)
        count = sum(1 for a in plan.activities if a.year == year)
        summary.lines.append(
            f"{year}: {count} activities, operating {_sek(running)}, investment {_sek(invest)}"
        )
    cadences = Counter(d.cadence for d in ws.project.model.departments)
    summary.lines.append(
        f"Departments: {cadences.get('tertial', 0)} report per tertial, "
        f"{cadences.get('annual', 0)} once a year"
    )
    summary.commands.extend(["studsa activity list", "studsa render handlingsplan"])
    return summary


def summarize_followup(ws: Any) -> PhaseSummary | None:
    """Follow-up: each period's status counts (None when the project has no follow-up)."""
    docs = ws.uppfoljningar
    if not docs:
        return None
    summary = PhaseSummary("–", "uppfoljning", "lägesbild", "uppfoljning/")
    for doc in docs:
        counts = Counter(r.status for r in doc.model.reports)
        parts = ", ".join(f"{counts[s]} {s}" for s in sorted(counts))
        summary.lines.append(f"{doc.model.period}: {len(doc.model.reports)} reports ({parts})")
    summary.commands.append("studsa render lagesbild")
    return summary


def render_all(ws: Any, formats: list[str], result: DemoResult) -> None:
    """Render every report into the project's report folder, if rendering exists."""
    try:
        from studsa.workflow.render import render_reports
    except ImportError:
        result.notes.append("reports skipped: this version of studsa cannot render yet")
        return
    written = render_reports(ws, reports=None, formats=formats, out_dir=None)
    paths = [Path(p) for p in _paths(written)]
    result.reports = sorted(paths, key=lambda p: p.as_posix())
    if paths:
        result.report_dir = paths[0].parent


def _paths(written: Any) -> list[Any]:
    files = getattr(written, "files", written)
    return list(files or [])


def _sek(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " kr"
