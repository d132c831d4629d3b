"""Recording assessments: ``rate`` (one challenge) and ``score import`` (a spreadsheet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError
from studsa.i18n import message
from studsa.ids import slugify
from studsa.models.bedomning import Assessment, Bedomning, RatingCell
from studsa.scoring import CriterionSpec, parse_value
from studsa.storage.layout import BEDOMNING
from studsa.storage.project import reserved_name
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import criterion_specs


class RaterFiles:
    """Finds each rater's file by name, or starts a new one named after the rater."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.docs: dict[str, Any] = {}
        self.indexes: dict[str, dict[str, Assessment]] = {}
        for doc in ws.bedomningar:
            self.docs.setdefault(str(doc.model.rater).strip(), doc)
        self.names = {doc.path.stem for doc in ws.bedomningar}
        self.touched: dict[str, Any] = {}

    def doc(self, rater: str) -> Any:
        """The rater's document (new, in memory, when the rater has no file yet)."""
        if rater not in self.docs:
            base = slugify(rater)
            if not base:
                raise UsageError(message("err_rater_file_name", rater=rater))
            name, n = base, 2
            # A name Windows keeps for a device (a rater called "CON") gets a suffix too.
            while name in self.names or reserved_name(name):
                name, n = f"{base}-{n}", n + 1
            self.names.add(name)
            model = Bedomning(schema_=BEDOMNING.schema, rater=rater)
            store = self.ws.store
            self.docs[rater] = store.new(BEDOMNING, model, store.path(BEDOMNING, name))
        return self.docs[rater]

    def assessment(self, rater: str, challenge: str) -> Assessment:
        """The rater's assessment of ``challenge`` (appended when new)."""
        doc = self.doc(rater)
        index = self.indexes.get(rater)
        if index is None:
            index = {a.challenge: a for a in doc.model.assessments}
            self.indexes[rater] = index
        if challenge not in index:
            index[challenge] = Assessment(challenge=challenge)
            doc.model.assessments.append(index[challenge])
        self.touched[rater] = doc
        return index[challenge]

    def save(self) -> list[str]:
        """Save every touched file at once (all-or-nothing stale check)."""
        return list(self.ws.save(*[self.touched[r] for r in sorted(self.touched)]))


def stored(spec: CriterionSpec, number: int) -> bool | int:
    """How a value is written to YAML: ``true``/``false`` for yes-no, else the number."""
    return bool(number) if spec.scale == "yes-no" else number


def set_value(assessment: Assessment, spec: CriterionSpec, number: int,
              sources: list[str] | None = None, comment: str | None = None) -> None:
    """Set one cell, keeping sources and comment already cited there."""
    old = assessment.values.get(spec.id)
    value = stored(spec, number)
    if isinstance(old, RatingCell) or sources or comment:
        cell = old if isinstance(old, RatingCell) else RatingCell(value=value)
        cell.value = value
        for source in sources or []:
            if source not in cell.sources:
                cell.sources.append(source)
        if comment:
            cell.comment = comment
        assessment.values[spec.id] = cell
    else:
        assessment.values[spec.id] = value


@dataclass(frozen=True)
class RateResult:
    """What ``rate`` recorded."""

    rater: str
    challenge: str
    values: dict[str, bool | int]
    file: str
    written: bool
    out_of_scope: bool = False


def _parse_pairs(pairs: list[str], specs: dict[str, CriterionSpec]) -> dict[str, int]:
    values: dict[str, int] = {}
    for pair in pairs:
        cid, sep, raw = pair.partition("=")
        cid = cid.strip()
        if not sep or not cid:
            raise UsageError(message("err_pair_shape", pair=pair))
        if cid not in specs:
            raise UsageError(message("err_unknown_criterion", cid=cid, known=", ".join(specs)))
        if cid in values:
            raise UsageError(message("err_criterion_twice", cid=cid))
        try:
            values[cid] = parse_value(specs[cid].scale, raw)
        except ValueError as err:
            raise UsageError(f"{cid}: {err}") from None
    return values


def rate(ws: Workspace, challenge: str, rater: str, pairs: list[str],
         sources: list[str] | None = None, comment: str | None = None) -> RateResult:
    """Record one rater's values for one challenge (``CRITERION=VALUE`` pairs)."""
    rater = rater.strip()
    if not rater:
        raise UsageError(message("err_rater_empty"))
    if not pairs:
        raise UsageError(message("err_rate_no_pairs"))
    specs = {s.id: s for s in criterion_specs(ws.strategi.model)}
    values = _parse_pairs(pairs, specs)
    karta = ws.karta.model
    by_id = {c.id: c for c in karta.challenges}
    if challenge not in by_id:
        raise UsageError(message("err_unknown_challenge_see", id=challenge))
    known_sources = {s.id for s in karta.sources}
    for source in sources or []:
        if source not in known_sources:
            raise UsageError(message("err_unknown_source_add", ref=source))
    files = RaterFiles(ws)
    assessment = files.assessment(rater, challenge)
    for cid, number in values.items():
        set_value(assessment, specs[cid], number, sources, (comment or "").strip() or None)
    written = files.save()
    return RateResult(rater, challenge, {k: stored(specs[k], v) for k, v in values.items()},
                      files.doc(rater).display, bool(written),
                      bool(by_id[challenge].out_of_scope))
