"""The smaller points of the method issue, each as a user meets it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.test_decide_checks import KARTA, said
from tests.test_place import placed, project  # noqa: F401  (fixtures)
from tests.test_remiss import open_round

ROOT = Path(__file__).resolve().parent.parent


STUDSA = str(Path(sys.executable).parent / "studsa")  # the console script a user runs


def _studsa(argv: list[str], cwd: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [STUDSA, *argv], cwd=cwd, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "100", **env})


# --help ----------------------------------------------------------------------------------
def test_help_panels_follow_the_method(cli) -> None:
    shown = cli("--help").stdout
    panels = re.findall(r"╭─ (.+?) ─", shown)
    expected = ["Options", "Project", "2 Identifiera", "3 Prioritera", "4 Placera",
                "Uppföljning", "Decisions", "Reports"]
    positions = [next(i for i, p in enumerate(panels) if p.startswith(e)) for e in expected]
    assert positions == sorted(positions), panels


@pytest.mark.parametrize("argv", [["--help"], ["score", "--help"], ["decide", "--help"],
                                  ["followup", "new", "--help"], ["activity", "list", "--help"]])
def test_flags_show_no_value_type(cli, argv: list[str]) -> None:
    shown = cli(*argv).stdout
    assert "--" in shown
    assert "<bool>" not in shown and "BOOLEAN" not in shown


def test_shell_completion_is_typers_own(tmp_path: Path) -> None:
    shown = _studsa(["--show-completion", "bash"], tmp_path)
    out, err = shown.communicate(timeout=60)
    assert shown.returncode == 0, err
    cli_script = out.decode()
    assert "_studsa_completion" in cli_script and "complete" in cli_script
    # The script asks studsa itself for the words: it completes commands.
    done = subprocess.run(
        [STUDSA], cwd=tmp_path, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "_STUDSA_COMPLETE": "complete_bash",
             "COMP_WORDS": "studsa sco", "COMP_CWORD": "1"}, timeout=60)
    assert "score" in done.stdout.split()


# a closed pipe ---------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [["score", "--json"], ["score"], ["status"]])
def test_a_closed_pipe_ends_quietly(example_project: Path, argv: list[str]) -> None:
    process = _studsa(argv, example_project)
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before studsa writes a byte (`| head -0`)
    assert process.stderr is not None
    with process.stderr:
        err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141, err
    assert "internal error" not in err and "Traceback" not in err and err == ""


# -p ------------------------------------------------------------------------------------
def test_project_option_searches_upwards(cli, example_project: Path) -> None:
    inner = cli("status", "--json", "-p", example_project / "3-prioritera")
    top = cli("status", "--json", "-p", example_project)
    assert inner.exit_code == 0, said(inner)
    assert json.loads(inner.stdout) == json.loads(top.stdout)
    file = cli("status", "--json", "-p", example_project / "3-prioritera" / "strategi.yaml")
    assert file.exit_code == 0, said(file)


def test_project_option_outside_any_project_says_so(cli, tmp_path: Path) -> None:
    done = cli("status", "-p", tmp_path)
    assert done.exit_code == 2
    assert "studsa.yaml" in said(done) and "Traceback" not in said(done)


# init --example ------------------------------------------------------------------------
def test_init_example_refuses_what_it_would_ignore(cli, tmp_path: Path) -> None:
    target = tmp_path / "x"
    done = cli("init", "--example", "malmo", "--language", "en", target)
    assert done.exit_code == 2
    assert "--language" in said(done) and "Swedish" in said(done)
    assert not target.exists()
    assert cli("init", "--example", "malmo", target).exit_code == 0


def test_init_language_en_makes_an_english_project(cli, tmp_path: Path) -> None:
    done = cli("init", "--language", "en", tmp_path / "en")
    assert done.exit_code == 0, said(done)
    assert "language: en" in (tmp_path / "en" / "studsa.yaml").read_text(encoding="utf-8")


# diff names the working draft by its version --------------------------------------------
@pytest.fixture
def second_version(new_project: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    root = new_project
    (root / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    for challenge, value in (("trafik", "ja"), ("skrap", "nej")):
        assert cli("rate", challenge, "--rater", "Anna", f"forebyggande={value}",
                   f"evidens={value}", "sarbara=nej", "snabb_effekt=nej", "-p", root
                   ).exit_code == 0
    assert cli("select", "trafik", "-p", root).exit_code == 0
    assert cli("decide", "prioritera", "--by", "TN", "--date", "2027-03-15", "-p", root
               ).exit_code == 0
    assert cli("rate", "skrap", "--rater", "Anna", "evidens=ja", "-p", root).exit_code == 0
    return root


def test_diff_takes_the_working_draft_by_its_version(cli, second_version: Path) -> None:
    history = json.loads(cli("history", "strategi", "--json", "-p", second_version).stdout)
    assert [(e["version"], e["status"]) for e in history] == [(1, "decided"), (2, "draft")]
    by_number = cli("diff", "strategi", "v1", "v2", "-p", second_version)
    by_word = cli("diff", "strategi", "v1", "working", "-p", second_version)
    assert by_number.exit_code == by_word.exit_code == 0, said(by_number)
    assert by_number.stdout.replace("v2", "working") == by_word.stdout.replace("v2", "working")
    unknown = cli("diff", "strategi", "v1", "v3", "-p", second_version)
    assert unknown.exit_code == 2 and "3" in said(unknown)


# tables that fit -----------------------------------------------------------------------
def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[\s│┃|]+", text) if w}


@pytest.mark.parametrize("width", ["80", "100", "120"])
def test_score_keeps_ids_and_title_words_whole(cli, example_project: Path, width: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", width)
    shown = cli("score", "--all", "-p", example_project).stdout
    assert all(len(line) <= int(width) for line in shown.splitlines()), shown
    data = json.loads(cli("score", "--json", "-p", example_project).stdout)
    words = _words(shown)
    for entry in data["ranking"]:
        assert entry["id"] in words, (entry["id"], shown)
        for word in entry["title"].split():
            assert word in words, (word, shown)  # wrapped on words, never letter by letter
    assert "…" not in "".join(line for line in shown.splitlines() if "│" in line)


@pytest.mark.parametrize("width", ["60", "80", "120"])
def test_activity_list_never_cuts_ids(cli, example_project: Path, width: str,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", width)
    shown = cli("activity", "list", "-p", example_project).stdout
    ids = [a["id"] for a in json.loads(cli("activity", "list", "--json", "-p",
                                             example_project).stdout)]
    assert ids
    words = _words(shown)
    assert all(i in words for i in ids), shown
    assert all(len(line) <= int(width) for line in shown.splitlines())


# score import reports every bad cell ----------------------------------------------------
def test_score_import_lists_every_bad_cell(cli, new_project: Path, tmp_path: Path) -> None:
    root = new_project
    (root / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    sheet = tmp_path / "b.csv"
    sheet.write_text("challenge,rater,forebyggande,evidens,sarbara,snabb_effekt\n"
                     "trafik,Anna,ja,kanske,nej,nej\n"
                     "okand,Anna,ja,ja,nej,nej\n"
                     "skrap,Anna,ja,ja,7,nej\n", encoding="utf-8")
    before = snapshot(root)
    done = cli("score", "import", sheet, "-p", root)
    assert done.exit_code == 2
    text = " ".join(said(done).split())
    assert re.findall(r"b\.csv:(\d+):\d+", text) == ["2", "3", "4"]
    assert all(bad in text for bad in ("'kanske'", "'okand'", "'7'"))
    assert snapshot(root) == before


# remiss ----------------------------------------------------------------------------------
def test_a_late_remiss_answer_is_taken_with_a_note(cli, new_project: Path) -> None:
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    assert open_round(cli, new_project).exit_code == 0
    in_time = cli("remiss", "answer", "Stadsbyggnadsnämnden", "--date", "2021-02-15",
                  "--point", "I tid", "-p", new_project)
    assert in_time.exit_code == 0 and "deadline" not in said(in_time)
    late = cli("remiss", "answer", "Kulturnämnden", "--date", "2021-02-20", "--point", "Sent",
               "-p", new_project)
    assert late.exit_code == 0
    assert "after the deadline" in said(late) and "20 February 2021" in said(late)
    listed = json.loads(cli("remiss", "list", "--json", "-p", new_project).stdout)
    late_by_body = {r["body"]: r["late"] for r in listed[0]["recipients"]}
    assert late_by_body == {"Stadsbyggnadsnämnden": False, "Kulturnämnden": True}
    assert cli("render", "remissammanstallning", "-p", new_project).exit_code == 0
    report = next((new_project / "rapporter").glob("remissammanstallning*.md"))
    rows = [line for line in report.read_text(encoding="utf-8").splitlines()
            if line.startswith("| Kulturnämnden |") or line.startswith("| Stadsbyggnads")]
    assert ["efter svarstiden" in line for line in rows] == [False, True], rows


# one exit code for one kind of refusal -------------------------------------------------
def test_refusals_by_the_projects_state_share_exit_1(cli, placed: Path) -> None:  # noqa: F811
    not_prioritized = cli("assign", "belysning", "-d", "gatu", "-p", placed)
    second_lead = cli("assign", "renhallning", "-d", "park", "-p", placed)
    assert (not_prioritized.exit_code, second_lead.exit_code) == (1, 1)
    unknown = cli("assign", "okand", "-d", "gatu", "-p", placed)
    assert unknown.exit_code == 2  # a name that does not exist is wrong usage
