"""Domain diff: pure functions over pairs of models."""

from __future__ import annotations

from typing import Any

import pytest

from studsa.models.handlingsplan import Activity, Handlingsplan, Placement
from studsa.models.strategi import Criterion, RankedEntry, Selection, Strategi
from studsa.models.uppdrag import Scope, Uppdragsbeskrivning
from studsa.models.utmaningskarta import Challenge, Source, Theme, Utmaningskarta
from studsa.workflow.diff import diff_models


def messages(old: Any, new: Any) -> list[str]:
    return [c.message for c in diff_models(old, new)]


def karta(**changes: Any) -> Utmaningskarta:
    base: dict[str, Any] = {
        "schema": "studsa.utmaningskarta/1",
        "themes": [Theme(id="trafikmiljo", title="Trafikmiljö"),
                   Theme(id="renhallning", title="Renhållning")],
        "sources": [Source(id="bra", title="BRÅ", kind="narvarld")],
        "challenges": [Challenge(id="trafik", title="Trafik", theme="trafikmiljo"),
                       Challenge(id="skrap", title="Skräp", theme="renhallning")],
    }
    base.update(changes)
    return Utmaningskarta(**base)


def test_identical_models_have_no_changes() -> None:
    assert diff_models(karta(), karta()) == []


def test_version_and_status_are_not_content() -> None:
    decided = karta(version=3, status="decided")
    assert diff_models(karta(), decided) == []


def test_karta_changes() -> None:
    new = karta(
        themes=[Theme(id="trafikmiljo", title="Trafik och gator")],
        sources=[Source(id="bra", title="BRÅ", kind="narvarld"),
                 Source(id="intervjuer", title="Intervjuer", kind="invarld")],
        challenges=[
            Challenge(id="trafik", title="Trafik", theme="trafikmiljo", sources=["bra"]),
            Challenge(id="skrap", title="Skräp", theme="trafikmiljo",
                      out_of_scope="fungerar redan"),
            Challenge(id="ljus", title="Belysning", theme="trafikmiljo"),
        ],
    )
    assert messages(karta(), new) == [
        "theme `renhallning` removed",
        "theme `trafikmiljo` retitled 'Trafikmiljö' → 'Trafik och gator'",
        "source `intervjuer` added",
        "challenge `trafik` sources changed (none) → bra",
        "challenge `skrap` moved from theme `renhallning` to `trafikmiljo`",
        "challenge `skrap` marked out of scope: fungerar redan",
        "challenge `ljus` added in theme `trafikmiljo`",
    ]


def strategi(**changes: Any) -> Strategi:
    base: dict[str, Any] = {
        "schema": "studsa.strategi/1",
        "criteria": [Criterion(id="forebyggande", title="Förebyggande"),
                     Criterion(id="evidens", title="Evidens")],
    }
    base.update(changes)
    return Strategi(**base)


def test_strategi_criteria_changes() -> None:
    new = strategi(criteria=[Criterion(id="forebyggande", title="Förebyggande", weight=2,
                                       scale="0-3"),
                             Criterion(id="kostnad", title="Kostnad")],
                   method="weighted")
    assert messages(strategi(), new) == [
        "strategi method changed count → weighted",
        "criterion `evidens` removed",
        "criterion `forebyggande` scale changed yes-no → 0-3",
        "criterion `forebyggande` weight changed 1 → 2",
        "criterion `kostnad` added",
    ]


def test_strategi_selection_and_ranking() -> None:
    old = strategi(selection=Selection(
        challenges=["a", "b"], rationale="Workshop 1",
        ranking=[RankedEntry(id="a", rank=1, score=4), RankedEntry(id="b", rank=2, score=3),
                 RankedEntry(id="c", rank=3, score=2)]))
    new = strategi(selection=Selection(
        challenges=["a", "c"], rationale="Workshop 1", why={"c": "presidiet"},
        ranking=[RankedEntry(id="a", rank=1, score=4), RankedEntry(id="c", rank=2, score=3),
                 RankedEntry(id="b", rank=3, score=2)]))
    assert messages(old, new) == [
        "challenge `b` no longer selected",
        "challenge `c` selected",
        "reason for selecting `c` changed",
        "challenge `b` rank 2 → 3 (score 3 → 2)",
        "challenge `c` rank 3 → 2 (score 2 → 3)",
    ]


def test_selection_made_where_there_was_none() -> None:
    new = strategi(selection=Selection(challenges=["a"]))
    assert messages(strategi(), new) == ["challenge `a` selected"]


def plan(**changes: Any) -> Handlingsplan:
    base: dict[str, Any] = {
        "schema": "studsa.handlingsplan/1",
        "placements": [Placement(challenge="trafik", lead="gata", horizon="10y")],
        "activities": [Activity(id="a1", title="Belysning", challenge="trafik",
                                department="gata", year=2021, cost=100_000)],
    }
    base.update(changes)
    return Handlingsplan(**base)


def test_plan_changes() -> None:
    new = plan(
        placements=[Placement(challenge="trafik", lead="park", contributes=["gata"],
                              horizon="10y")],
        activities=[
            Activity(id="a1", title="Belysning", challenge="trafik", department="gata",
                     year=2021, cost=150_000),
            Activity(id="a2", title="Parkvandring", challenge="trafik", department="park",
                     year=2022, investment=True),
        ],
    )
    assert messages(plan(), new) == [
        "placement `trafik` lead changed gata → park",
        "placement `trafik` contributes changed (none) → gata",
        "department `park` now involved",
        "activity `a1` cost changed 100000 → 150000",
        "activity `a2` added (park, 2022)",
        "total cost 2021 changed 100000 → 150000 SEK",
    ]
    changes = diff_models(plan(), new)
    cost = next(c for c in changes if c.what == "cost")
    assert (cost.old, cost.new, cost.id) == (100_000, 150_000, "2021")


def test_uppdrag_scope_points() -> None:
    old = Uppdragsbeskrivning(schema="studsa.uppdragsbeskrivning/1",
                              scope=Scope(**{"in": ["Offentlig utemiljö"], "out": []}),
                              partners=["Polisen"])
    new = Uppdragsbeskrivning(schema="studsa.uppdragsbeskrivning/1",
                              scope=Scope(**{"in": ["Offentlig utemiljö", "Trygghet"],
                                             "out": ["Skolgårdar"]}),
                              purpose="Ett tryggare Malmö")
    assert messages(old, new) == [
        "uppdragsbeskrivning purpose changed (none) → Ett tryggare Malmö",
        "scope (in) added: 'Trygghet'",
        "scope (out) added: 'Skolgårdar'",
        "partner removed: 'Polisen'",
    ]


def test_different_kinds_cannot_be_compared() -> None:
    with pytest.raises(TypeError):
        diff_models(karta(), strategi())


def test_changes_serialise() -> None:
    new = strategi(criteria=[Criterion(id="forebyggande", title="Förebyggande", weight=2)])
    data = [c.as_dict() for c in diff_models(strategi(), new)]
    assert {"what": "criterion", "id": "forebyggande", "action": "changed",
            "message": "criterion `forebyggande` weight changed 1 → 2", "field": "weight",
            "old": 1.0, "new": 2.0} in data
