"""Project commands: init, status, validate, and finding the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, snapshot

from studsa.storage.project import ProjectStore


def test_init_writes_commented_swedish_skeletons(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "ny", "--name", "Trygghetsstrategi", "--dnr", "0090")
    assert result.exit_code == 0, result.stderr
    root = tmp_path / "ny"
    project = (root / "studsa.yaml").read_text(encoding="utf-8")
    assert "# Projektfil för en strategi enligt STUDSA" in project
    assert 'dnr: "0090"' in project
    strategi = (root / "3-prioritera" / "strategi.yaml").read_text(encoding="utf-8")
    for criterion in ("forebyggande", "evidens", "sarbara", "snabb_effekt"):
        assert f"id: {criterion}" in strategi
    for path in ("1-avgransa", "2-identifiera", "3-prioritera/bedomningar", "4-placera",
                 "uppfoljning"):
        assert (root / path).is_dir()
    assert (root / ".gitattributes").read_text() == "*.yaml -text\n"
    assert ProjectStore.discover(root).project().model.dnr == "0090"
    assert cli("validate", "-p", root).exit_code == 0


def test_init_in_english(cli: Cli, tmp_path: Path) -> None:
    assert cli("init", tmp_path / "en", "--language", "en").exit_code == 0
    strategi = (tmp_path / "en" / "3-prioritera" / "strategi.yaml").read_text(encoding="utf-8")
    assert "Phase 3, Prioritize" in strategi
    assert "Preventive, with long-term effect" in strategi


def test_init_refuses_an_existing_project(cli: Cli, new_project: Path) -> None:
    before = snapshot(new_project)
    result = cli("init", new_project)
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert snapshot(new_project) == before


def test_init_refuses_an_unknown_language(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "x", "--language", "de")
    assert result.exit_code == 2
    assert "not supported" in result.stderr
    assert not (tmp_path / "x" / "studsa.yaml").exists()


def test_init_example_copies_the_malmo_project(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", tmp_path / "m", "--example", "malmo")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "m" / "2-identifiera" / "utmaningskarta.yaml").is_file()
    assert cli("validate", "-p", tmp_path / "m").exit_code == 0
    unknown = cli("init", tmp_path / "n", "--example", "nowhere")
    assert unknown.exit_code == 2
    assert "malmo" in unknown.stderr


def test_status_json_shape(cli: Cli, new_project: Path) -> None:
    result = cli("status", "-p", new_project, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [p["phase"] for p in data["phases"]] == [
        "avgransa", "identifiera", "prioritera", "placera"]
    first = data["phases"][0]
    assert first == first | {"deliverable": "uppdragsbeskrivning", "version": 1,
                             "status": "draft", "problems": 0}
    assert "uppdragsbeskrivning.yaml" in data["next"]


def test_status_points_at_problems(cli: Cli, new_project: Path) -> None:
    karta = new_project / "2-identifiera" / "utmaningskarta.yaml"
    karta.write_text(karta.read_text(encoding="utf-8").replace("themes: []", "themes: 3"),
                     encoding="utf-8")
    data = json.loads(cli("status", "-p", new_project, "--json").stdout)
    assert data["phases"][1]["problems"] == 1
    assert "studsa validate" in data["next"]


def test_validate_reports_every_problem_with_location(cli: Cli, new_project: Path) -> None:
    project = new_project / "studsa.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("language: sv", "language: de\ncolour: red"),
                       encoding="utf-8")
    before = snapshot(new_project)
    result = cli("validate", "-p", new_project)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 2
    assert all(line.startswith("error: studsa.yaml:") for line in lines)
    assert "colour: is not a known key" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(new_project) == before


def test_project_is_found_from_a_subfolder(
    cli: Cli, new_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(new_project / "2-identifiera")
    assert cli("status", "--json").exit_code == 0


def test_no_project_is_a_usage_error(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli("status")
    assert result.exit_code == 2
    assert "studsa init" in result.stderr
    missing = cli("validate", "-p", tmp_path / "nowhere")
    assert missing.exit_code == 2
    assert "does not exist" in missing.stderr


def test_version(cli: Cli) -> None:
    from studsa import __version__

    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"studsa {__version__}"
