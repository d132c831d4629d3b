"""Follow-up can be closed: a lägesbild is reported, then decided; and `followup new`
asks only the departments that have something to report in the period."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot
from test_place import build_placed, run_ok, write_prioritized

from studsa.workflow.context import Workspace


@pytest.fixture
def placed(cli, new_project: Path) -> Path:
    """gatu (tertial) and park (annual) with activities in 2021; idle (annual) with none."""
    write_prioritized(new_project)
    build_placed(new_project)
    run_ok(cli, "department", "add", "Idrottsavdelningen", "--id", "idrott", "-p", new_project)
    return new_project


def asked(project: Path, period: str) -> list[str]:
    docs = {d.model.period: d.model for d in Workspace.open(project).uppfoljningar}
    return list(docs[period].departments)


def test_new_period_asks_only_departments_with_activities(cli, placed: Path) -> None:
    result = cli("followup", "new", "2021", "-p", placed)
    assert result.exit_code == 0, result.stderr
    assert asked(placed, "2021") == ["gatu", "park"]
    lines = [line for line in result.stderr.splitlines() if "Idrottsavdelningen" in line]
    assert len(lines) == 1, result.stderr
    assert "not asked" in lines[0] and "no activity in 2021" in lines[0]
    assert "Gatuavdelningen (2 activities)" in result.stderr


def test_a_period_without_activities_asks_nobody(cli, placed: Path) -> None:
    result = cli("followup", "new", "2024", "-p", placed)
    assert result.exit_code == 0, result.stderr
    assert asked(placed, "2024") == []
    assert "no department is asked" in result.stderr
    assert "not asked:" not in result.stderr  # nobody is singled out when nobody is asked


def test_a_department_given_an_activity_later_is_asked_when_it_reports(cli, placed: Path
                                                                         ) -> None:
    run_ok(cli, "followup", "new", "2021", "-p", placed)
    run_ok(cli, "assign", "renhallning", "-d", "idrott", "--role", "contributes", "-p", placed)
    run_ok(cli, "activity", "add", "renhallning", "Spontanidrott", "-d", "idrott", "--year",
           "2021", "-p", placed)
    result = cli("followup", "record", "spontanidrott", "--period", "2021", "--status",
                 "ongoing", "-p", placed)
    assert result.exit_code == 0, result.stderr
    assert "is now asked too" in result.stderr
    assert asked(placed, "2021") == ["gatu", "park", "idrott"]
    shown = cli("followup", "show", "2021", "--json", "-p", placed)
    assert "spontanidrott" in shown.stdout


def test_tertial_period_leaves_out_idle_tertial_department(cli, placed: Path) -> None:
    run_ok(cli, "department", "edit", "idrott", "--cadence", "tertial", "-p", placed)
    before = snapshot(placed)
    result = cli("followup", "new", "2021-T1", "-p", placed)
    assert result.exit_code == 0, result.stderr
    assert asked(placed, "2021-T1") == ["gatu"]
    assert "Parkavdelningen" not in result.stderr  # annual: not a candidate in a tertial
    assert "not asked: Idrottsavdelningen" in result.stderr
    assert set(snapshot(placed)) - set(before) == {"uppfoljning/2021-T1.yaml"}


# draft → reported → decided ------------------------------------------------------------------
@pytest.fixture
def followed(cli, placed: Path) -> Path:
    run_ok(cli, "followup", "new", "2021", "-p", placed)
    run_ok(cli, "followup", "record", "fler-papperskorgar", "--period", "2021", "--status",
           "ongoing", "-p", placed)
    return placed


def period_state(cli, project: Path) -> dict:
    result = cli("followup", "list", "--json", "-p", project)
    assert result.exit_code == 0, result.stderr
    return {row["period"]: row["status"] for row in json.loads(result.stdout)}


def render_lagesbild(cli, project: Path, tmp_path: Path) -> str:
    out = tmp_path / "ut"
    result = cli("render", "lagesbild", "--period", "2021", "--out", out, "-p", project)
    assert result.exit_code == 0, result.stderr
    return next(out.glob("lagesbild*.md")).read_text(encoding="utf-8")


def test_a_lagesbild_is_reported_then_decided(cli, followed: Path, tmp_path: Path) -> None:
    p = ("-p", followed)
    assert period_state(cli, followed) == {"2021": "draft"}
    assert "Rapporterad" not in render_lagesbild(cli, followed, tmp_path)

    result = cli("followup", "report", "2021", "--to", "Tekniska nämnden", "--date",
                 "2021-10-12", *p)
    assert result.exit_code == 0, result.stderr
    assert "reported to Tekniska nämnden" in result.stderr
    assert period_state(cli, followed) == {"2021": "reported"}
    text = render_lagesbild(cli, followed, tmp_path)
    assert "- **Status:** Rapporterad" in text
    assert "- **Rapporterad:** till Tekniska nämnden 12 oktober 2021" in text or \
        "- **Rapporterad:** till Tekniska nämnden 2021-10-12" in text
    status = cli("status", *p)
    assert "lägesbild 2021: reported to Tekniska nämnden on 2021-10-12" in status.stdout \
        + status.stderr
    listed = cli("followup", "list", *p)
    assert "reported" in listed.stdout

    result = cli("followup", "decide", "2021", "--by", "Tekniska nämnden", "--date",
                 "2021-11-20", "--paragraph", "§ 12", "--dnr", "TN-2021/1", *p)
    assert result.exit_code == 0, result.stderr
    frozen = followed / "uppfoljning" / "versions" / "2021.v1.yaml"
    assert frozen.is_file() and "status: decided" in frozen.read_text(encoding="utf-8")
    decisions = Workspace.open(followed).project.model.decisions
    decision = next(d for d in decisions if d.deliverable == "lagesbild")
    assert (decision.period, decision.version, decision.by, decision.paragraph,
            decision.dnr, decision.file) == ("2021", 1, "Tekniska nämnden", "§ 12",
                                            "TN-2021/1", "uppfoljning/versions/2021.v1.yaml")
    assert period_state(cli, followed) == {"2021": "decided"}
    text = render_lagesbild(cli, followed, tmp_path)
    assert "- **Status:** Beslutad" in text and "§ 12" in text
    assert "Rapporterad:** till Tekniska nämnden" in text  # when it was reported stays
    status = cli("status", *p)
    assert "decided by Tekniska nämnden on 2021-11-20 § 12" in status.stdout + status.stderr

    verified = cli("verify", "--json", *p)
    assert verified.exit_code == 0, verified.stderr
    report = json.loads(verified.stdout)
    assert report["ok"] and report["unrecorded"] == []
    assert "uppfoljning/versions/2021.v1.yaml" in [f["file"] for f in report["files"]]
    assert no_errors_but_the_fixtures(cli, followed)
    frozen.write_text(frozen.read_text(encoding="utf-8") + "# ändrad\n", encoding="utf-8")
    assert cli("verify", *p).exit_code == 1
    assert "uppfoljning/versions/2021.v1.yaml" in cli("validate", *p).stderr


def test_a_decided_period_refuses_reports_unless_forced(cli, followed: Path) -> None:
    p = ("-p", followed)
    run_ok(cli, "followup", "decide", "2021", "--by", "Tekniska nämnden", "--date",
           "2021-11-20", *p)
    before = snapshot(followed)
    result = cli("followup", "record", "hastighetskameror", "--period", "2021", "--status",
                 "done", *p)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "is decided" in lines[0] and "--force" in lines[0], lines
    assert "Traceback" not in result.stderr
    assert snapshot(followed) == before
    assert cli("followup", "report", "2021", *p).exit_code == 1
    assert cli("followup", "decide", "2021", "--by", "TN", "--date", "2021-12-01",
               *p).exit_code == 1

    result = cli("followup", "record", "hastighetskameror", "--period", "2021", "--status",
                 "done", "--force", *p)
    assert result.exit_code == 0, result.stderr
    model = next(d.model for d in Workspace.open(followed).uppfoljningar)
    assert (model.version, model.status) == (2, "draft")
    assert cli("verify", *p).exit_code == 0  # the frozen v1 is untouched
    run_ok(cli, "followup", "decide", "2021", "--by", "Tekniska nämnden", "--date",
           "2021-12-15", *p)
    assert (followed / "uppfoljning" / "versions" / "2021.v2.yaml").is_file()
    assert no_errors_but_the_fixtures(cli, followed)


def no_errors_but_the_fixtures(cli, project: Path) -> bool:
    """validate finds nothing wrong with the log or the periods (the fixture's plan leaves
    one prioritized challenge without a lead on purpose)."""
    findings = json.loads(cli("validate", "--json", "-p", project).stdout)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert [f["message"] for f in errors if "no lead department" not in f["message"]] == []
    return True


def test_report_defaults_to_the_committee_and_today(cli, followed: Path) -> None:
    import datetime as dt

    result = cli("followup", "report", "2021", "-p", followed)
    assert result.exit_code == 0, result.stderr
    model = next(d.model for d in Workspace.open(followed).uppfoljningar)
    assert model.reported is not None
    assert model.reported.to == "Testnämnden"
    assert model.reported.date in {dt.date.today(), dt.date.today() - dt.timedelta(days=1)}
    result = cli("followup", "report", "2021", "--date", "igår", "-p", followed)
    assert result.exit_code == 2 and "not a date" in result.stderr
    result = cli("followup", "report", "2030", "-p", followed)
    assert result.exit_code == 2 and "followup new 2030" in result.stderr
