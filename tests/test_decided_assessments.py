"""A decided strategi covers its assessments: a later change starts version N+1 as draft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_decide_checks import KARTA, said


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDSA_LANG", "en")


@pytest.fixture
def decided(new_project: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    root = new_project
    (root / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    for challenge, value in (("trafik", "ja"), ("skrap", "nej")):
        assert cli("rate", challenge, "--rater", "Anna", f"forebyggande={value}",
                   f"evidens={value}", "sarbara=nej", "snabb_effekt=nej", "-p", root
                   ).exit_code == 0
    assert cli("select", "trafik", "-p", root).exit_code == 0
    done = cli("decide", "prioritera", "--by", "TN", "--date", "2027-03-15", "-p", root)
    assert done.exit_code == 0, said(done)
    return root


def history(cli, root: Path) -> list[tuple[int, str]]:  # type: ignore[no-untyped-def]
    done = cli("history", "strategi", "--json", "-p", root)
    assert done.exit_code == 0, said(done)
    return [(e["version"], e["status"]) for e in json.loads(done.stdout)]


def strategi_head(root: Path) -> str:
    text = (root / "3-prioritera" / "strategi.yaml").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines()
                     if line.startswith(("version:", "status:")))


def test_rate_after_the_decision_starts_the_next_draft(decided: Path, cli) -> None:
    assert history(cli, decided) == [(1, "decided")]
    done = cli("rate", "skrap", "--rater", "Anna", "sarbara=ja", "-p", decided)
    assert done.exit_code == 0, said(done)
    assert strategi_head(decided) == "version: 2\nstatus: draft"
    assert history(cli, decided) == [(1, "decided"), (2, "draft")]
    assert cli("verify", "-p", decided).exit_code == 0  # the frozen v1 is untouched
    rendered = cli("render", "strategi", "-p", decided)
    assert rendered.exit_code == 0, said(rendered)
    report = (decided / "rapporter" / "strategi.md").read_text(encoding="utf-8")
    assert "Beslutad" not in report.split("\n## ")[0]


def test_a_new_rater_after_the_decision_starts_the_next_draft(decided: Path, cli) -> None:
    done = cli("rate", "skrap", "--rater", "Bo", "sarbara=ja", "-p", decided)
    assert done.exit_code == 0, said(done)
    assert strategi_head(decided) == "version: 2\nstatus: draft"


def test_an_unchanged_rating_changes_nothing(decided: Path, cli) -> None:
    done = cli("rate", "skrap", "--rater", "Anna", "sarbara=nej", "-p", decided)
    assert done.exit_code == 0, said(done)
    assert strategi_head(decided) == "version: 1\nstatus: decided"


def test_a_hand_edit_of_an_assessment_is_reported(decided: Path, cli) -> None:
    path = decided / "3-prioritera" / "bedomningar" / "anna.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sarbara: false", "sarbara: true", 1), encoding="utf-8")
    assert history(cli, decided) == [(1, "decided"), (1, "changed")]
    checked = cli("validate", "-p", decided)
    assert checked.exit_code == 1
    shown = " ".join((checked.stdout + checked.stderr).split())
    assert "the assessments changed after version 1 was decided " \
           "(3-prioritera/bedomningar/anna.yaml)" in shown
    status = cli("status", "-p", decided)
    assert "assessments changed" in " ".join((status.stdout + status.stderr).split())
    assert cli("revise", "prioritera", "-p", decided).exit_code == 0
    assert strategi_head(decided) == "version: 2\nstatus: draft"


def test_deciding_again_after_a_hand_edit_makes_version_2(decided: Path, cli) -> None:
    path = decided / "3-prioritera" / "bedomningar" / "anna.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# en kommentar\n", encoding="utf-8")
    assert cli("select", "trafik", "-p", decided).exit_code == 0
    done = cli("decide", "prioritera", "--by", "TN", "--date", "2027-04-15", "-p", decided)
    assert done.exit_code == 0, said(done)
    assert "version 2 decided" in said(done)
    assert cli("verify", "-p", decided).exit_code == 0
