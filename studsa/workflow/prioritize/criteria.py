"""Criteria: add, edit (weight, title, scale, description) and remove."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError
from studsa.i18n import count, message
from studsa.ids import new_id
from studsa.models.bedomning import cell_value
from studsa.models.strategi import Criterion, Strategi
from studsa.scoring import SCALES, CriterionSpec
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import criterion_specs, load_assessments


@dataclass(frozen=True)
class CriterionChange:
    """What a criterion command did."""

    action: str
    criterion: Criterion
    files: list[str]
    dropped_values: int = 0


def _find(strategi: Strategi, cid: str) -> Criterion:
    for criterion in strategi.criteria:
        if criterion.id == cid:
            return criterion  # type: ignore[no-any-return]
    known = ", ".join(c.id for c in strategi.criteria) or message("err_none_yet")
    raise UsageError(message("err_unknown_criterion", cid=cid, known=known))


def _scale(scale: str) -> str:
    if scale not in SCALES:
        raise UsageError(message("err_unknown_scale", scale=scale, choices=", ".join(SCALES)))
    return scale


def _weight(weight: float) -> float:
    from studsa.models.base import MAX_WEIGHT

    if not math.isfinite(weight) or weight < 0:
        raise UsageError(message("err_weight", weight=weight))
    if weight > MAX_WEIGHT:
        raise UsageError(message("err_weight_limit", weight=f"{weight:g}", limit=f"{MAX_WEIGHT:,}"))
    return float(weight)


def _title(title: str) -> str:
    text = title.strip()
    if not text:
        raise UsageError(message("err_criterion_title_empty"))
    return text


def add_criterion(ws: Workspace, title: str, cid: str | None = None, scale: str = "yes-no",
                  weight: float = 1.0, description: str | None = None) -> CriterionChange:
    """Add a criterion; its id is derived from the title unless given."""
    doc = ws.strategi
    taken = {c.id for c in doc.model.criteria}
    criterion = Criterion(id=new_id(title, cid, taken, "criterion id"), title=_title(title),
                          description=(description or "").strip() or None,
                          scale=_scale(scale),  # type: ignore[arg-type]
                          weight=_weight(weight))
    doc.model.criteria.append(criterion)
    return CriterionChange("added", criterion, ws.save(doc))


def _values_of(ws: Workspace, cid: str) -> list[tuple[Any, int, str, Any]]:
    """(doc, assessment index, challenge, raw value) of every value for criterion ``cid``."""
    found = []
    for doc in ws.bedomningar:
        for i, assessment in enumerate(doc.model.assessments):
            if cid in assessment.values:
                found.append((doc, i, assessment.challenge, assessment.values[cid]))
    return found


def edit_criterion(ws: Workspace, cid: str, weight: float | None = None, title: str | None = None,
                   scale: str | None = None, description: str | None = None) -> CriterionChange:
    """Change a criterion; a new scale is refused if any recorded value is off it."""
    doc = ws.strategi
    criterion = _find(doc.model, cid)
    if scale is not None and _scale(scale) != criterion.scale:
        specs = [CriterionSpec(cid, scale)]
        challenges = {c.id for c in ws.karta.model.challenges}
        found = load_assessments(ws.bedomningar, specs, challenges)
        bad = [p for p in found.problems if p.loc[-1:] == (cid,)]
        if bad:
            shown = "; ".join(str(p.error()) for p in bad[:3])
            more = count("err_and_more", len(bad) - 3) if len(bad) > 3 else ""
            raise UsageError(count("err_scale_change", len(bad), cid=cid, scale=scale,
                                   shown=shown, more=more),
                             hint=message("err_scale_change_hint"))
        criterion.scale = scale  # type: ignore[assignment]
    if weight is not None:
        criterion.weight = _weight(weight)
    if title is not None:
        criterion.title = _title(title)
    if description is not None:
        criterion.description = description.strip() or None
    return CriterionChange("edited", criterion, ws.save(doc))


def remove_criterion(ws: Workspace, cid: str, drop_values: bool = False) -> CriterionChange:
    """Remove a criterion; refused while assessments hold values for it unless
    ``drop_values``, which deletes those values from every rater's file too."""
    doc = ws.strategi
    criterion = _find(doc.model, cid)
    values = _values_of(ws, cid)
    if values and not drop_values:
        files = sorted({d.display for d, *_ in values})
        names = ", ".join(files[:3]) + (", …" if len(files) > 3 else "")
        raise UsageError(message("err_criterion_has_values", cid=cid,
                                 values=count("err_recorded_values", len(values)),
                                 files=count("err_rater_files", len(files), names=names)),
                         hint=message("err_criterion_has_values_hint"))
    doc.model.criteria = [c for c in doc.model.criteria if c.id != cid]
    changed = {}
    for rater_doc, i, _challenge, _raw in values:
        del rater_doc.model.assessments[i].values[cid]
        changed[rater_doc.display] = rater_doc
    written = ws.save(doc, *[changed[k] for k in sorted(changed)])
    return CriterionChange("removed", criterion, written, len(values))


def criteria_rows(ws: Workspace) -> list[dict[str, Any]]:
    """``criterion list --json``: id, title, scale, weight, description, values recorded."""
    counts: dict[str, int] = {}
    for rater_doc in ws.bedomningar:
        for assessment in rater_doc.model.assessments:
            for key, raw in assessment.values.items():
                if cell_value(raw)[0] is not None:
                    counts[key] = counts.get(key, 0) + 1
    specs = {s.id: s for s in criterion_specs(ws.strategi.model)}
    return [
        {"id": c.id, "title": c.title, "scale": c.scale, "weight": float(c.weight),
         "description": c.description, "midpoint": specs[c.id].midpoint,
         "values": counts.get(c.id, 0)}
        for c in ws.strategi.model.criteria
    ]
