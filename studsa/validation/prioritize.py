"""Phase 3 checks: criteria, assessment references and values, the selection."""

from __future__ import annotations

from typing import Any

from studsa.validation import Findings


def _check_criteria(doc: Any, findings: Findings) -> None:
    seen: set[str] = set()
    for i, criterion in enumerate(doc.model.criteria):
        if criterion.id in seen:
            findings.at(doc, ["criteria", i, "id"], f"criterion id {criterion.id!r} is used twice")
        seen.add(criterion.id)


def _check_sources(docs: list[Any], known: set[str], findings: Findings) -> None:
    from studsa.workflow.prioritize.load import cell_value

    for doc in docs:
        for i, assessment in enumerate(doc.model.assessments):
            for j, source in enumerate(assessment.sources):
                if source not in known:
                    findings.at(doc, ["assessments", i, "sources", j],
                                f"unknown source {source!r} (not in the utmaningskarta)")
            for crit, raw in assessment.values.items():
                if isinstance(raw, (str, int, float)):
                    continue  # a plain value carries no sources
                for j, source in enumerate(cell_value(raw)[1]):
                    if source not in known:
                        findings.at(doc, ["assessments", i, "values", crit, "sources", j],
                                    f"unknown source {source!r} (not in the utmaningskarta)")


def _check_selection(ws: Any, found: Any, findings: Findings) -> None:
    from studsa.workflow.prioritize.selection import selection_view

    doc = ws.strategi
    selection = doc.model.selection
    if selection is None:
        return
    challenges = {c.id: c for c in ws.karta.model.challenges}
    seen: set[str] = set()
    for i, cid in enumerate(selection.challenges):
        loc = ["selection", "challenges", i]
        if cid not in challenges:
            findings.at(doc, loc, f"selected challenge {cid!r} is not in the utmaningskarta")
        elif challenges[cid].out_of_scope:
            findings.at(doc, loc, f"selected challenge {cid!r} is marked out of scope")
        if cid in seen:
            findings.at(doc, loc, f"challenge {cid!r} is selected twice")
        seen.add(cid)
    for cid in selection.why:
        if cid not in seen:
            findings.at(doc, ["selection", "why", cid],
                        f"a reason is given for {cid!r}, which is not selected", "warning")
    view = selection_view(doc.model, found, None)
    if view is None:
        return
    for cid in view.missing_reasons:
        findings.at(doc, ["selection", "challenges"],
                    f"{cid!r} is selected although it ranked below an unselected challenge; "
                    f"record why (`studsa select … --why {cid}=TEXT`)")
    if view.stale:
        findings.at(doc, ["selection", "assessments_sha256"],
                    "selection made on older assessments: they changed after `studsa select`",
                    "warning")


def check(ws: Any, findings: Findings) -> None:
    """Add phase 3 findings: ids unique, references resolve, values on scale, selection."""
    from studsa.workflow.prioritize.load import criterion_specs, load_assessments

    strategi = ws.strategi
    karta = ws.karta.model
    _check_criteria(strategi, findings)
    docs = ws.bedomningar
    found = load_assessments(docs, criterion_specs(strategi.model),
                             {c.id for c in karta.challenges})
    for problem in found.problems:
        findings.at(problem.doc, list(problem.loc), problem.message)
    _check_sources(docs, {s.id for s in karta.sources}, findings)
    _check_selection(ws, found, findings)
