"""The scoring core: hand-computed tables, properties, and an independent cross-check."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studsa.scoring import (
    CriterionSpec,
    MissingValuesError,
    Problem,
    borda_points,
    competition_ranking,
    disagreement,
    parse_value,
    score,
    sensitivity,
    stability,
    top_set,
)

YN = [CriterionSpec(c) for c in ("f", "e", "s", "q")]


def problem(table: dict[str, dict[str, list[float]]], criteria=YN, threshold=0.5,
            numeric="median") -> Problem:
    """``table[challenge][criterion]`` = one value per rater (raters r0, r1, …)."""
    n = len(next(iter(next(iter(table.values())).values())))
    raters = [f"r{i}" for i in range(n)]
    values = {
        (raters[i], cid, crit): v
        for cid, row in table.items() for crit, vals in row.items()
        for i, v in enumerate(vals) if v is not None
    }
    return Problem(list(table), list(criteria), raters, values, threshold, numeric)


def ranks(result) -> list[tuple[str, int, float]]:
    return [(e.id, e.rank, e.score) for e in result.ranking]


# --- hand-computed tables --------------------------------------------------------------
COUNT_CASES = [
    # one rater, 1, 2, 2, 4 with the tie listed by id
    (
        {"d": {"f": [1], "e": [0], "s": [0], "q": [0]},
         "c": {"f": [1], "e": [1], "s": [0], "q": [0]},
         "a": {"f": [1], "e": [1], "s": [1], "q": [0]},
         "b": {"f": [0], "e": [1], "s": [0], "q": [1]}},
        0.5,
        [("a", 1, 3.0), ("b", 2, 2.0), ("c", 2, 2.0), ("d", 4, 1.0)],
    ),
    # three raters: 2 of 3 meets at ½, 1 of 3 does not
    (
        {"x": {"f": [1, 1, 0], "e": [1, 0, 0], "s": [1, 1, 1], "q": [0, 0, 0]},
         "y": {"f": [0, 1, 0], "e": [0, 1, 1], "s": [0, 0, 1], "q": [1, 1, 0]},
         "z": {"f": [1, 1, 1], "e": [1, 1, 1], "s": [1, 1, 1], "q": [1, 1, 1]}},
        0.5,
        [("z", 1, 4.0), ("x", 2, 2.0), ("y", 2, 2.0)],
    ),
    # a ⅔ threshold: 2 of 3 (0.667) meets ⅔ but not 0.7
    (
        {"x": {"f": [1, 1, 0], "e": [1, 1, 0], "s": [1, 1, 1], "q": [0, 0, 0]},
         "y": {"f": [1, 1, 1], "e": [0, 0, 0], "s": [0, 0, 0], "q": [0, 0, 0]}},
        0.7,
        [("x", 1, 1.0), ("y", 1, 1.0)],
    ),
    # two raters split 1:1 meet at ½ (at least half say yes)
    (
        {"x": {"f": [1, 0], "e": [0, 1], "s": [0, 0], "q": [0, 0]},
         "y": {"f": [1, 1], "e": [0, 0], "s": [0, 0], "q": [0, 0]}},
        0.5,
        [("x", 1, 2.0), ("y", 2, 1.0)],
    ),
]


@pytest.mark.parametrize(("table", "threshold", "expected"), COUNT_CASES)
def test_count_by_hand(table, threshold, expected) -> None:
    assert ranks(score(problem(table, threshold=threshold))) == expected


NUM = [CriterionSpec("yn", "yes-no", 2.0), CriterionSpec("k", "0-3", 1.0),
       CriterionSpec("l", "1-5", 0.5)]


@pytest.mark.parametrize(
    ("numeric", "method", "expected"),
    [
        # a: yn 2/3 met; k [0,3,3] median 3 mean 2; l [1,5,5] median 5 mean 11/3
        # b: yn 1/3 not met; k [1,2,2] median 2 mean 5/3; l [3,3,4] median 3 mean 10/3
        # c: yn met; k [0,0,3] median 0 mean 1; l [1,1,2] median 1 mean 4/3
        ("median", "count", [("a", 1, 3.0), ("b", 2, 2.0), ("c", 3, 1.0)]),
        ("mean", "count", [("a", 1, 3.0), ("b", 2, 2.0), ("c", 3, 1.0)]),
        # weighted median: a 2 + 1 + 0.5 = 3.5; b 0 + 2/3 + 0.25 = 0.916…; c 2 + 0 + 0 = 2
        ("median", "weighted", [("a", 1, 3.5), ("c", 2, 2.0), ("b", 3, 0.916666667)]),
        # weighted mean: a 2 + 2/3 + 0.5·(8/3)/4; b 0 + 5/9 + 0.5·(7/3)/4; c 2 + 1/3 + 0.5·(1/3)/4
        ("mean", "weighted", [("a", 1, 3.0), ("c", 2, 2.375), ("b", 3, 0.847222222)]),
    ],
)
def test_numeric_and_weighted_by_hand(numeric, method, expected) -> None:
    table = {
        "a": {"yn": [1, 1, 0], "k": [0, 3, 3], "l": [1, 5, 5]},
        "b": {"yn": [1, 0, 0], "k": [1, 2, 2], "l": [3, 3, 4]},
        "c": {"yn": [1, 1, 1], "k": [0, 0, 3], "l": [1, 1, 2]},
    }
    got = ranks(score(problem(table, NUM, numeric=numeric), method))
    assert [(i, r) for i, r, _ in got] == [(i, r) for i, r, _ in expected]
    for (_, _, s), (_, _, e) in zip(got, expected, strict=True):
        assert s == pytest.approx(e, abs=1e-6)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        # r0 own: a 2, b 1, c 0 → a 2, b 1, c 0; r1 own: a 0, b 2, c 2 → a 0, b 1.5, c 1.5
        ({"a": {"f": [1, 0], "e": [1, 0]}, "b": {"f": [1, 1], "e": [0, 1]},
          "c": {"f": [0, 1], "e": [0, 1]}},
         [("b", 1, 2.5), ("a", 2, 2.0), ("c", 3, 1.5)]),
        # unanimous: each rater a > b = c > d; ties share points: a 3, b 1.5, c 1.5, d 0
        ({"a": {"f": [1, 1], "e": [1, 1]}, "b": {"f": [1, 1], "e": [0, 0]},
          "c": {"f": [0, 0], "e": [1, 1]}, "d": {"f": [0, 0], "e": [0, 0]}},
         [("a", 1, 6.0), ("b", 2, 3.0), ("c", 2, 3.0), ("d", 4, 0.0)]),
    ],
)
def test_borda_by_hand(table, expected) -> None:
    crits = [CriterionSpec("f"), CriterionSpec("e")]
    assert ranks(score(problem(table, crits), "borda")) == expected


def test_borda_points_share_ties() -> None:
    assert borda_points({"a": 1, "b": 1, "c": 0}) == {"c": 0, "a": 1.5, "b": 1.5}


def test_competition_ranking_lists_ties_by_id() -> None:
    got = competition_ranking({"z": 2, "b": 3, "a": 2, "c": 0.1 + 0.2, "d": 0.3})
    assert [(e.id, e.rank) for e in got] == [("b", 1), ("a", 2), ("z", 2), ("c", 4), ("d", 4)]


@pytest.mark.parametrize(
    ("scale", "raw", "expected"),
    [("yes-no", "Ja", 1), ("yes-no", "nej", 0), ("yes-no", "TRUE", 1), ("yes-no", "no", 0),
     ("yes-no", True, 1), ("yes-no", "0", 0), ("0-3", "3", 3), ("0-3", "2,0", 2),
     ("1-5", " 5 ", 5)],
)
def test_parse_value(scale, raw, expected) -> None:
    assert parse_value(scale, raw) == expected


@pytest.mark.parametrize(("scale", "raw"), [("yes-no", "kanske"), ("yes-no", "2"),
                                           ("0-3", "4"), ("1-5", "0"), ("0-3", "1.5"),
                                           ("1-5", "ja"), ("0-3", True)])
def test_parse_value_refuses_off_scale(scale, raw) -> None:
    with pytest.raises(ValueError, match=r"scale|yes/no"):
        parse_value(scale, raw)


def test_missing_is_an_error_naming_rater_challenge_criterion() -> None:
    p = problem({"a": {"f": [1, None], "e": [1, 1]}, "b": {"f": [0, 0], "e": [None, 1]}},
                [CriterionSpec("f"), CriterionSpec("e")])
    with pytest.raises(MissingValuesError, match="rater 'r0' has no value for challenge 'b', "
                       "criterion 'e' \\(and 1 more\\)"):
        score(p)
    allowed = score(p, allow_missing=True)
    # missing counts as "no": a f 1/2 met, e 2/2 met; b f 0/2, e 1/2 met
    assert ranks(allowed) == [("a", 1, 2.0), ("b", 2, 1.0)]
    assert len(allowed.missing) == 2


# --- properties ------------------------------------------------------------------------
@st.composite
def problems(draw, scales=("yes-no", "0-3", "1-5"), weights=True):
    n = draw(st.integers(2, 7))
    r = draw(st.integers(1, 4))
    crits = [
        CriterionSpec(f"k{i}", draw(st.sampled_from(scales)),
                      draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])) if weights else 1.0)
        for i in range(draw(st.integers(1, 4)))
    ]
    challenges = [f"c{i}" for i in range(n)]
    raters = [f"r{i}" for i in range(r)]
    values = {
        (rr, c, k.id): draw(st.integers(k.low, k.high))
        for rr in raters for c in challenges for k in crits
    }
    return Problem(challenges, crits, raters, values,
                   draw(st.sampled_from([0.5, 0.6, 1.0])), draw(st.sampled_from(["median",
                                                                                "mean"])))


METHODS = st.sampled_from(["count", "weighted", "borda"])


@settings(max_examples=150, deadline=None)
@given(problems(), METHODS, st.randoms(use_true_random=False))
def test_permutation_invariance(p: Problem, method: str, rnd: random.Random) -> None:
    challenges, raters = list(p.challenges), list(p.raters)
    rnd.shuffle(challenges)
    rnd.shuffle(raters)
    shuffled = Problem(challenges, p.criteria, raters, p.values, p.threshold, p.numeric)
    assert ranks(score(shuffled, method)) == ranks(score(p, method))


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(["count", "weighted"]), st.data())
def test_monotonic_meeting_more_never_lowers_rank(p: Problem, method: str, data) -> None:
    before = score(p, method).ranks
    challenge = data.draw(st.sampled_from(list(p.challenges)))
    crit = data.draw(st.sampled_from(list(p.criteria)))
    rater = data.draw(st.sampled_from(list(p.raters)))
    values = dict(p.values)
    old = values[(rater, challenge, crit.id)]
    values[(rater, challenge, crit.id)] = data.draw(st.integers(old, crit.high))
    raised = Problem(p.challenges, p.criteria, p.raters, values, p.threshold, p.numeric)
    assert score(raised, method).ranks[challenge] <= before[challenge]


@settings(max_examples=150, deadline=None)
@given(problems(), METHODS, st.data())
def test_ties_are_symmetric(p: Problem, method: str, data) -> None:
    a, b = data.draw(st.lists(st.sampled_from(list(p.challenges)), min_size=2, max_size=2,
                              unique=True))
    values = dict(p.values)
    for rater in p.raters:
        for crit in p.criteria:
            values[(rater, b, crit.id)] = values[(rater, a, crit.id)]
    twin = score(Problem(p.challenges, p.criteria, p.raters, values, p.threshold,
                         p.numeric), method)
    by_id = {e.id: e for e in twin.ranking}
    assert by_id[a].rank == by_id[b].rank
    assert by_id[a].score == by_id[b].score


@settings(max_examples=150, deadline=None)
@given(problems(scales=("yes-no",), weights=False))
def test_weighted_equals_count_with_unit_weights_and_yes_no(p: Problem) -> None:
    assert ranks(score(p, "weighted")) == ranks(score(p, "count"))


# --- independent implementation (pymcdm) ------------------------------------------------
@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("seed", range(25))
def test_weighted_sum_matches_pymcdm(seed: int) -> None:
    np = pytest.importorskip("numpy")
    methods = pytest.importorskip("pymcdm.methods")
    normalizations = pytest.importorskip("pymcdm.normalizations")
    rnd = random.Random(seed)
    crits = [CriterionSpec(f"k{i}", rnd.choice(["0-3", "1-5", "yes-no"]),
                           rnd.choice([0.5, 1.0, 1.5, 2.0, 4.0])) for i in range(rnd.randint(2, 5))]
    challenges = [f"c{i:02d}" for i in range(rnd.randint(4, 30))]
    values = {("r", c, k.id): rnd.randint(k.low, k.high) for c in challenges for k in crits}
    mine = score(Problem(challenges, crits, ["r"], values), "weighted")
    # pymcdm's min-max normalisation over a matrix with the two scale extremes added
    # reproduces "normalised to 0..1 on its scale".
    rows = [[values[("r", c, k.id)] for k in crits] for c in challenges]
    rows += [[k.low for k in crits], [k.high for k in crits]]
    wsm = methods.WSM(normalization_function=normalizations.minmax_normalization)
    weights = np.array([k.weight for k in crits]) / sum(k.weight for k in crits)
    prefs = wsm(np.array(rows, dtype=float), weights, np.ones(len(crits)))[:-2]
    theirs = {c: round(float(p) * sum(k.weight for k in crits), 6)
              for c, p in zip(challenges, prefs, strict=True)}
    expected = competition_ranking(theirs)
    assert [(e.id, e.rank) for e in mine.ranking] == [(e.id, e.rank) for e in expected]


# --- sensitivity, stability, disagreement ------------------------------------------------
def test_sensitivity_names_what_breaks_the_top() -> None:
    table = {
        "a": {"f": [1], "e": [1], "s": [1], "q": [0]},
        "b": {"f": [1], "e": [1], "s": [0], "q": [0]},
        "c": {"f": [0], "e": [0], "s": [1], "q": [1]},
        "d": {"f": [0], "e": [0], "s": [0], "q": [1]},
    }
    result = sensitivity(score(problem(table)), 2)
    assert not result.robust
    without_e = next(c for c in result.cases if c.criterion == "e")
    # a 3, b 2, c 2 (tied at the cut), d 1; without e: a 2, c 2, b 1, d 1
    assert without_e.top_changed and without_e.entered == () and without_e.left == ("b",)
    assert "without e (out: b)" in result.verdict
    dominant = {**table, "a": {"f": [1], "e": [1], "s": [1], "q": [1]}}
    weighted = sensitivity(score(problem(dominant), "weighted"), 1)
    assert len(weighted.cases) == 12
    assert weighted.robust
    assert weighted.verdict == "top 1 robust to every single change (12 checked)"


def _brute_min_flips(p: Problem, method: str, top: int, depth: int) -> int | None:
    base = top_set(score(p, method).ranking, top)
    options = []
    for key, value in sorted(p.values.items()):
        crit = next(c for c in p.criteria if c.id == key[2])
        options.extend((key, v) for v in range(crit.low, crit.high + 1) if v != value)
    for size in range(1, depth + 1):
        for combo in itertools.combinations(options, size):
            if len({k for k, _ in combo}) < size:
                continue
            values = dict(p.values)
            values.update(dict(combo))
            changed = Problem(p.challenges, p.criteria, p.raters, values, p.threshold,
                              p.numeric)
            if top_set(score(changed, method).ranking, top) != base:
                return size
    return None


@settings(max_examples=40, deadline=None)
@given(problems(scales=("yes-no", "yes-no", "0-3")), st.sampled_from(["count", "weighted"]),
       st.integers(1, 3))
def test_stability_matches_brute_force(p: Problem, method: str, top: int) -> None:
    if sum(len(range(c.low, c.high)) for c in p.criteria) * len(p.challenges) * len(
            p.raters) > 60:
        return  # keep the brute force small
    scored = score(p, method)
    result = stability(scored, top)
    if len(top_set(scored.ranking, top)) == len(p.challenges):
        assert result.min_flips is None
        return
    brute = _brute_min_flips(p, method, top, 2)
    if brute is not None:
        assert result.min_flips == brute
    else:
        assert result.min_flips is None or result.min_flips >= 3
    if result.min_flips is not None:
        values = dict(p.values)
        for flip in result.flips:
            values[(flip.rater, flip.challenge, flip.criterion)] = flip.new
        assert len(result.flips) == result.min_flips
        changed = score(Problem(p.challenges, p.criteria, p.raters, values, p.threshold,
                                p.numeric), method)
        after = top_set(changed.ranking, top)
        assert after != top_set(scored.ranking, top)
        assert (set(result.entered), set(result.left)) == (
            after - top_set(scored.ranking, top), top_set(scored.ranking, top) - after)


def test_stability_reports_tie_at_the_cut_and_a_swap() -> None:
    table = {
        "a": {"f": [1, 1, 1], "e": [1, 1, 1], "s": [1, 1, 1], "q": [0, 0, 0]},
        "b": {"f": [1, 1, 0], "e": [1, 1, 0], "s": [0, 0, 0], "q": [0, 0, 0]},
        "c": {"f": [1, 1, 1], "e": [1, 0, 0], "s": [0, 0, 0], "q": [0, 0, 0]},
        "d": {"f": [0, 0, 0], "e": [0, 0, 0], "s": [0, 0, 0], "q": [0, 0, 0]},
    }
    result = stability(score(problem(table)), 2)
    assert result.cut_tie == () and result.cut_rank == 2
    # b (2) over c (1): one flip makes c's evidens 2/3 → tie → c enters
    assert result.min_flips == 1
    assert result.summary in {"1 flipped verdict would bring c into the top 2 (as a tie)",
                              "1 flipped verdict would push b out of the top 2"}
    tied = stability(score(problem({**table, "c": table["b"]})), 2)
    assert tied.cut_tie == ("b", "c") and tied.straddles  # a, b, c hold 2 places


def test_disagreement_orders_by_minority_share_then_spread() -> None:
    crits = [CriterionSpec("f"), CriterionSpec("k", "0-3")]
    table = {"a": {"f": [1, 1, 0, 0], "k": [0, 0, 0, 3]},
             "b": {"f": [1, 1, 1, 0], "k": [1, 2, 2, 2]}}
    cells = disagreement(score(problem(table, crits)))
    assert [(d.challenge, d.criterion, round(d.level, 3)) for d in cells] == [
        ("a", "f", 1.0), ("a", "k", 1.0), ("b", "f", 0.5), ("b", "k", 0.333)]


def test_scoring_scales_linearly_and_fast() -> None:
    import time

    rnd = random.Random(7)
    raters = [f"r{i}" for i in range(20)]
    challenges = [f"c{i:04d}" for i in range(1000)]
    values = {(r, c, k.id): rnd.randint(0, 1) for r in raters for c in challenges for k in YN}
    start = time.perf_counter()
    result = score(Problem(challenges, YN, raters, values))
    elapsed = time.perf_counter() - start
    assert len(result.ranking) == 1000
    assert elapsed < 1.0, f"scoring 80,000 verdicts took {elapsed:.2f} s"
