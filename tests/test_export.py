"""``studsa export``: the project as JSON, CSV and XLSX; formulas neutralised; deterministic."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest

from studsa.workflow.export import neutralise

DANGEROUS = {
    "c1": '=HYPERLINK("http://evil.example","klicka")',
    "c2": "-2+3",
    "c3": "+46 40 34 10 00",
    "c4": "@SUM(A1:A9)",
}


@pytest.fixture(scope="module")
def risky_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose challenge titles and descriptions look like formulas (built once)."""
    from studsa.workflow.project import InitOptions, init_project
    from tests.conftest import Cli

    root = tmp_path_factory.mktemp("export") / "strategi"
    init_project(InitOptions(path=root, name="Teststrategi", start_year=2021))
    cli = Cli()
    assert cli("theme", "add", "Tema", "--id", "t", "-p", root).exit_code == 0
    for cid, title in DANGEROUS.items():
        result = cli("challenge", "add", "--theme", "t", "--id", cid,
                     "--description", "=1+1", "-p", root, "--", title)
        assert result.exit_code == 0, result.stderr
    return root


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"),
     ("\r=1", "'\r=1"), ("Renhållning", "Renhållning"), ("1-2", "1-2"), ("", ""),
     ("a=b", "a=b")],
)
def test_neutralise(value: str, expected: str) -> None:
    assert neutralise(value) == expected


def _csv_rows(folder: Path, name: str) -> list[dict[str, str]]:
    text = (folder / f"{name}.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_csv_cells_that_look_like_formulas_are_neutralised(risky_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = risky_project / "ut-csv"
    result = cli("export", "--format", "csv", "--out", out, "-p", risky_project)
    assert result.exit_code == 0, result.stderr
    rows = {row["ID"]: row for row in _csv_rows(out, "challenges")}
    for cid, title in DANGEROUS.items():
        assert rows[cid]["Titel"] == "'" + title
        assert rows[cid]["Beskrivning"] == "'=1+1"
        assert rows[cid]["Tema"] == "t"
    assert (out / "challenges.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_xlsx_cells_are_text_not_formulas(risky_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    target = risky_project / "ut.xlsx"
    assert cli("export", "-f", "xlsx", "-o", target, "-p", risky_project).exit_code == 0
    sheet = openpyxl.load_workbook(target)["Utmaningar"]
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["ID", "Titel", "Tema"]
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)
        cid, title = row[0].value, row[1].value
        assert title == "'" + DANGEROUS[cid]


def test_json_keeps_values_as_they_are(risky_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("export", "-p", risky_project)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    titles = {c["id"]: c["title"] for c in data["challenges"]}
    assert titles == DANGEROUS
    assert data["project"]["name"] == "Teststrategi"
    assert [c["id"] for c in data["criteria"]] == ["forebyggande", "evidens", "sarbara",
                                                   "snabb_effekt"]
    assert set(data) >= {"themes", "sources", "assessments", "ranking", "selection",
                         "placements", "activities", "followup", "decisions"}


def test_every_format_is_byte_identical_across_runs(risky_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    outputs = []
    for run in ("a", "b"):
        folder = risky_project / f"runs-{run}"
        cli("export", "-f", "csv", "-o", folder / "csv", "-p", risky_project)
        cli("export", "-f", "xlsx", "-o", folder / "x.xlsx", "-p", risky_project)
        cli("export", "-f", "json", "-o", folder / "x.json", "-p", risky_project)
        outputs.append({p.relative_to(folder).as_posix(): p.read_bytes()
                        for p in sorted(folder.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == 16


def test_default_locations(risky_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("export", "-f", "xlsx", "-p", risky_project)
    assert result.exit_code == 0
    assert result.stdout.strip() == "rapporter/export.xlsx"
    assert (risky_project / "rapporter" / "export.xlsx").is_file()
    assert cli("export", "-f", "csv", "-p", risky_project).exit_code == 0
    assert (risky_project / "rapporter" / "export" / "activities.csv").is_file()


def test_unknown_format_is_a_usage_error_and_changes_nothing(new_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import snapshot

    before = snapshot(new_project)
    result = cli("export", "--format", "pdf", "-p", new_project)
    assert result.exit_code == 2
    assert snapshot(new_project) == before


def test_example_project_exports_every_phase(example_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(cli("export", "-p", example_project).stdout)
    assert data["themes"] and data["challenges"] and data["assessments"]
    assert data["placements"] and data["activities"] and data["followup"]
    prioritized = {c["id"] for c in data["challenges"] if c["prioritized"]}
    assert prioritized == {s["challenge"] for s in data["selection"]}
    target = example_project / "x.xlsx"
    assert cli("export", "-f", "xlsx", "-o", target, "-p", example_project).exit_code == 0
    workbook = openpyxl.load_workbook(target)
    assert workbook["Aktiviteter"].max_row == len(data["activities"]) + 1


def test_empty_tables_keep_their_headers(new_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = new_project / "ut"
    assert cli("export", "-f", "csv", "-o", out, "-p", new_project).exit_code == 0
    header = (out / "ranking.csv").read_bytes().decode("utf-8-sig").strip()
    assert header == "Placering;ID;Titel;Poäng;Metod;Underlag"


def test_example_ranking_is_computed_from_the_assessments(example_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(cli("export", "-p", example_project).stdout)
    ranking = data["ranking"]
    assert ranking and ranking[0]["rank"] == 1
    assert {row["basis"] for row in ranking} == {"computed"}
    ranks = [row["rank"] for row in ranking]
    assert ranks == sorted(ranks)


def test_remiss_points_are_exported_by_a_fresh_process(example_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    # In a fresh interpreter nothing else has loaded the remiss models first.
    from tests.conftest import run_python

    assert cli("remiss", "open", "strategi", "--to", "Nämnd A", "--deadline", "2030-01-01",
               "-p", example_project).exit_code == 0
    assert cli("remiss", "answer", "Nämnd A", "--point", "Bra", "-p", example_project
               ).exit_code == 0
    argv = ["studsa", "export", "-p", str(example_project)]
    stdout = run_python(f"import sys\nsys.argv = {argv!r}\n"
                        "from studsa.__main__ import main\nmain()\n")
    rows = json.loads(stdout)["remiss"]
    assert [(r["deliverable"], r["body"], r["point"], r["text"]) for r in rows] == [
        ("strategi", "Nämnd A", "p1", "Bra")]
