"""Rater files read from the parse cache give exactly what reading them afresh gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studsa.storage import parsecache
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import (
    Assessments,
    FileValues,
    assessments_digest,
    criterion_specs,
    load_assessments,
)


@pytest.fixture
def cache(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(parsecache, "MIN_BYTES", 0)  # the example's small files too
    return cache_home


def _load(root: Path) -> Assessments:
    ws = Workspace.open(root)
    strategi, karta = ws.strategi.model, ws.karta.model
    return load_assessments(ws.bedomningar, criterion_specs(strategi),
                            {c.id for c in karta.challenges})


def _facts(found: Assessments) -> tuple[object, ...]:
    return (found.raters, found.values, found.cell_sources, found.challenge_sources,
            found.comments, sorted(found.files), found.digest, len(found.problems))


def test_warm_reads_equal_cold_ones(cache: Path, example_project: Path) -> None:
    cold = _load(example_project)
    assert cold.comments and cold.cell_sources  # the example has both
    assert any(p.name.endswith(".pickle") for p in cache.rglob("*"))
    warm = _load(example_project)
    assert _facts(warm) == _facts(cold)
    assert warm.digest == assessments_digest(warm.values)
    # the rater files' models were not needed
    assert all(doc.__dict__.get("_model_loader") for doc in warm.files.values())


def test_a_file_with_a_problem_is_not_kept(cache: Path, example_project: Path) -> None:
    path = example_project / "3-prioritera" / "bedomningar" / "strateg.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("challenge: ", "challenge: okand-", 1), encoding="utf-8")
    first = _load(example_project)
    assert first.problems
    again = _load(example_project)
    assert [p.message for p in again.problems] == [p.message for p in first.problems]


def test_other_criteria_are_not_served_from_the_cache(cache: Path, example_project: Path
                                                      ) -> None:
    _load(example_project)  # fills the cache for the full set of challenges
    ws = Workspace.open(example_project)
    specs = criterion_specs(ws.strategi.model)
    challenges = {c.id for c in ws.karta.model.challenges}
    fewer = load_assessments(ws.bedomningar, specs, challenges - {sorted(challenges)[0]})
    assert fewer.problems  # an assessed challenge is now unknown: not a cached answer


_NAMES = st.text(alphabet=st.sampled_from(["a", "b", "A", "ö", " ", "\t", "\x01", "-"]),
                 min_size=1, max_size=4)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_NAMES, st.lists(st.tuples(st.sampled_from(["c1", "c2", "c10"]),
                                                  st.sampled_from(["k", "k2"]),
                                                  st.integers(0, 3)),
                                        max_size=6, unique_by=lambda t: (t[0], t[1])),
                       max_size=5))
def test_the_digest_from_blocks_equals_the_digest_of_all_lines(
        files: dict[str, list[tuple[str, str, int]]]) -> None:
    found = Assessments()
    for rater, cells in files.items():
        part = FileValues(rater, [c for c, _, _ in cells], [k for _, k, _ in cells],
                          [n for _, _, n in cells])
        part.block = "\n".join(sorted(f"{rater}\t{c}\t{k}\t{n}" for c, k, n in cells))
        found.raters.append(rater)
        found.add(part)
    assert found.digest == assessments_digest(found.values)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["Anna", "Bo", "Cia", "Dan"]),
                       st.lists(st.tuples(st.sampled_from(["c1", "c2", "c3", "zz"]),
                                          st.sampled_from(["k", "k2", "other"]),
                                          st.integers(0, 1)),
                                max_size=8, unique_by=lambda t: (t[0], t[1])),
                       min_size=1, max_size=4))
def test_columns_hold_the_same_values_and_matrix_as_a_dict(
        files: dict[str, list[tuple[str, str, int]]]) -> None:
    from studsa.scoring import CriterionSpec, Problem
    from studsa.scoring.model import to_matrix

    found = Assessments()
    plain: dict[tuple[str, str, str], float] = {}
    for rater, cells in files.items():
        found.add(FileValues(rater, [c for c, _, _ in cells], [k for _, k, _ in cells],
                             [n for _, _, n in cells]))
        plain.update({(rater, c, k): n for c, k, n in cells})
    assert dict(found.values.items()) == plain
    assert len(found.values) == len(plain)
    assert all(found.values[key] == value for key, value in plain.items())
    assert ("nobody", "c1", "k") not in found.values
    raters = sorted(files)
    criteria = [CriterionSpec("k"), CriterionSpec("k2")]
    challenges = ["c1", "c2", "c3"]  # "zz" and "other" are not part of the problem
    assert to_matrix(Problem(challenges, criteria, raters, found.values)) == to_matrix(
        Problem(challenges, criteria, raters, plain))
