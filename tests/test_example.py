"""The bundled Malmö example: valid, and true to the committee's memo (TN-2019-3986)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from studsa.resources import example_dir
from studsa.workflow.context import Workspace
from studsa.workflow.validate import validate_workspace

REAL_TITLES = {
    "renhallning": "Renhållning för ökad trygghet",
    "planarbete": "Trygghetsfrämjande faktorer i planarbetet",
    "trafikmiljo": "Trafikbeteende och otrygghet i trafikmiljön",
    "befintlig-stad": "Rätt åtgärder för ökad trygghet i befintlig stad",
}
DELIMITATIONS = (
    "verksamhetsområden och grunduppdrag",
    "samverkar med andra förvaltningar",
    "både trygghets- och säkerhetsfrågor",
    "offentliga miljöer utomhus",
)


@pytest.fixture
def ws(example_project: Path) -> Workspace:
    """The example opened as a workspace."""
    return Workspace.open(example_project)


def test_example_is_bundled() -> None:
    assert (example_dir("malmo") / "studsa.yaml").is_file()


def test_example_validates_without_problems_or_warnings(ws: Workspace) -> None:
    findings = validate_workspace(ws)
    assert [str(f) for f in findings] == []


def test_cli_validate_accepts_the_example(cli, example_project: Path) -> None:
    result = cli("validate", "-p", example_project)
    assert result.exit_code == 0, result.stderr


def test_project_matches_the_memo(ws: Workspace) -> None:
    project = ws.project.model
    assert project.dnr == "TN-2019-3986"
    assert project.committee == "Tekniska nämnden"
    assert project.reference is not None
    assert project.reference.name == "Max Hanander"
    assert [m.date.isoformat() for m in project.meetings] == [
        "2019-12-16",
        "2020-08-25",
        "2020-09-23",
    ]
    cadences = {d.cadence for d in project.departments}
    assert cadences == {"tertial", "annual"}
    assert all(d.contact for d in project.departments)


def test_four_delimitations(ws: Workspace) -> None:
    scope_in = ws.uppdrag.model.scope.in_
    assert len(scope_in) == 4
    for phrase, bullet in zip(DELIMITATIONS, scope_in, strict=True):
        assert phrase in bullet


def test_eleven_challenges_in_three_themes(ws: Workspace) -> None:
    karta = ws.karta.model
    assert len(karta.themes) == 3
    assert len(karta.challenges) == 11
    per_theme = Counter(c.theme for c in karta.challenges)
    assert set(per_theme) == {t.id for t in karta.themes}
    assert all(count >= 3 for count in per_theme.values())


def test_real_challenges_present_and_others_marked_example(ws: Workspace) -> None:
    challenges = {c.id: c for c in ws.karta.model.challenges}
    for cid, title in REAL_TITLES.items():
        assert challenges[cid].title == title
        assert not challenges[cid].example
    others = [c for c in challenges.values() if c.id not in REAL_TITLES]
    assert len(others) == 7
    assert all(c.example and c.description for c in others)


def test_every_challenge_cites_sources_of_both_kinds(ws: Workspace) -> None:
    karta = ws.karta.model
    kinds = {s.id: s.kind for s in karta.sources}
    assert set(kinds.values()) == {"narvarld", "invarld"}
    for challenge in karta.challenges:
        assert challenge.sources, challenge.id
        assert all(source in kinds for source in challenge.sources)
    assert any("Alingsås" in (s.description or "") for s in karta.sources)
    assert any("25" in s.title for s in karta.sources if s.kind == "invarld")


def test_the_four_real_challenges_are_selected(ws: Workspace) -> None:
    strategi = ws.strategi.model
    assert strategi.selection is not None
    assert set(strategi.selection.challenges) == set(REAL_TITLES)
    assert strategi.selection.rationale
    assert "presidium" in (strategi.selection.made_at or "")
    assert [c.id for c in strategi.criteria] == [
        "forebyggande",
        "evidens",
        "sarbara",
        "snabb_effekt",
    ]


def _majority_scores(ws: Workspace) -> dict[str, int]:
    """Criteria met per challenge by simple majority (the Malmö count rule), by hand."""
    yes = {"ja", "yes", "true", "1"}
    votes: Counter[tuple[str, str]] = Counter()
    raters = ws.bedomningar
    for doc in raters:
        for assessment in doc.model.assessments:
            for criterion, cell in assessment.values.items():
                value = getattr(cell, "value", cell)
                if str(value).lower() in yes:
                    votes[assessment.challenge, criterion] += 1
    scores: dict[str, int] = {c.id: 0 for c in ws.karta.model.challenges}
    for (challenge, _criterion), count in votes.items():
        if count / len(raters) >= 0.5:
            scores[challenge] += 1
    return scores


def test_three_raters_assess_everything_and_disagree_somewhere(ws: Workspace) -> None:
    raters = ws.bedomningar
    assert len(raters) == 3
    challenges = {c.id for c in ws.karta.model.challenges}
    criteria = {c.id for c in ws.strategi.model.criteria}
    cells: dict[tuple[str, str], set[str]] = {}
    for doc in raters:
        assert {a.challenge for a in doc.model.assessments} == challenges
        for assessment in doc.model.assessments:
            assert set(assessment.values) == criteria
            for criterion, cell in assessment.values.items():
                value = str(getattr(cell, "value", cell))
                cells.setdefault((assessment.challenge, criterion), set()).add(value)
    assert any(len(values) > 1 for values in cells.values())


def test_ranking_puts_the_selection_near_the_top_with_ties_and_one_deviation(
    ws: Workspace,
) -> None:
    scores = _majority_scores(ws)
    top = max(scores.values())
    assert scores["renhallning"] == top
    assert len(set(scores.values())) < len(scores)  # ties exist
    selection = ws.strategi.model.selection
    assert selection is not None
    unselected_best = max(s for c, s in scores.items() if c not in selection.challenges)
    skipped_over = {c for c in selection.challenges if scores[c] < unselected_best}
    assert skipped_over == {"planarbete"}
    assert set(selection.why) == skipped_over


def test_each_prioritized_challenge_has_one_lead(ws: Workspace) -> None:
    plan = ws.plan.model
    departments = {d.id for d in ws.project.model.departments}
    placements = {p.challenge: p for p in plan.placements}
    assert set(placements) == set(REAL_TITLES)
    assert {p.horizon for p in plan.placements} >= {"1y", "10y", "mandate"}
    for placement in placements.values():
        assert placement.lead in departments
        assert placement.goal
        assert set(placement.contributes) <= departments


def test_activities_have_costs_and_investments(ws: Workspace) -> None:
    activities = ws.plan.model.activities
    assert 8 <= len(activities) <= 14
    assert {a.year for a in activities} == {2021, 2022}
    assert all(a.cost and a.cost > 0 for a in activities)
    assert any(a.investment for a in activities)
    assert any(not a.investment for a in activities)
    assert len({a.id for a in activities}) == len(activities)


def test_followup_has_every_status_kind(ws: Workspace) -> None:
    periods = {doc.model.period: doc.model for doc in ws.uppfoljningar}
    assert "2021" in periods
    year = periods["2021"]
    statuses = {r.status for r in year.reports}
    assert {"done", "ongoing", "delayed", "stopped"} <= statuses
    for report in year.reports:
        if report.status in {"delayed", "stopped"}:
            assert report.comment, report.activity
    tertial_departments = {d.id for d in ws.project.model.departments if d.cadence == "tertial"}
    if "2021-T2" in periods:
        tertial = periods["2021-T2"]
        assert set(tertial.departments) == tertial_departments
        owner = {a.id: a.department for a in ws.plan.model.activities}
        assert {owner[r.activity] for r in tertial.reports} <= tertial_departments
