"""Reading phase-3 files into the plain data the scoring core takes."""

from __future__ import annotations

import hashlib
import re
from collections.abc import ItemsView, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat
from typing import Any

from studsa.errors import StudsaError
from studsa.models.bedomning import RatingCell, cell_value
from studsa.models.strategi import Strategi
from studsa.models.utmaningskarta import Challenge, Utmaningskarta
from studsa.scoring.model import CriterionSpec, Key, Problem, parse_value
from studsa.storage.document import Document


@dataclass(frozen=True)
class FileProblem:
    """Something wrong at a node of an assessment file."""

    doc: Document[Any]
    loc: tuple[str | int, ...]
    message: str

    def error(self) -> StudsaError:
        """The problem as an error with ``file:line:column``."""
        line, column = self.doc.locate(self.loc)
        return StudsaError(self.message, path=self.doc.display, line=line, column=column)


@dataclass
class FileValues:
    """One rater file's values, parsed against the criteria and challenges (plain data)."""

    rater: str
    challenges: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    challenge_sources: dict[str, list[str]] = field(default_factory=dict)
    cell_sources: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    block: str = ""
    """The file's digest lines (``rater, challenge, criterion, value``), sorted."""


class RaterValues(Mapping[Key, float]):
    """Every rater's values as ``(rater, challenge, criterion) → value``, kept per rater
    file as the file's columns (no 80,000-key dict is built to score a large project).

    ``columns()`` gives them as the scoring core's ``to_matrix`` reads them fastest; a
    lookup by key builds a rater's index on first use.
    """

    def __init__(self) -> None:
        self._parts: dict[str, FileValues] = {}
        self._index: dict[str, dict[tuple[str, str], float]] = {}

    def add(self, part: FileValues) -> None:
        """Take in one rater file's values (a later file of the same rater replaces it)."""
        self._parts[part.rater] = part
        self._index.pop(part.rater, None)

    def columns(self) -> list[tuple[str, Sequence[str], Sequence[str], Sequence[float]]]:
        """Per rater: (rater, challenges, criteria, values), position by position."""
        return [(rater, part.challenges, part.criteria, part.numbers)
                for rater, part in self._parts.items()]

    def _lookup(self, rater: str) -> dict[tuple[str, str], float]:
        index = self._index.get(rater)
        if index is None:
            part = self._parts[rater]
            index = self._index[rater] = dict(zip(zip(part.challenges, part.criteria,
                                                      strict=True), part.numbers, strict=True))
        return index

    def __getitem__(self, key: Key) -> float:
        rater, challenge, criterion = key
        if rater not in self._parts:
            raise KeyError(key)
        return self._lookup(rater)[(challenge, criterion)]

    def __iter__(self) -> Iterator[Key]:
        for rater, part in self._parts.items():
            yield from zip(repeat(rater), part.challenges, part.criteria, strict=False)

    def __len__(self) -> int:
        return sum(len(part.numbers) for part in self._parts.values())

    def items(self) -> ItemsView[Key, float]:  # type: ignore[override]
        """Every (key, value), file by file (faster than a lookup per key)."""
        return _RaterItems(self)


class _RaterItems(ItemsView[Key, float]):
    def __init__(self, values: RaterValues) -> None:
        super().__init__(values)
        self._values = values

    def __iter__(self) -> Iterator[tuple[Key, float]]:
        for rater, challenges, criteria, numbers in self._values.columns():
            keys = zip(repeat(rater), challenges, criteria, strict=False)  # repeat: endless
            yield from zip(keys, numbers, strict=False)


@dataclass
class Assessments:
    """Every rater's values, parsed and checked against the criteria and challenges."""

    raters: list[str] = field(default_factory=list)
    values: RaterValues = field(default_factory=RaterValues)
    cell_sources: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    challenge_sources: dict[str, set[str]] = field(default_factory=dict)
    comments: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    files: dict[str, Document[Any]] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)
    blocks: dict[str, str] = field(default_factory=dict, repr=False)
    """Per rater, the sorted digest lines of their file (see ``FileValues.block``)."""

    @cached_property
    def digest(self) -> str:
        """sha256 of every value (not comments or layout), so only real changes count.

        Computed once: the values do not change after ``load_assessments``. Equal to
        ``assessments_digest(self.values)``; built from the files' sorted blocks when no
        rater's name holds a tab or control character (then every line of one rater sorts
        before every line of the next, by name).
        """
        raters = sorted(self.blocks, key=lambda rater: rater + "\t")
        if set(raters) != set(self.raters) or any(_LOW_CHAR.search(r) for r in raters):
            return assessments_digest(self.values)
        text = "\n".join(block for rater in raters if (block := self.blocks[rater]))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def add(self, part: FileValues) -> None:
        """Take in one rater's file values."""
        rater = part.rater
        self.values.add(part)
        for cid, sources in part.challenge_sources.items():
            self.challenge_sources.setdefault(cid, set()).update(sources)
        for cell, sources in part.cell_sources.items():
            self.cell_sources.setdefault(cell, set()).update(sources)
        for cell, notes in part.comments.items():
            self.comments.setdefault(cell, []).extend(notes)
        self.blocks[rater] = part.block


_LOW_CHAR = re.compile("[\x00-\t]")


def assessments_digest(values: Mapping[Key, float]) -> str:
    """sha256 over sorted ``rater, challenge, criterion, value`` lines."""
    lines = sorted(f"{r}\t{c}\t{k}\t{int(v)}" for (r, c, k), v in values.items())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def scope(karta: Utmaningskarta) -> tuple[list[str], list[tuple[str, str]], dict[str, Challenge]]:
    """In-scope challenge ids (in map order), out-of-scope (id, reason), challenges by id."""
    by_id = {c.id: c for c in karta.challenges}
    inside = [c.id for c in karta.challenges if not c.out_of_scope]
    out = sorted((c.id, str(c.out_of_scope)) for c in karta.challenges if c.out_of_scope)
    return inside, out, by_id


def criterion_specs(strategi: Strategi) -> list[CriterionSpec]:
    """The strategi's criteria as the core needs them."""
    return [CriterionSpec(c.id, c.scale, float(c.weight)) for c in strategi.criteria]


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
        found.add(_read_file(found.problems, doc, rater, scales, challenges))
    found.raters.sort()
    return found


def _read_file(problems: list[FileProblem], doc: Document[Any], rater: str,
               scales: dict[str, str], challenges: set[str]) -> FileValues:
    """One rater file's values; every problem is added to ``problems``."""
    part = FileValues(rater)
    seen: set[str] = set()
    # The same few answers (true, "ja", 2) repeat: parse each once per criterion and type.
    parsed: dict[tuple[str, type, Any], int] = {}
    cids, crits, numbers = part.challenges, part.criteria, part.numbers
    for i, assessment in enumerate(doc.model.assessments):
        cid = assessment.challenge
        if cid not in challenges:
            problems.append(FileProblem(
                doc, ("assessments", i, "challenge"),
                f"unknown challenge {cid!r} (not in the utmaningskarta)"))
            continue
        if cid in seen:
            problems.append(FileProblem(
                doc, ("assessments", i, "challenge"),
                f"challenge {cid!r} is assessed twice by {rater!r}"))
            continue
        seen.add(cid)
        if assessment.sources:
            part.challenge_sources.setdefault(cid, []).extend(assessment.sources)
        for crit, raw in assessment.values.items():
            cell = raw.__class__ is RatingCell  # a value with sources or a comment (rare)
            value = raw.value if cell else raw
            key = (crit, value.__class__, value)
            number = parsed.get(key)
            if number is None:
                loc: tuple[str | int, ...] = ("assessments", i, "values", crit)
                if crit not in scales:
                    problems.append(FileProblem(doc, loc, f"unknown criterion {crit!r}"))
                    continue
                try:
                    number = parsed[key] = parse_value(scales[crit], value)
                except ValueError as err:
                    problems.append(FileProblem(
                        doc, loc, f"{err} (challenge {cid!r}, criterion {crit!r})"))
                    continue
            cids.append(cid)
            crits.append(crit)
            numbers.append(number)
            if cell:
                _, sources, comment = cell_value(raw)
                if sources:
                    part.cell_sources.setdefault((cid, crit), []).extend(sources)
                if comment:
                    part.comments.setdefault((cid, crit), []).append(f"{rater}: {comment}")
    prefix = rater + "\t"
    part.block = "\n".join(sorted([f"{prefix}{c}\t{k}\t{int(n)}"
                                    for c, k, n in zip(cids, crits, numbers, strict=True)]))
    return part


def build_problem(strategi: Strategi, challenges: Sequence[str], found: Assessments) -> Problem:
    """The scoring problem for the in-scope ``challenges``."""
    agg = strategi.aggregation
    return Problem(challenges, criterion_specs(strategi), found.raters, found.values,
                   float(agg.yes_no_threshold), agg.numeric)
