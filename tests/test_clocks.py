"""The method's clocks read the calendar: revision, plan period, yearly follow-up, remiss."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from studsa.storage.project import ProjectStore
from studsa.workflow.clocks import clocks
from studsa.workflow.context import Workspace


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDSA_LANG", "en")


@pytest.fixture
def decided(example_project: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    """The Malmö example with its strategi decided in 2021 (mandate period 2019–2022)."""
    done = cli("decide", "prioritera", "--by", "Tekniska nämnden", "--date", "2021-03-24",
               "-p", example_project)
    assert done.exit_code == 0, done.stderr
    return example_project


def kinds(root: Path, today: str) -> list[str]:
    ws = Workspace(ProjectStore.discover(root), today=dt.date.fromisoformat(today))
    return [c.kind for c in clocks(ws)]


def test_no_clock_without_a_date(decided: Path) -> None:
    assert clocks(Workspace(ProjectStore.discover(decided))) == []


@pytest.mark.parametrize(("today", "expected"), [
    ("2021-06-01", []),
    ("2022-12-31", []),
    ("2023-02-01", ["revision_due", "programme_over", "followup_missing"]),
    ("2026-12-03", ["revision_due", "programme_over", "followup_missing"]),
    ("2027-01-10", ["revision_overdue", "programme_over", "followup_missing"]),
])
def test_clocks_against_the_date(decided: Path, today: str, expected: list[str]) -> None:
    assert kinds(decided, today) == expected


def test_status_warns_when_the_clocks_run_out(decided: Path, cli) -> None:
    done = cli("status", "--today", "2026-12-03", "-p", decided)
    assert done.exit_code == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "! revision due: the strategy was decided on 2021-03-24 (mandate period " \
           "2019–2022) and is to be revised during 2023–2026 (today is 2026-12-03)" in text
    assert "the handlingsplan's period 2021–2022 ended 4 year(s) ago" in text
    assert "the yearly follow-up of 2022 is not done" in text
    assert "next revision during" not in text  # the plain info note gives way
    data = json.loads(cli("status", "--json", "--today", "2026-12-03", "-p", decided).stdout)
    assert sum(n["level"] == "warning" and n["area"] == "clocks" for n in data["notes"]) == 3


def test_status_before_the_clocks_run_out_keeps_the_plain_note(decided: Path, cli) -> None:
    done = cli("status", "--today", "2021-06-01", "-p", decided)
    text = " ".join(done.stdout.split())
    assert "next revision during 2023-2026" in text and "revision due" not in text


def test_validate_json_lists_the_clocks_as_warnings(decided: Path, cli) -> None:
    done = cli("validate", "--json", "--today", "2027-01-10", "-p", decided)
    data = json.loads(done.stdout)
    warnings = {f["file"]: f["message"] for f in data["findings"] if f["severity"] == "warning"}
    assert "revision overdue" in warnings["3-prioritera/strategi.yaml"]
    assert "ended 5 year(s) ago" in warnings["4-placera/handlingsplan.yaml"]
    assert "2022" in warnings["uppfoljning/"]


def test_the_lagesbild_says_which_clocks_ran_out(decided: Path, cli) -> None:
    done = cli("render", "lagesbild", "--today", "2026-12-03", "-p", decided)
    assert done.exit_code == 0, done.stderr
    [path] = (decided / "rapporter").glob("lagesbild-*.md")
    text = path.read_text(encoding="utf-8")
    assert "## Passerade tidsgränser" in text and "Läget den 3 december 2026:" in text
    assert "Strategin beslutades 24 mars 2021 (mandatperioden 2019–2022) och ska revideras " \
           "under 2023–2026." in text
    assert "`studsa" not in text


def test_a_bad_today_is_a_usage_error(decided: Path, cli) -> None:
    done = cli("status", "--today", "3 dec", "-p", decided)
    assert done.exit_code == 2 and "--today" in done.stderr


def test_remiss_deadline_against_today(decided: Path, cli) -> None:
    opened = cli("remiss", "open", "strategi", "--to", "Polisen", "--deadline", "2027-02-01",
                 "-p", decided)
    assert opened.exit_code == 0, opened.stderr
    assert "remiss_passed" not in kinds(decided, "2027-01-15")
    assert "remiss_passed" in kinds(decided, "2027-02-02")
