"""Phase 3 through the CLI: criterion, rate, score, select, status and validate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import snapshot

KARTA = """\
schema: studsa.utmaningskarta/1
version: 1
status: draft
themes:
  - id: t
    title: Tema
sources:
  - id: bra
    title: BRÅ
    kind: narvarld
challenges:
  - id: a
    title: Alfa
    theme: t
  - id: b
    title: Beta
    theme: t
  - id: c
    title: Gamma
    theme: t
  - id: d
    title: Delta
    theme: t
  - id: e
    title: Epsilon
    theme: t
    out_of_scope: fungerar redan
"""

# three raters who disagree; count: a 3, b 2, c 2, d 1
VOTES = {
    "Anna": {"a": "ja ja ja nej", "b": "ja nej ja nej", "c": "nej nej ja ja",
             "d": "nej nej nej nej"},
    "Bo": {"a": "ja ja nej nej", "b": "ja ja ja nej", "c": "nej ja ja ja", "d": "ja nej nej nej"},
    "Cia": {"a": "ja nej ja nej", "b": "nej nej ja ja", "c": "ja nej nej ja", "d": "ja nej nej ja"},
}
CRITERIA = ("forebyggande", "evidens", "sarbara", "snabb_effekt")


@pytest.fixture
def project(new_project: Path) -> Path:
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    return new_project


def votes_csv(folder: Path) -> Path:
    lines = ["challenge;rater;" + ";".join(CRITERIA)]
    for rater, rows in VOTES.items():
        for challenge, words in rows.items():
            lines.append(f"{challenge};{rater};" + ";".join(words.split()))
    path = folder / "votes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def rated(project: Path, cli, tmp_path: Path) -> Path:
    result = cli("score", "import", votes_csv(tmp_path), "-p", project)
    assert result.exit_code == 0, result.stderr
    return project


def score_json(cli, project: Path, *args: str) -> dict:
    result = cli("score", "--json", "-p", project, *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_rate_writes_one_file_per_rater(rated: Path) -> None:
    folder = rated / "3-prioritera" / "bedomningar"
    assert sorted(p.name for p in folder.glob("*.yaml")) == ["anna.yaml", "bo.yaml", "cia.yaml"]
    text = (folder / "anna.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../.studsa/schema/bedomning.schema.json\n"
        "schema: studsa.bedomning/1\n")
    assert "rater: Anna" in text


def test_score_count_ranking_with_ties(rated: Path, cli) -> None:
    data = score_json(cli, rated)
    assert data["method"] == "count"
    assert [(e["rank"], e["id"], e["score"]) for e in data["ranking"]] == [
        (1, "a", 3.0), (2, "b", 2.0), (2, "c", 2.0), (4, "d", 1.0)]
    first = data["ranking"][0]
    assert first["title"] == "Alfa"
    assert first["per_criterion"]["evidens"]["yes"] == 2
    assert first["per_criterion"]["evidens"]["met"] is True
    assert data["out_of_scope"] == [{"id": "e", "reason": "fungerar redan"}]
    assert data["stability"]["cut_tie"] == []
    assert data["disagreement"][0]["level"] > 0


def test_score_table_says_out_of_scope_and_ties(rated: Path, cli) -> None:
    result = cli("score", "-p", rated)
    assert result.exit_code == 0, result.stderr
    assert "2=" in result.stdout
    assert "out-of-scope challenge not ranked: e" in result.stdout
    assert "stability:" in result.stdout


def test_weighted_with_changed_weight(rated: Path, cli) -> None:
    assert cli("criterion", "edit", "snabb_effekt", "--weight", "3", "-p", rated).exit_code == 0
    data = score_json(cli, rated, "--method", "weighted")
    # a: 3 met × 1 = 3; b: 2 + 0 = 2; c: sarbara 1 + snabb_effekt 3 = 4; d: 1
    assert [(e["id"], e["rank"], e["score"]) for e in data["ranking"]] == [
        ("c", 1, 4.0), ("a", 2, 3.0), ("b", 3, 2.0), ("d", 4, 1.0)]


def test_sensitivity_verdict(rated: Path, cli) -> None:
    data = score_json(cli, rated, "--sensitivity", "--top", "2")
    assert data["sensitivity"]["verdict"].startswith("top 2 changes in")
    assert len(data["sensitivity"]["cases"]) == 4
    result = cli("score", "--sensitivity", "-p", rated)
    assert "sensitivity:" in result.stdout


def test_missing_assessment_is_an_error_unless_allowed(rated: Path, cli) -> None:
    assert cli("rate", "a", "--rater", "Dan", "evidens=ja", "-p", rated).exit_code == 0
    result = cli("score", "-p", rated)
    assert result.exit_code == 1
    assert "rater 'Dan' has no value for challenge 'a', criterion 'forebyggande'" in (
        result.stderr.replace("\n", " "))
    data = score_json(cli, rated, "--allow-missing")
    assert data["missing"] == 15
    assert "15 missing verdicts counted as not met / lowest" in data["notes"]


def test_rate_refuses_bad_input_and_changes_nothing(rated: Path, cli) -> None:
    before = snapshot(rated)
    for args in (
        ["a", "--rater", "Anna", "evidens=kanske"],
        ["a", "--rater", "Anna", "okand=ja"],
        ["zz", "--rater", "Anna", "evidens=ja"],
        ["a", "--rater", "Anna", "evidens"],
        ["a", "--rater", "Anna", "evidens=ja", "--source", "nope"],
    ):
        result = cli("rate", *args, "-p", rated)
        assert result.exit_code == 2, args
        assert "error:" in result.stderr
    assert snapshot(rated) == before


def test_rate_with_source_cites_it(rated: Path, cli) -> None:
    result = cli("rate", "a", "--rater", "Anna", "evidens=ja", "--source", "bra",
                 "--comment", "BRÅ 2019", "-p", rated)
    assert result.exit_code == 0, result.stderr
    data = score_json(cli, rated)
    assert data["ranking"][0]["per_criterion"]["evidens"]["sources"] == ["bra"]
    assert cli("validate", "-p", rated).exit_code == 0


def test_criterion_add_list_edit_remove(project: Path, cli) -> None:
    result = cli("criterion", "add", "Kostnadseffektiv åtgärd", "--scale", "1-5", "--weight",
                 "2", "-p", project)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(cli("criterion", "list", "--json", "-p", project).stdout)
    assert [r["id"] for r in rows][-1] == "kostnadseffektiv-atgard"
    assert rows[-1]["scale"] == "1-5" and rows[-1]["weight"] == 2.0
    assert all("title" in r for r in rows)
    assert cli("criterion", "edit", "kostnadseffektiv-atgard", "--title", "Kostnad",
               "-p", project).exit_code == 0
    assert cli("criterion", "remove", "kostnadseffektiv-atgard", "-p", project).exit_code == 0
    rows = json.loads(cli("criterion", "list", "--json", "-p", project).stdout)
    assert [r["id"] for r in rows] == list(CRITERIA)


def test_criterion_failures_change_nothing(rated: Path, cli) -> None:
    before = snapshot(rated)
    cases = [
        (["criterion", "add", "Dublett", "--id", "evidens"], 2),
        (["criterion", "add", "X", "--scale", "0-10"], 2),
        (["criterion", "edit", "okand", "--weight", "2"], 2),
        (["criterion", "edit", "evidens", "--weight", "-1"], 2),
        (["criterion", "edit", "evidens", "--scale", "1-5"], 2),
        (["criterion", "remove", "evidens"], 2),
    ]
    for args, code in cases:
        result = cli(*args, "-p", rated)
        assert result.exit_code == code, (args, result.stderr)
    assert snapshot(rated) == before
    scale = cli("criterion", "edit", "evidens", "--scale", "1-5", "-p", rated)
    assert "off it" in scale.stderr and "anna.yaml" in scale.stderr


def test_scale_change_allowed_when_values_fit(rated: Path, cli) -> None:
    # yes/no words do not fit 0-3, so refuse; after rewriting as 0/1 numbers they would,
    # but yes-no values written as true/false stay refused
    result = cli("criterion", "edit", "evidens", "--scale", "0-3", "-p", rated)
    assert result.exit_code == 2


def test_criterion_remove_with_drop_values(rated: Path, cli) -> None:
    result = cli("criterion", "remove", "evidens", "--drop-values", "-p", rated)
    assert result.exit_code == 0, result.stderr
    assert "12 recorded values" in result.stderr
    text = (rated / "3-prioritera" / "bedomningar" / "bo.yaml").read_text(encoding="utf-8")
    assert "evidens" not in text
    assert cli("validate", "-p", rated).exit_code == 0


def test_select_needs_reasons_for_deviations(rated: Path, cli) -> None:
    before = snapshot(rated)
    result = cli("select", "a", "d", "-p", rated)
    assert result.exit_code == 2
    assert "d (rank 4) is selected although b, c (rank 2) is not" in result.stderr.replace(
        "\n", " ")
    assert "--why d=TEXT" in result.stderr.replace("\n", " ")
    assert snapshot(rated) == before
    for bad in (["zz"], ["e"], ["a", "a"], ["a", "--why", "b=text"], ["a", "--why", "a"]):
        assert cli("select", *bad, "-p", rated).exit_code == 2, bad
    assert snapshot(rated) == before
    ok = cli("select", "a", "d", "--why", "d=Presidiet prioriterade trafiken",
             "--rationale", "Workshop med presidiet", "--made-at", "2020-06-10", "-p", rated)
    assert ok.exit_code == 0, ok.stderr
    data = score_json(cli, rated)
    assert data["selection"]["challenges"] == ["a", "d"]
    assert data["selection"]["deviations"] == ["d"]
    assert data["selection"]["missing_reasons"] == []
    assert data["selection"]["stale"] is False
    by_id = {e["id"]: e for e in data["ranking"]}
    assert by_id["d"]["selected"] and by_id["d"]["why"].startswith("Presidiet")
    text = (rated / "3-prioritera" / "strategi.yaml").read_text(encoding="utf-8")
    assert "assessments_sha256:" in text and "method: count" in text


def test_select_ties_need_no_reason(rated: Path, cli) -> None:
    assert cli("select", "a", "c", "-p", rated).exit_code == 0


def test_rate_records_values(project: Path, cli) -> None:
    for challenge, words in VOTES["Anna"].items():
        pairs = [f"{c}={w}" for c, w in zip(CRITERIA, words.split(), strict=True)]
        assert cli("rate", challenge, "--rater", "Anna", *pairs, "-p", project).exit_code == 0
    assert cli("rate", "a", "--rater", "Anna", "evidens=nej", "-p", project).exit_code == 0
    data = score_json(cli, project)
    assert [(e["id"], e["score"]) for e in data["ranking"]] == [
        ("a", 2.0), ("b", 2.0), ("c", 2.0), ("d", 0.0)]


def test_status_next_steps_and_stale_selection(project: Path, cli, tmp_path: Path) -> None:
    from studsa.workflow.context import Workspace
    from studsa.workflow.prioritize import next_step

    assert "studsa rate" in (next_step(Workspace.open(project)) or "")
    assert cli("score", "import", votes_csv(tmp_path), "-p", project).exit_code == 0
    assert "studsa select" in (next_step(Workspace.open(project)) or "")
    assert cli("select", "a", "b", "c", "-p", project).exit_code == 0
    assert next_step(Workspace.open(project)) is None
    cli("rate", "d", "--rater", "Anna", "forebyggande=ja", "-p", project)
    result = cli("status", "-p", project)
    assert "selection made on older assessments" in result.stdout.replace("\n", " ")
    data = score_json(cli, project)
    assert data["selection"]["stale"] is True


def test_validate_reports_bad_assessment_files(rated: Path, cli) -> None:
    path = rated / "3-prioritera" / "bedomningar" / "anna.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("challenge: d", "challenge: zz", 1).replace("evidens: true", "evidens: 5",
                                                                     1)
    path.write_text(text, encoding="utf-8")
    (rated / "3-prioritera" / "bedomningar" / "anna2.yaml").write_text(
        "schema: studsa.bedomning/1\nrater: Anna\nassessments: []\n", encoding="utf-8")
    result = cli("validate", "-p", rated)
    assert result.exit_code == 1
    err = result.stderr.replace("\n", " ")
    assert "unknown challenge 'zz'" in err
    assert "'5' is not a yes/no answer" in err
    assert "rater 'Anna' also has the file" in err
    assert "anna.yaml:" in err
    scored = cli("score", "-p", rated)
    assert scored.exit_code == 1 and "anna.yaml:" in scored.stderr


def test_score_without_assessments_says_what_to_do(project: Path, cli) -> None:
    result = cli("score", "-p", project)
    assert result.exit_code == 1
    assert "studsa rate" in result.stderr


def test_score_help_lists_import(cli) -> None:
    result = cli("score", "--help")
    assert result.exit_code == 0
    assert "import" in result.stdout and "--sensitivity" in result.stdout
