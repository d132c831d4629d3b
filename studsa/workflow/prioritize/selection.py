"""``studsa select``: record the presidium's choice beside the ranking it was made on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError
from studsa.models.strategi import RankedEntry, Selection
from studsa.scoring import Scored
from studsa.workflow.prioritize.load import Assessments


@dataclass(frozen=True)
class SelectResult:
    """What ``select`` recorded."""

    selection: Selection
    deviations: list[str]
    file: str
    written: bool


def _deviations(order: list[tuple[str, int]], chosen: set[str]) -> list[str]:
    from studsa.workflow.prioritize.report import deviations

    return deviations(order, chosen)


def selection_view(strategi: Any, found: Assessments, scored: Scored | None) -> Any:
    """The recorded selection with its staleness and deviations, or None."""
    from studsa.workflow.prioritize.report import SelectionView

    sel = strategi.selection
    if sel is None or not sel.challenges:
        return None
    if sel.ranking:
        order = [(e.id, e.rank) for e in sel.ranking]
    elif scored is not None:
        order = [(e.id, e.rank) for e in scored.ranking]
    else:
        order = []
    devs = _deviations(order, set(sel.challenges))
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


def select(ws: Any, ids: list[str], rationale: str | None = None,
           why: dict[str, str] | None = None, made_at: str | None = None,
           method: str | None = None, allow_missing: bool = False) -> SelectResult:
    """Record the final selection; every deviation from the ranking needs a reason."""
    from studsa.workflow.prioritize.report import run_scoring

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
    devs = _deviations([(e.id, e.rank) for e in scored.ranking], seen)
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
    written = ws.save(doc)
    return SelectResult(selection, devs, doc.display, bool(written))
