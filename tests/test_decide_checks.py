"""``decide`` refuses a deliverable whose own checks fail; ``--force`` logs the problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from studsa.storage.project import ProjectStore
from studsa.workflow.context import Workspace


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDSA_LANG", "en")


def said(result) -> str:  # type: ignore[no-untyped-def]
    """Stderr with rich's line wrapping undone."""
    return " ".join(result.stderr.split())

KARTA = """\
schema: studsa.utmaningskarta/1
version: 1
status: draft
themes:
  - id: trafikmiljo
    title: Trafikmiljö
challenges:
  - id: trafik
    title: Trafiksäkerhet
    theme: trafikmiljo
  - id: skrap
    title: Nedskräpning
    theme: trafikmiljo
"""


@pytest.fixture
def project(new_project: Path) -> Path:
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    return new_project


def decide(cli, root: Path, *extra: str):  # type: ignore[no-untyped-def]
    return cli("decide", "prioritera", "--by", "Tekniska nämnden", "--date", "2027-03-15",
               "-p", root, *extra)


def rate_all(cli, root: Path) -> None:  # type: ignore[no-untyped-def]
    for challenge, value in (("trafik", "ja"), ("skrap", "nej")):
        done = cli("rate", challenge, "--rater", "Anna", f"forebyggande={value}",
                   f"evidens={value}", "sarbara=nej", "snabb_effekt=nej", "-p", root)
        assert done.exit_code == 0, said(done)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".studsa")}


def test_no_assessments_and_no_selection_is_refused(cli, project: Path) -> None:
    before = snapshot(project)
    result = decide(cli, project)
    assert result.exit_code == 1
    text = said(result)
    assert "cannot decide the strategi" in text
    assert "no assessments have been recorded" in text and "no selection has been made" in text
    assert "--force" in text
    assert snapshot(project) == before


def test_missing_assessments_are_named(cli, project: Path) -> None:
    assert cli("rate", "trafik", "--rater", "Anna", "forebyggande=ja", "evidens=ja",
               "sarbara=ja", "snabb_effekt=ja", "-p", project).exit_code == 0
    result = decide(cli, project)
    assert result.exit_code == 1
    assert "4 assessment(s) are missing (for example rater 'Anna', challenge 'skrap'" in \
        said(result)


def test_stale_selection_is_refused(cli, project: Path) -> None:
    rate_all(cli, project)
    assert cli("select", "trafik", "-p", project).exit_code == 0
    assert cli("rate", "skrap", "--rater", "Anna", "sarbara=ja", "-p", project).exit_code == 0
    result = decide(cli, project)
    assert result.exit_code == 1
    assert "made on older assessments" in said(result)
    assert "no selection" not in said(result)


def test_a_ready_strategi_is_decided(cli, project: Path) -> None:
    rate_all(cli, project)
    assert cli("select", "trafik", "-p", project).exit_code == 0
    result = decide(cli, project)
    assert result.exit_code == 0, said(result)
    ws = Workspace(ProjectStore.discover(project))
    assert ws.project.model.decisions[-1].problems == []


def test_force_records_the_problems_in_the_log(cli, project: Path) -> None:
    result = decide(cli, project, "--force")
    assert result.exit_code == 0, said(result)
    assert "despite 2 problem(s)" in said(result)
    ws = Workspace(ProjectStore.discover(project))
    decision = ws.project.model.decisions[-1]
    assert decision.deliverable == "strategi"
    assert len(decision.problems) == 2
    assert any("no selection" in p for p in decision.problems)
    assert "problems:" in (project / "studsa.yaml").read_text(encoding="utf-8")
    assert cli("validate", "-p", project).exit_code in (0, 1)


def test_an_empty_map_is_refused(cli, new_project: Path) -> None:
    result = cli("decide", "identifiera", "--by", "N", "--date", "2027-01-01", "-p",
                 new_project)
    assert result.exit_code == 1
    assert "the challenge map has no challenges" in said(result)
