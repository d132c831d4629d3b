"""``studsa demo``: copy the bundled Malmö example and walk it through the four phases.

The walk is plain data: each phase becomes a ``PhaseSummary`` the CLI prints, so the tour
is testable without a terminal. Ranking comes from the scoring module, reports from the
renderer; nothing here computes what another module owns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studsa.errors import UsageError
from studsa.i18n import and_list, count, message
from studsa.report.format import percent, terminal
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize import score_project
from studsa.workflow.project import InitOptions, init_project
from studsa.workflow.render import check_formats, render_reports, select_reports
from studsa.workflow.versions import decide, verify

EXAMPLE = "malmo"
DEFAULT_FOLDER = "studsa-demo"

# The decisions the demo records, as (phase, body, date). The strategy's date is the
# committee meeting of the memo's beslutsplanering; the other two follow the example's
# timeline in 1-avgransa/uppdragsbeskrivning.yaml (the memo says only "hösten 2019").
DECISIONS: tuple[tuple[str, str, str], ...] = (
    ("avgransa", "Förvaltningens ledningsgrupp", "2019-10-15"),
    ("prioritera", "Tekniska nämnden", "2020-09-23"),
    ("placera", "Förvaltningens ledningsgrupp", "2020-12-15"),
)


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
    after: list[str] = field(default_factory=list)
    """Lines shown after the ranking table."""
    decision: str | None = None
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
    verified: str = ""


def check_target(root: Path) -> None:
    """Refuse a path that is a file or a folder that is not empty."""
    if root.exists() and not root.is_dir():
        raise UsageError(message("wf_demo_not_folder", root=root))
    if root.is_dir() and any(root.iterdir()):
        raise UsageError(
            message("wf_demo_not_empty", root=root),
            hint=message("wf_demo_try", name=f"{root.name}-2"),
        )


def copy_example(path: Path) -> tuple[Path, list[str]]:
    """Copy the bundled example into ``path`` (new or empty); return the root and files."""
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
    if render:
        formats = check_formats(list(formats))
    root, files = copy_example(path)
    ws = Workspace.open(root)
    result = DemoResult(root=root, files=files, phases=[])
    summarizers = (summarize_avgransa, summarize_identifiera, summarize_prioritera,
                   summarize_placera)
    for summarize in summarizers:
        summary = summarize(ws)
        decide_phase(ws, summary)
        result.phases.append(summary)
    followup = summarize_followup(ws)
    if followup is not None:
        result.phases.append(followup)
    result.verified = verify_decisions(ws)
    if render:
        reports = Workspace.open(root)
        reports.today = dt.date.today()  # drafts are dated the day they are rendered, as by render
        render_all(reports, list(formats), result)
    return result


def decide_phase(ws: Workspace, summary: PhaseSummary) -> None:
    """Record the example's decision on this phase's deliverable, as `studsa decide` does."""
    for phase, body, date in DECISIONS:
        if phase != summary.phase:
            continue
        dnr = ws.project.model.dnr if phase == "prioritera" else None
        done = decide(ws, phase, by=body, date=dt.date.fromisoformat(date), dnr=dnr)
        decision = done.decision
        summary.decision = message(
            "wf_demo_decided", deliverable=summary.deliverable, version=decision.version,
            by=decision.by, date=terminal().date(decision.date), file=decision.file)
        summary.commands.append(f"studsa history {summary.deliverable}")


def verify_decisions(ws: Workspace) -> str:
    """Check every frozen version against the decisions log, as `studsa verify` does."""
    report = verify(ws)
    if report.broken or report.unrecorded:
        return message("wf_demo_verify_broken",
                       broken=count("cli_frozen_files", len(report.broken)),
                       unrecorded=len(report.unrecorded))
    decided = len({(f.deliverable, f.version) for f in report.files})
    return message("wf_demo_verify_ok", files=count("cli_frozen_files", len(report.files)),
                   versions=count("cli_decided_versions", decided))


def summarize_avgransa(ws: Workspace) -> PhaseSummary:
    """Phase 1: purpose, the scope in and out, and who decides."""
    model = ws.uppdrag.model
    summary = PhaseSummary("1", "avgransa", "uppdragsbeskrivning", ws.uppdrag.display)
    summary.lines.append(count("wf_demo_scope", len(model.scope.in_)))
    summary.lines.extend(f"  + {item}" for item in model.scope.in_)
    summary.lines.extend(f"  - {item}" for item in model.scope.out)
    if model.partners:
        shown = ", ".join(model.partners[:4])
        more = ", …" if len(model.partners) > 4 else ""
        summary.lines.append(message("wf_demo_partners", n=len(model.partners),
                                     names=f"{shown}{more}"))
    for what, body in model.decides.items():
        summary.lines.append(message("wf_demo_decides", what=what, body=body))
    summary.commands.append("studsa render uppdragsbeskrivning")
    return summary


def summarize_identifiera(ws: Workspace) -> PhaseSummary:
    """Phase 2: themes with their challenge counts, and the evidence behind them."""
    model = ws.karta.model
    summary = PhaseSummary("2", "identifiera", "utmaningskarta", ws.karta.display)
    per_theme = Counter(c.theme for c in model.challenges)
    summary.lines.append(message("wf_demo_challenges_in_themes",
                                 challenges=count("cli_n_challenges", len(model.challenges)),
                                 themes=count("wf_demo_themes", len(model.themes))))
    for theme in model.themes:
        summary.lines.append(f"  {theme.title}: {per_theme.get(theme.id, 0)}")
    kinds = Counter(s.kind for s in model.sources)
    summary.lines.append(message("wf_demo_evidence", external=kinds.get("narvarld", 0),
                                 internal=kinds.get("invarld", 0)))
    examples = sum(1 for c in model.challenges if c.example)
    if examples:
        summary.lines.append(count("wf_demo_examples", examples))
    summary.commands.extend(["studsa challenge list", "studsa source list"])
    return summary


def summarize_prioritera(ws: Workspace) -> PhaseSummary:
    """Phase 3: criteria, raters, the computed ranking and the presidium's selection."""
    model = ws.strategi.model
    summary = PhaseSummary("3", "prioritera", "strategi", ws.strategi.display)
    summary.lines.append(count("wf_demo_criteria", len(model.criteria)))
    summary.lines.extend(f"  {c.title}" for c in model.criteria)
    selection = model.selection
    selected = list(selection.challenges) if selection else []
    titles = {c.id: c.title for c in ws.karta.model.challenges}
    _ranking(ws, summary)
    if selection is not None:
        where = f" ({selection.made_at})" if selection.made_at else ""
        summary.after.append(message("wf_demo_selected", where=where))
        summary.after.extend(f"  {titles.get(cid, cid)}" for cid in selected)
        for cid, why in sorted(selection.why.items()):
            summary.after.append(message("wf_demo_why", title=titles.get(cid, cid),
                                         why=" ".join(why.split())))
    summary.commands.extend(["studsa score", "studsa score --sensitivity"])
    return summary


def _ranking(ws: Workspace, summary: PhaseSummary) -> None:
    """Fill the ranking from the scoring module, with its robustness verdicts."""
    report = score_project(ws, sensitivity=True)
    summary.ranking = [
        RankRow(rank=e.rank, id=e.id, title=e.title, score=e.score, selected=e.selected)
        for e in report.ranking
    ]
    summary.after.append(message("wf_demo_ranking", method=report.method,
                                 raters=count("wf_raters", len(report.raters)),
                                 share=percent(report.threshold)))
    if report.sensitivity is not None:
        summary.after.append(message("wf_demo_sensitivity", text=report.sensitivity.verdict))
    if report.stability is not None and report.stability.summary:
        summary.after.append(message("wf_demo_stability", text=report.stability.summary))
    if report.selection is not None and report.selection.deviations:
        summary.after.append(message("wf_demo_deviates",
                                     ids=and_list(report.selection.deviations)))


def summarize_placera(ws: Workspace) -> PhaseSummary:
    """Phase 4: each prioritized challenge's lead, horizon and activities, and the costs."""
    plan = ws.plan.model
    summary = PhaseSummary("4", "placera", "handlingsplan", ws.plan.display)
    names = {d.id: d.name for d in ws.project.model.departments}
    titles = {c.id: c.title for c in ws.karta.model.challenges}
    per_challenge = Counter(a.challenge for a in plan.activities)
    for placement in plan.placements:
        lead = names.get(placement.lead or "", placement.lead or message("wf_demo_no_lead"))
        helpers = and_list(names.get(d, d) for d in placement.contributes)
        line = f"  {titles.get(placement.challenge, placement.challenge)}: {lead}"
        if helpers:
            line += message("wf_demo_with", names=helpers)
        line += message("wf_demo_horizon", horizon=placement.horizon or "–")
        line += "; " + count("wf_activities", per_challenge.get(placement.challenge, 0))
        summary.lines.append(line)
    summary.lines.insert(0, count("wf_demo_placed", len(plan.placements)))
    years = sorted({a.year for a in plan.activities})
    for year in years:
        running = sum(a.cost or 0 for a in plan.activities if a.year == year and not a.investment)
        invest = sum(a.cost or 0 for a in plan.activities if a.year == year and a.investment)
        many = sum(1 for a in plan.activities if a.year == year)
        summary.lines.append(message("wf_demo_year", year=year,
                                     activities=count("wf_activities", many),
                                     operating=terminal().money(running),
                                     investment=terminal().money(invest)))
    cadences = Counter(d.cadence for d in ws.project.model.departments)
    summary.lines.append(message("wf_demo_cadences", tertial=cadences.get("tertial", 0),
                                 annual=cadences.get("annual", 0)))
    summary.commands.extend(["studsa activity list", "studsa render handlingsplan"])
    return summary


def summarize_followup(ws: Workspace) -> PhaseSummary | None:
    """Follow-up: each period's status counts (None when the project has no follow-up)."""
    docs = ws.uppfoljningar
    if not docs:
        return None
    summary = PhaseSummary("–", "uppfoljning", "lägesbild", "uppfoljning/")
    for doc in docs:
        counts = Counter(r.status for r in doc.model.reports)
        parts = ", ".join(f"{counts[s]} {s}" for s in sorted(counts))
        summary.lines.append(f"{doc.model.period}: "
                             + count("wf_demo_reports", len(doc.model.reports), parts=parts))
    summary.commands.append("studsa render lagesbild")
    return summary


def render_all(ws: Workspace, formats: list[str], result: DemoResult) -> None:
    """Render every report that has data into the project's report folder."""
    for skipped in select_reports(ws, None).skipped:
        result.notes.append(message("wf_demo_skipped", report=skipped.report,
                                    reason=skipped.reason))
    written = render_reports(ws, reports=None, formats=formats, out_dir=None,
                             warn=result.notes.append)
    result.reports = sorted((Path(p) for p in written), key=lambda p: p.as_posix())
    if result.reports:
        result.report_dir = result.reports[0].parent

