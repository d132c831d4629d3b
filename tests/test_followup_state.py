"""Follow-up can be closed: a lägesbild is reported, then decided; and `followup new`
asks only the departments that have something to report in the period."""

from __future__ import annotations

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
