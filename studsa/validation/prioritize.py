"""Phase 3 checks: criteria, the sources assessments cite, the selection."""

from __future__ import annotations

from collections.abc import Sequence

from studsa.i18n import message
from studsa.models.bedomning import Bedomning, cell_value
from studsa.models.strategi import Strategi
from studsa.models.utmaningskarta import Utmaningskarta
from studsa.storage.document import Document
from studsa.validation.findings import Findings


def check_criteria(doc: Document[Strategi], findings: Findings) -> None:
    """Criterion ids are unique."""
    seen: set[str] = set()
    for i, criterion in enumerate(doc.model.criteria):
        if criterion.id in seen:
            findings.at(doc, ["criteria", i, "id"], message("val_criterion_twice", id=criterion.id))
        seen.add(criterion.id)


def check_sources(docs: Sequence[Document[Bedomning]], known: set[str], findings: Findings
                  ) -> None:
    """Every source an assessment cites is in the utmaningskarta (``known``)."""
    for doc in docs:
        for i, assessment in enumerate(doc.model.assessments):
            for j, source in enumerate(assessment.sources):
                if source not in known:
                    findings.at(doc, ["assessments", i, "sources", j],
                                message("val_assessment_unknown_source", source=source))
            for crit, raw in assessment.values.items():
                if isinstance(raw, (str, int, float)):
                    continue  # a plain value carries no sources
                for j, source in enumerate(cell_value(raw)[1]):
                    if source not in known:
                        findings.at(doc, ["assessments", i, "values", crit, "sources", j],
                                    message("val_assessment_unknown_source", source=source))


def check_selection(doc: Document[Strategi], karta: Utmaningskarta,
                    missing_reasons: Sequence[str], stale: bool, findings: Findings) -> None:
    """The selected challenges exist, are in scope, are named once; deviations have reasons.

    ``missing_reasons`` are the selected challenges ranked below an unselected one with no
    recorded reason; ``stale`` says the assessments changed after the selection (both from
    ``workflow.prioritize.selection_view``).
    """
    selection = doc.model.selection
    if selection is None:
        return
    challenges = {c.id: c for c in karta.challenges}
    seen: set[str] = set()
    for i, cid in enumerate(selection.challenges):
        loc: list[str | int] = ["selection", "challenges", i]
        if cid not in challenges:
            findings.at(doc, loc, message("val_selected_unknown", id=cid))
        elif challenges[cid].out_of_scope:
            findings.at(doc, loc, message("val_selected_out_of_scope", id=cid))
        if cid in seen:
            findings.at(doc, loc, message("val_selected_twice", id=cid))
        seen.add(cid)
    for cid in selection.why:
        if cid not in seen:
            findings.at(doc, ["selection", "why", cid],
                        message("val_reason_not_selected", id=cid), "warning")
    for cid in missing_reasons:
        findings.at(doc, ["selection", "challenges"],
                    message("val_selected_below", id=cid))
    if selection.challenges and selection.method not in (None, doc.model.method):
        # Every view ranks by the selection's method; the file must not say another.
        findings.at(doc, ["method"], message("method_method_disagrees",
                                             selection=selection.method,
                                             method=doc.model.method))
    if stale:
        findings.at(doc, ["selection", "assessments_sha256"],
                    message("val_selection_stale"),
                    "warning")

