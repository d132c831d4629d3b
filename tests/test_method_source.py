"""One source of truth for the method: the selection's method is what every view shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_prioritize_cli import KARTA, votes_csv


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDSA_LANG", "en")


@pytest.fixture
def rated(new_project: Path, cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    assert cli("score", "import", votes_csv(tmp_path), "-p", new_project).exit_code == 0
    done = cli("criterion", "edit", "snabb_effekt", "--weight", "10", "-p", new_project)
    assert done.exit_code == 0, done.stderr
    return new_project


def ranking(cli, root: Path, *args: str) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    done = cli("score", "--json", "-p", root, *args)
    assert done.exit_code == 0, done.stderr
    data = json.loads(done.stdout)
    return [data["method"], *((e["rank"], e["id"]) for e in data["ranking"])]


def strategi(root: Path) -> Path:
    return root / "3-prioritera" / "strategi.yaml"


def test_select_with_a_method_makes_it_the_strategys(rated: Path, cli) -> None:
    weighted = ranking(cli, rated, "--method", "weighted")
    count = ranking(cli, rated)
    assert weighted[0] == "weighted" and count[0] == "count"
    assert weighted[1:] != count[1:]  # the two methods rank differently here
    top = weighted[1][1]
    done = cli("select", top, "--method", "weighted", "-p", rated)
    assert done.exit_code == 0, done.stderr
    text = strategi(rated).read_text(encoding="utf-8")
    assert "\nmethod: weighted" in text
    assert ranking(cli, rated) == weighted  # score without --method: the selection's
    assert cli("validate", "-p", rated).exit_code == 0


def test_a_disagreeing_file_is_reported_and_views_keep_the_selections(rated: Path, cli
                                                                      ) -> None:
    weighted = ranking(cli, rated, "--method", "weighted")
    assert cli("select", weighted[1][1], "--method", "weighted", "-p", rated).exit_code == 0
    path = strategi(rated)
    path.write_text(path.read_text(encoding="utf-8").replace("\nmethod: weighted",
                                                             "\nmethod: count"), "utf-8")
    assert ranking(cli, rated) == weighted
    checked = cli("validate", "--json", "-p", rated)
    assert checked.exit_code == 1
    assert "the selection was made with the method weighted, but strategi.yaml says " \
           "method: count" in checked.stdout
    rendered = cli("render", "strategi", "-p", rated)
    assert rendered.exit_code == 0, rendered.stderr
    report = (rated / "rapporter" / "strategi.md").read_text(encoding="utf-8")
    assert "Viktad summa" in report and "Antal uppfyllda kriterier" not in report
