"""``studsa select``: record the presidium's choice beside the ranking it was made on."""

from __future__ import annotations

from dataclasses import dataclass

from studsa.errors import UsageError
from studsa.models.strategi import RankedEntry, Selection, Strategi
from studsa.scoring import Scored
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import Assessments
from studsa.workflow.prioritize.ranking import run_scoring


@dataclass(frozen=True)
class SelectResult:
    """What ``select`` recorded."""

    selection: Selection
    deviations: list[str]
    file: str
    written: bool


@dataclass(frozen=True)
class SelectionView:
    """The recorded selection beside the current ranking."""

    challenges: list[str]
    rationale: str | None
    why: dict[str, str]
    made_at: str | None
    method: str | None
    stale: bool
    """The assessments changed after the selection was made."""
    deviations: list[str]
    """Selected challenges ranked below an unselected one (in the ranking it was made on)."""
    missing_reasons: list[str]


def deviations(order: list[tuple[str, int]], chosen: set[str]) -> list[str]:
    """Chosen ids ranked strictly below some unchosen id (``order`` = (id, rank))."""
    unchosen = [rank for cid, rank in order if cid not in chosen]
    best_unchosen = min(unchosen, default=None)
    if best_unchosen is None:
        return []
    return [cid for cid, rank in order if cid in chosen and rank > best_unchosen]


def selection_view(strategi: Strategi, found: Assessments, scored: Scored | None
                   ) -> SelectionView | None:
    """The recorded selection with its staleness and deviations, or None."""
    sel = strategi.selection
    if sel is None or not sel.challenges:
        return None
    if sel.ranking:
        order = [(e.id, e.rank) for e in sel.ranking]
    elif scored is not None:
        order = [(e.id, e.rank) for e in scored.ranking]
    else:
        order = []
    devs = deviations(order, set(sel.challenges))
    stale = bool(sel.assessments_sha256) and sel.assessments_sha256 != found.digest
    return SelectionView(
        challenges=list(sel.challenges), rationale=sel.rationale, why=dict(sel.why),
        made_at=sel.made_at, method=sel.method, stale=stale, deviations=devs,
        missing_reasons=[c for c in devs if not (sel.why.get(c) or "").strip()],
    )


def parse_why(items: list[str]) -> dict[str, str]:
    """``ID=TEXT`` options into a dict; a malformed or repeated one is a usage error."""
    why: dict[str, str] = {}
    for item in items:
        cid, sep, text = item.partition("=")
        cid, text = cid.strip(), text.strip()
        if not sep or not cid or not text:
            raise UsageError(f"--why {item!r} should look like ID=TEXT (a reason after '=')")
        if cid in why:
            raise UsageError(f"--why is given twice for {cid!r}")
        why[cid] = text
    return why


def select(ws: Workspace, ids: list[str], rationale: str | None = None,
           why: dict[str, str] | None = None, made_at: str | None = None,
           method: str | None = None, allow_missing: bool = False) -> SelectResult:
    """Record the final selection; every deviation from the ranking needs a reason."""
    why = dict(why or {})
    if not ids:
        raise UsageError("name at least one challenge to select")
    scored, _strategi, _karta, found, out, by_id = run_scoring(ws, method, allow_missing)
    out_ids = dict(out)
    seen: set[str] = set()
    for cid in ids:
        if cid not in by_id:
            raise UsageError(f"unknown challenge {cid!r}; see `studsa challenge list`")
        if cid in out_ids:
            raise UsageError(f"challenge {cid!r} is out of scope ({out_ids[cid]}); it cannot "
                             "be selected")
        if cid in seen:
            raise UsageError(f"challenge {cid!r} is named twice")
        seen.add(cid)
    stray = sorted(set(why) - seen)
    if stray:
        raise UsageError(f"--why is given for {', '.join(stray)}, which "
                         f"{'is' if len(stray) == 1 else 'are'} not selected")
    ranks = scored.ranks
    devs = deviations([(e.id, e.rank) for e in scored.ranking], seen)
    lacking = [c for c in devs if c not in why]
    if lacking:
        best = min(e.rank for e in scored.ranking if e.id not in seen)
        above = sorted(e.id for e in scored.ranking if e.id not in seen and e.rank == best)
        details = ", ".join(f"{c} (rank {ranks[c]})" for c in lacking)
        raise UsageError(
            f"{details} {'is' if len(lacking) == 1 else 'are'} selected although "
            f"{', '.join(above)} (rank {best}) is not; give a reason with "
            + " ".join(f"--why {c}=TEXT" for c in lacking)
        )
    selection = Selection(
        challenges=list(ids), rationale=(rationale or "").strip() or None, why=why,
        made_at=(made_at or "").strip() or None, method=scored.method,  # type: ignore[arg-type]
        ranking=[RankedEntry(id=e.id, rank=e.rank, score=e.score) for e in scored.ranking],
        assessments_sha256=found.digest,
    )
    doc = ws.strategi
    doc.model.selection = selection
    # One source of truth: the file's method is the one this selection was made on.
    doc.model.method = scored.method  # type: ignore[assignment]
    written = ws.save(doc)
    return SelectResult(selection, devs, doc.display, bool(written))
