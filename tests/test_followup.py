"""Follow-up: periods, reports, carry-over, the lägesbild, roll-over and status notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot
from test_place import build_placed, run_ok, write_prioritized

from studsa.models.handlingsplan import Activity
from studsa.models.project import Department
from studsa.models.uppfoljning import Report, Uppfoljning
from studsa.periods import Period
from studsa.workflow.context import Workspace
from studsa.workflow.followup import lagesbild
from studsa.workflow.lagesbild import status_as_of
from studsa.workflow.plan import reporting_load


@pytest.fixture
def placed(new_project: Path) -> Path:
    """Two departments (gatu tertial, park annual) with four activities in 2021."""
    write_prioritized(new_project)
    return build_placed(new_project)


@pytest.fixture
def followed(cli, placed: Path) -> Path:
    """A tertial period 2021-T2 and the year 2021, partly reported."""
    p = ("-p", placed)
    run_ok(cli, "followup", "new", "2021-T2", *p)
    run_ok(cli, "followup", "record", "fler-papperskorgar", "--period", "2021-T2",
           "--status", "ongoing", "--comment", "Upphandling klar", "--spent", "400 000", *p)
    run_ok(cli, "followup", "record", "hastighetskameror", "--period", "2021-T2",
           "--status", "delayed", "--comment", "Väntar på tillstånd", *p)
    run_ok(cli, "followup", "new", "2021", *p)
    run_ok(cli, "followup", "record", "hastighetskameror", "--period", "2021", "--status",
           "stopped", "--comment", "Polisen avslog", *p)
    run_ok(cli, "followup", "record", "stadrundor-i-parker", "--period", "2021", "--status",
           "done", "--spent", "280000", *p)
    return placed


def test_tertial_period_asks_only_tertial_departments(cli, placed: Path) -> None:
    result = cli("followup", "new", "2021-T2", "-p", placed)
    assert result.exit_code == 0
    assert "Gatuavdelningen (2 activities)" in result.stderr
    assert "Parkavdelningen" not in result.stderr
    text = (placed / "uppfoljning" / "2021-T2.yaml").read_text(encoding="utf-8")
    first, second = text.splitlines()[:2]
    assert first == "# yaml-language-server: $schema=../.studsa/schema/uppfoljning.schema.json"
    assert second.startswith("# Uppföljning för perioden 2021-T2")
    assert "schema: studsa.uppfoljning/1" in text and "- gatu" in text
    run_ok(cli, "followup", "new", "2021", "-p", placed)
    models = {d.model.period: d.model for d in Workspace.open(placed).uppfoljningar}
    assert models["2021"].departments == ["gatu", "park"]
    assert models["2021-T2"].departments == ["gatu"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("followup", "new", "2021-T4"), "not valid"),
        (("followup", "new", "2021-T2"), "already exists"),
        (("followup", "record", "okand", "--period", "2021-T2", "--status", "done"),
         "no activity 'okand'"),
        (("followup", "record", "fler-papperskorgar", "--period", "2021-T2", "--status",
          "finished"), "status 'finished'"),
        (("followup", "record", "fler-papperskorgar", "--period", "2021-T1", "--status",
          "done"), "followup new 2021-T1"),
        (("followup", "record", "fler-papperskorgar", "--period", "2021-T2", "--status",
          "done", "--spent", "mycket"), "not a whole number"),
        (("followup", "record", "fler-papperskorgar", "--period", "2021-T2", "--status",
          "done", "--date", "igår"), "not a date"),
        (("followup", "show", "2020"), "no follow-up period 2020"),
        (("followup", "rollover", "2021", "--skip", "okand"), "no activity 'okand'"),
    ],
)
def test_followup_errors_change_nothing(cli, placed: Path, args, message) -> None:
    run_ok(cli, "followup", "new", "2021-T2", "-p", placed)
    before = snapshot(placed)
    result = cli(*args, "-p", placed)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(placed) == before


def test_no_tertial_department_means_no_tertial_period(cli, placed: Path) -> None:
    run_ok(cli, "department", "edit", "gatu", "--cadence", "annual", "-p", placed)
    before = snapshot(placed)
    result = cli("followup", "new", "2021-T1", "-p", placed)
    assert result.exit_code == 2 and "would ask nobody" in result.stderr
    assert snapshot(placed) == before


def test_record_outside_the_activity_years(cli, placed: Path) -> None:
    run_ok(cli, "followup", "new", "2022", "-p", placed)
    result = cli("followup", "record", "fler-papperskorgar", "--period", "2022", "--status",
                 "done", "-p", placed)
    assert result.exit_code == 2 and "runs 2021, not in period 2022" in result.stderr


def test_record_updates_and_warns_for_a_department_not_asked(cli, placed: Path) -> None:
    run_ok(cli, "followup", "new", "2021-T2", "-p", placed)
    result = cli("followup", "record", "trygghetsvandringar", "--period", "2021-T2",
                 "--status", "ongoing", "--by", "Per", "--date", "2021-08-31", "-p", placed)
    assert result.exit_code == 0 and "not asked in 2021-T2" in result.stderr
    result = cli("followup", "record", "trygghetsvandringar", "--period", "2021-T2",
                 "--status", "done", "-p", placed)
    assert "updated trygghetsvandringar" in result.stderr
    reports = Workspace.open(placed).uppfoljningar[0].model.reports
    assert len(reports) == 1
    assert (reports[0].status, reports[0].reported_by, str(reports[0].date)) == (
        "done", "Per", "2021-08-31")


def test_lagesbild_carries_over_and_counts(followed: Path) -> None:
    picture = lagesbild(Workspace.open(followed))
    assert picture.period == "2021" and picture.previous == "2021-T2"
    assert picture.periods == ("2021-T2", "2021")
    by_id = {e.activity.id: e for e in picture.entries}
    assert list(by_id) == ["fler-papperskorgar", "stadrundor-i-parker", "trygghetsvandringar",
                           "hastighetskameror"]
    carried = by_id["fler-papperskorgar"]
    assert (carried.status, carried.carried_over, carried.carried_from) == (
        "ongoing", True, "2021-T2")
    assert carried.comment == "Upphandling klar" and carried.spent == 400_000
    assert carried.planned == 2_500_000 and carried.investment
    assert by_id["trygghetsvandringar"].never_reported
    assert by_id["hastighetskameror"].reported and by_id["hastighetskameror"].status == "stopped"
    counts = {c.status: c.count for c in picture.counts}
    assert counts == {"not_started": 0, "ongoing": 1, "done": 1, "delayed": 0, "stopped": 1}
    assert picture.never_reported == 1 and picture.carried_over == 1
    assert [e.activity.id for e in picture.stopped] == ["hastighetskameror"]
    assert picture.stopped[0].comment == "Polisen avslog"
    assert picture.not_reported == ()
    assert picture.planned_total == 2_500_000 + 300_000 + 100_000
    assert picture.spent_total == 680_000 and picture.planned_with_spent == 2_800_000
    park = next(d for d in picture.departments if d.department.id == "park")
    assert park.never_reported == ("trygghetsvandringar",) and park.has_reported


def test_tertial_lagesbild_covers_the_asked_departments(followed: Path) -> None:
    picture = lagesbild(Workspace.open(followed), "2021-T2")
    assert [e.activity.id for e in picture.entries] == ["fler-papperskorgar",
                                                       "hastighetskameror"]
    assert [e.activity.id for e in picture.delayed] == ["hastighetskameror"]
    assert [d.department.id for d in picture.departments] == ["gatu"]


def test_department_without_reports_is_listed(cli, placed: Path) -> None:
    run_ok(cli, "followup", "new", "2021", "-p", placed)
    run_ok(cli, "followup", "record", "hastighetskameror", "--period", "2021", "--status",
           "done", "-p", placed)
    picture = lagesbild(Workspace.open(placed), "2021")
    assert [d.id for d in picture.not_reported] == ["park"]
    rows = json.loads(run_ok(cli, "followup", "list", "--json", "-p", placed))
    assert rows == [{"id": "2021", "title": "2021", "period": "2021", "status": "draft",
                     "departments": ["gatu", "park"], "reports": 1, "activities": 4,
                     "not_reported": ["park"],
                     "never_reported": ["fler-papperskorgar", "stadrundor-i-parker",
                                        "trygghetsvandringar"]}]
    notes = [n["message"] for n in json.loads(run_ok(cli, "status", "--json", "-p",
                                                     placed))["notes"]]
    assert "2021: Parkavdelningen has not reported (2 activities)" in notes
    assert "2021: Gatuavdelningen has no status yet for fler-papperskorgar" in notes
    from studsa.workflow.followup import next_step

    assert "from Parkavdelningen" in next_step(Workspace.open(placed))


def test_followup_show_marks_carried_over(cli, followed: Path) -> None:
    out = run_ok(cli, "followup", "show", "-p", followed)
    assert "Lägesbild 2021" in out and "carried from" in out
    row = next(line for line in out.splitlines() if "fler-papperskorgar" in line)
    assert "ongoing" in row and "2021-T2" in row
    assert "no status yet" in out and "SEK\u00a02,500,000" in out
    data = json.loads(run_ok(cli, "followup", "show", "2021-T2", "--json", "-p", followed))
    assert data["period"] == "2021-T2" and data["entries"][0]["activity"]["id"] == (
        "fler-papperskorgar")


def test_rollover_proposes_and_writes_only_on_yes(cli, followed: Path) -> None:
    run_ok(cli, "assign", "trafikbeteende", "--horizon", "mandate", "-p", followed)
    before = snapshot(followed)
    result = cli("followup", "rollover", "2021", "-p", followed)
    assert result.exit_code == 0
    assert "nothing written" in result.stderr
    assert snapshot(followed) == before
    assert "fler-papperskorgar-2022" in result.stdout
    assert "SEK\u00a02,100,000" in result.stdout  # 2 500 000 planned - 400 000 spent
    assert "done or stopped: hastighetskameror" in result.stdout
    assert "continues into next year: stadrundor-i-parker" in result.stdout
    data = json.loads(run_ok(cli, "followup", "rollover", "2021", "--json", "-p", followed))
    assert [i["new_id"] for i in data["items"]] == ["fler-papperskorgar-2022",
                                                     "trygghetsvandringar-2022"]
    assert data["items"][1]["status_period"] is None  # never reported: not started
    result = cli("followup", "rollover", "2021", "--skip", "trygghetsvandringar", "--yes",
                 "-p", followed)
    assert result.exit_code == 0, result.stderr
    plan = Workspace.open(followed).plan.model
    new = next(a for a in plan.activities if a.id == "fler-papperskorgar-2022")
    assert (new.year, new.cost, new.investment, new.carried_from) == (
        2022, 2_100_000, True, "fler-papperskorgar")
    assert new.indicator.kolada == "N07403"
    assert "trygghetsvandringar-2022" not in {a.id for a in plan.activities}
    again = json.loads(run_ok(cli, "followup", "rollover", "2021", "--json", "-p", followed))
    assert again["already"] == ["fler-papperskorgar"]
    assert cli("validate", "-p", followed).exit_code == 1  # befintlig-stad still has no lead


def test_rollover_outside_the_horizon_is_not_carried(cli, followed: Path) -> None:
    run_ok(cli, "followup", "record", "hastighetskameror", "--period", "2021", "--status",
           "delayed", "-p", followed)
    data = json.loads(run_ok(cli, "followup", "rollover", "2021", "--json", "-p", followed))
    item = next(i for i in data["items"] if i["source"] == "hastighetskameror")
    assert "outside the horizon" in item["problem"]
    run_ok(cli, "followup", "rollover", "2021", "--yes", "-p", followed)
    ids = {a.id for a in Workspace.open(followed).plan.model.activities}
    assert "hastighetskameror-2022" not in ids and "fler-papperskorgar-2022" in ids


def test_validate_flags_reports_on_unknown_activities(cli, followed: Path) -> None:
    path = followed / "uppfoljning" / "2021.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  - activity: borttagen\n    status: done\n", encoding="utf-8")
    result = cli("validate", "--json", "-p", followed)
    findings = json.loads(result.stdout)["findings"]
    hit = [f for f in findings if "unknown activity `borttagen`" in f["message"]]
    assert hit and hit[0]["file"] == "uppfoljning/2021.yaml" and hit[0]["line"]


def test_status_says_when_the_strategy_must_be_revised(cli, followed: Path) -> None:
    notes = [n["message"] for n in json.loads(run_ok(cli, "status", "--json", "-p",
                                                     followed))["notes"]]
    assert any("the yearly follow-up of 2022" in n for n in notes)
    assert any("at least once per mandate period" in n and "2023-2026" in n for n in notes)
    run_ok(cli, "followup", "new", "2023", "-p", followed)
    notes = [n for n in json.loads(run_ok(cli, "status", "--json", "-p", followed))["notes"]]
    overdue = [n for n in notes if "follow-up has reached 2023" in n["message"]]
    assert overdue and overdue[0]["level"] == "warning"


# pure functions -----------------------------------------------------------------------


def _uppf(period: str, *reports: tuple[str, str]) -> tuple[Period, Uppfoljning]:
    from studsa.periods import parse_period

    model = Uppfoljning(schema="studsa.uppfoljning/1", period=period,
                        reports=[Report(activity=a, status=s) for a, s in reports])
    return parse_period(period), model


def test_status_as_of_takes_the_latest_earlier_report() -> None:
    periods = [_uppf("2021-T1", ("a", "ongoing")), _uppf("2021-T2", ("b", "done")),
               _uppf("2021", ("a", "delayed")), _uppf("2022-T1")]
    assert status_as_of("a", Period(2021, 2), periods).status == "ongoing"
    assert status_as_of("a", Period(2021, 2), periods).carried_over
    assert status_as_of("a", Period(2021, 2), periods).period == "2021-T1"
    assert not status_as_of("a", Period(2021), periods).carried_over
    later = status_as_of("a", Period(2022, 1), periods)
    assert (later.status, later.period, later.carried_over) == ("delayed", "2021", True)
    assert status_as_of("b", Period(2021, 1), periods) is None


def _activity(aid: str, dept: str, cost: int | None, year: int = 2021) -> Activity:
    return Activity(id=aid, title=aid, challenge="c", department=dept, year=year, cost=cost)


def test_reporting_load_flags_a_tertial_department_with_a_small_share() -> None:
    depts = [Department(id="gatu", name="Gata", cadence="tertial"),
             Department(id="park", name="Park", cadence="annual")]
    acts = [_activity("g1", "gatu", 50_000), _activity("g2", "gatu", 50_000),
            _activity("p1", "park", 2_000_000), _activity("p2", "park", 1_000_000)]
    load = {e.department.id: e for e in reporting_load(depts, acts)}
    assert (load["gatu"].reports, load["park"].reports) == (6, 2)
    assert load["gatu"].load_share == 0.75 and load["gatu"].plan_share == 0.0323
    assert load["gatu"].flagged and not load["park"].flagged
    # in proportion: the tertial department holds most of the money
    acts = [_activity("g1", "gatu", 2_000_000), _activity("p1", "park", 100_000)]
    assert not any(e.flagged for e in reporting_load(depts, acts))
    # one department alone is never out of proportion
    assert not any(e.flagged for e in reporting_load(depts, [_activity("g1", "gatu", 1)]))


def test_reporting_load_without_costs_uses_the_activity_share() -> None:
    depts = [Department(id="gatu", name="Gata", cadence="tertial"),
             Department(id="park", name="Park", cadence="annual")]
    acts = [_activity("g1", "gatu", None), _activity("p1", "park", None),
            _activity("p2", "park", None), _activity("p3", "park", None)]
    load = {e.department.id: e for e in reporting_load(depts, acts)}
    assert load["gatu"].plan_share == 0.25 and load["gatu"].load_share == 0.5
    assert load["gatu"].flagged


def test_rollover_asks_at_a_terminal(cli, followed: Path, monkeypatch) -> None:
    import studsa.cli.followup as followup_cli

    monkeypatch.setattr(followup_cli, "_interactive", lambda: True)
    before = snapshot(followed)
    result = cli("followup", "rollover", "2021", "-p", followed, input="n\n")
    assert result.exit_code == 0 and "nothing written" in result.stderr
    assert snapshot(followed) == before
    result = cli("followup", "rollover", "2021", "-p", followed, input="y\n")
    assert result.exit_code == 0, result.stderr
    assert "added 2 activities to 2022" in result.stderr
