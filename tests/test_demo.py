"""``studsa demo``: the tour copies the example, walks the phases and renders the reports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, snapshot

from studsa.errors import UsageError
from studsa.resources import example_dir
from studsa.workflow.demo import DemoResult, run_demo

REAL_TITLES = (
    "Renhållning för ökad trygghet",
    "Trygghetsfrämjande faktorer i planarbetet",
    "Trafikbeteende och otrygghet i trafikmiljön",
    "Rätt åtgärder för ökad trygghet i befintlig stad",
)
DELIVERABLE_REPORTS = {"uppdragsbeskrivning", "utmaningskarta", "strategi", "handlingsplan"}


@dataclass
class Tour:
    """One ``studsa demo`` run shared by the read-only tests of this module."""

    root: Path
    result: Any


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tour]:
    """Run ``studsa demo`` once (rendering is the slow part) for the tests that only read."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COLUMNS", "120")
        mp.setenv("NO_COLOR", "1")
        mp.delenv("STUDSA_DEBUG", raising=False)
        root = tmp_path_factory.mktemp("demo") / "tour"
        yield Tour(root, Cli()("demo", root))


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> DemoResult:
    """The demo's phase summaries, without rendering."""
    return run_demo(tmp_path_factory.mktemp("walk") / "tour", render=False)


def _source_files() -> set[str]:
    source = example_dir("malmo")
    return {
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(source).parts)
    }


# --- the tour --------------------------------------------------------------------------

def test_demo_builds_the_example_and_prints_every_phase(tour: Tour) -> None:
    result = tour.result
    assert result.exit_code == 0, result.stderr
    copied = {p.relative_to(tour.root).as_posix() for p in tour.root.rglob("*") if p.is_file()}
    assert _source_files() <= copied
    for heading in ("Avgränsa", "Identifiera", "Prioritera", "Placera", "Uppföljning", "Status"):
        assert heading in result.stdout
    assert "11 challenges in 3 themes" in result.stdout
    for title in REAL_TITLES:
        assert title in result.stdout
    assert "Gatuavdelningen" in result.stdout
    assert "next:" in result.stdout
    assert "Traceback" not in result.stderr


def test_demo_prints_the_ranking_with_ties_and_the_selection(tour: Tour) -> None:
    out = tour.result.stdout
    assert "Ranking" in out
    assert "2=" in out  # three challenges share rank 2
    assert out.count("✓ selected") == 4
    assert "deviates from the ranking for: planarbete" in out


def test_demo_copy_is_a_valid_project(cli, tour: Tour) -> None:
    result = cli("validate", "-p", tour.root)
    assert result.exit_code == 0, result.stderr


def test_demo_records_verifiable_decisions(cli, tour: Tour) -> None:
    assert "Decided: strategi version 1 by Tekniska nämnden on 2020-09-23" in tour.result.stdout
    assert "6 frozen files of 3 decided versions match the log" in tour.result.stdout
    assert (tour.root / "3-prioritera" / "versions" / "strategi.v1.yaml").is_file()
    result = cli("verify", "-p", tour.root)
    assert result.exit_code == 0, result.stderr
    status = cli("status", "-p", tour.root, "--json")
    phases = {p["phase"]: p["status"] for p in json.loads(status.stdout)["phases"]}
    assert phases == {"avgransa": "decided", "identifiera": "draft",
                      "prioritera": "decided", "placera": "decided"}
    strategi = (tour.root / "rapporter" / "strategi.md").read_text(encoding="utf-8")
    assert "Tekniska nämnden, 23 september 2020" in strategi


def test_demo_writes_every_report_into_the_copy(tour: Tour) -> None:
    reports = sorted((tour.root / "rapporter").glob("*.md"))
    names = {p.stem for p in reports}
    assert names >= DELIVERABLE_REPORTS | {"tjansteskrivelse", "lagesbild-2021"}
    assert all(p.stat().st_size > 0 for p in reports)
    strategi = (tour.root / "rapporter" / "strategi.md").read_text(encoding="utf-8")
    assert all(title in strategi for title in REAL_TITLES)
    assert "rapporter/strategi.md" in tour.result.stdout
    assert "reports written to" in tour.result.stderr


def test_demo_refuses_an_existing_project(cli, tour: Tour) -> None:
    before = snapshot(tour.root)
    result = cli("demo", tour.root)
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert snapshot(tour.root) == before


def test_demo_default_folder_accepts_an_empty_one_and_renders_the_same(
    cli, tour: Tour, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "studsa-demo").mkdir()
    monkeypatch.chdir(tmp_path)
    result = cli("demo")
    assert result.exit_code == 0, result.stderr
    target = tmp_path / "studsa-demo"
    assert (target / "studsa.yaml").is_file()
    # Reports depend on the project only, never on the folder or the clock.
    assert snapshot(target / "rapporter") == snapshot(tour.root / "rapporter")


def test_demo_renders_other_formats(cli, tmp_path: Path) -> None:
    target = tmp_path / "tour"
    result = cli("demo", target, "--format", "md", "--format", "html")
    assert result.exit_code == 0, result.stderr
    html = {p.name for p in (target / "rapporter").glob("*.html")}
    assert {f"{name}.html" for name in DELIVERABLE_REPORTS} <= html
    assert (target / "rapporter" / "strategi.md").is_file()


# --- refusals --------------------------------------------------------------------------

def test_demo_refuses_a_folder_that_is_not_empty(cli, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mina anteckningar\n", encoding="utf-8")
    before = snapshot(target)
    result = cli("demo", target)
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(target) == before


def test_demo_refuses_a_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = cli("demo", target)
    assert result.exit_code == 2
    assert "not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "x"


def test_demo_refuses_an_unknown_format_before_copying(cli, tmp_path: Path) -> None:
    target = tmp_path / "tour"
    result = cli("demo", target, "--format", "pptx")
    assert result.exit_code == 2
    assert "pptx" in result.stderr
    assert not target.exists()


def test_run_demo_refuses_before_writing(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "a.txt").write_text("a", encoding="utf-8")
    with pytest.raises(UsageError):
        run_demo(target, render=False)
    assert [p.name for p in target.iterdir()] == ["a.txt"]


# --- the walk as data ------------------------------------------------------------------

def test_run_demo_summarizes_each_phase(walked: DemoResult) -> None:
    phases = [p.phase for p in walked.phases]
    assert phases == ["avgransa", "identifiera", "prioritera", "placera", "uppfoljning"]
    avgransa, identifiera, prioritera, placera, followup = walked.phases
    assert sum(line.startswith("  + ") for line in avgransa.lines) == 4
    assert "11 challenges in 3 themes:" in identifiera.lines
    assert any("presidium" in line for line in prioritera.after)
    assert sum(1 for line in placera.lines if line.startswith("  ")) == 4
    assert any("Gatuavdelningen" in line for line in placera.lines)
    assert any(line.startswith("2021:") for line in followup.lines)
    assert walked.reports == []
    decided = [p.phase for p in walked.phases if p.decision]
    assert decided == ["avgransa", "prioritera", "placera"]
    assert "match the log" in walked.verified


def test_run_demo_ranking_marks_the_selection(walked: DemoResult) -> None:
    ranking = walked.phases[2].ranking
    assert len(ranking) == 11
    assert (ranking[0].id, ranking[0].rank, ranking[0].score) == ("renhallning", 1, 4.0)
    assert {row.id for row in ranking if row.selected} == {
        "renhallning",
        "planarbete",
        "trafikmiljo",
        "befintlig-stad",
    }
    assert [row.rank for row in ranking] == [1, 2, 2, 2, 5, 5, 5, 5, 9, 9, 9]
