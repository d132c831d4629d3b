"""Reading phase-3 files into the plain data the scoring core takes."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from studsa.errors import StudsaError
from studsa.models.bedomning import RatingCell
from studsa.scoring import CriterionSpec, Key, Problem, parse_value
from studsa.storage.project import Document


@dataclass(frozen=True)
class FileProblem:
    """Something wrong at a node of an assessment file."""

    doc: Document[Any]
    loc: tuple[str | int, ...]
    message: str

    def error(self) -> StudsaError:
        """The problem as an error with ``file:line:column``."""
        from studsa.storage.locate import position

        line, column = position(self.doc.data, self.loc) if self.doc.data is not None else (
            None, None)
        return StudsaError(self.message, path=self.doc.display, line=line, column=column)


@dataclass
class Assessments:
    """Every rater's values, parsed and checked against the criteria and challenges."""

    raters: list[str] = field(default_factory=list)
    values: dict[Key, float] = field(default_factory=dict)
    cell_sources: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    challenge_sources: dict[str, set[str]] = field(default_factory=dict)
    comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    files: dict[str, Document[Any]] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)

    @cached_property
    def digest(self) -> str:
        """sha256 of every value (not comments or layout), so only real changes count.

        Computed once: the values do not change after ``load_assessments``.
        """
        return assessments_digest(self.values)


def assessments_digest(values: dict[Key, float]) -> str:
    """sha256 over sorted ``rater, challenge, criterion, value`` lines."""
    lines = sorted(f"{r}\t{c}\t{k}\t{int(v)}" for (r, c, k), v in values.items())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def criterion_specs(strategi: Any) -> list[CriterionSpec]:
    """The strategi's criteria as the core needs them."""
    return [CriterionSpec(c.id, c.scale, float(c.weight)) for c in strategi.criteria]


def cell_value(raw: Any) -> tuple[Any, list[str], str | None]:
    """The value, sources and comment of a cell written plainly or as a mapping."""
    if isinstance(raw, RatingCell):
        return raw.value, list(raw.sources), raw.comment
    return raw, [], None


def load_assessments(docs: Sequence[Document[Any]], criteria: Sequence[CriterionSpec],
                     challenges: set[str]) -> Assessments:
    """Parse every rater file; values with unknown ids or off the scale become problems."""
    found = Assessments()
    scales = {c.id: c.scale for c in criteria}
    for doc in docs:
        rater = str(doc.model.rater).strip()
        if not rater:
            found.problems.append(FileProblem(doc, ("rater",), "the rater's name is empty"))
            continue
        if rater in found.files:
            other = found.files[rater].display
            found.problems.append(FileProblem(
                doc, ("rater",), f"rater {rater!r} also has the file {other}; merge them"))
            continue
        found.files[rater] = doc
        found.raters.append(rater)
        _load_file(found, doc, rater, scales, challenges)
    found.raters.sort()
    return found


def _load_file(found: Assessments, doc: Document[Any], rater: str, scales: dict[str, str],
               challenges: set[str]) -> None:
    seen: set[str] = set()
    # The same few answers (true, "ja", 2) repeat: parse each once per criterion and type.
    parsed: dict[tuple[str, type, Any], int] = {}
    values = found.values
    for i, assessment in enumerate(doc.model.assessments):
        cid = assessment.challenge
        if cid not in challenges:
            found.problems.append(FileProblem(
                doc, ("assessments", i, "challenge"),
                f"unknown challenge {cid!r} (not in the utmaningskarta)"))
            continue
        if cid in seen:
            found.problems.append(FileProblem(
                doc, ("assessments", i, "challenge"),
                f"challenge {cid!r} is assessed twice by {rater!r}"))
            continue
        seen.add(cid)
        if assessment.sources:
            found.challenge_sources.setdefault(cid, set()).update(assessment.sources)
        for crit, raw in assessment.values.items():
            cell = raw.__class__ is RatingCell  # a value with sources or a comment (rare)
            value = raw.value if cell else raw
            key = (crit, value.__class__, value)
            number = parsed.get(key)
            if number is None:
                loc: tuple[str | int, ...] = ("assessments", i, "values", crit)
                if crit not in scales:
                    found.problems.append(FileProblem(doc, loc, f"unknown criterion {crit!r}"))
                    continue
                try:
                    number = parsed[key] = parse_value(scales[crit], value)
                except ValueError as err:
                    found.problems.append(FileProblem(
                        doc, loc, f"{err} (challenge {cid!r}, criterion {crit!r})"))
                    continue
            values[(rater, cid, crit)] = number
            if cell:
                _, sources, comment = cell_value(raw)
                if sources:
                    found.cell_sources.setdefault((cid, crit), set()).update(sources)
                if comment:
                    found.comments.setdefault((cid, crit), []).append(f"{rater}: {comment}")


def build_problem(strategi: Any, challenges: Sequence[str], found: Assessments) -> Problem:
    """The scoring problem for the in-scope ``challenges``."""
    agg = strategi.aggregation
    return Problem(challenges, criterion_specs(strategi), found.raters, found.values,
                   float(agg.yes_no_threshold), agg.numeric)
