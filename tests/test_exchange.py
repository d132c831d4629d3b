"""Excel both ways: what ``export`` writes, the imports read back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from ruamel.yaml import YAML

from studsa.scoring import parse_value
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import criterion_specs


def _fresh_copy(example: Path, target: Path) -> Path:
    """The example without the data the imports bring: challenges, assessments, follow-up."""
    shutil.copytree(example, target)
    yaml = YAML()
    karta = target / "2-identifiera" / "utmaningskarta.yaml"
    data = yaml.load(karta.read_text(encoding="utf-8"))
    data["challenges"] = []
    with karta.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    for folder in ("3-prioritera/bedomningar", "uppfoljning"):
        for path in (target / folder).glob("*.yaml"):
            path.unlink()
    return target


def _data(root: Path) -> dict[str, Any]:
    """What the imports are to reproduce, compared as data (yes-no values as 1/0)."""
    ws = Workspace.open(root)
    scales = {s.id: s.scale for s in criterion_specs(ws.strategi.model)}
    raters = {}
    for doc in ws.bedomningar:
        dumped = doc.model.model_dump(mode="json", exclude={"schema_"})
        for item in dumped["assessments"]:
            for key, cell in item["values"].items():
                if isinstance(cell, dict):
                    cell["value"] = parse_value(scales[key], cell["value"])
                else:
                    item["values"][key] = parse_value(scales[key], cell)
        raters[dumped["rater"]] = dumped
    return {
        "challenges": [c.model_dump(mode="json") for c in ws.karta.model.challenges],
        "raters": raters,
        "followup": {
            doc.model.period: doc.model.model_dump(
                mode="json", include={"period", "departments", "summary", "reports"})
            for doc in ws.uppfoljningar
        },
    }


@pytest.mark.parametrize(("fmt", "language"), [("xlsx", "sv"), ("csv", "sv"), ("xlsx", "en"),
                                             ("csv", "en")])
def test_export_imports_back_unchanged(example_project: Path, tmp_path: Path, cli, fmt: str,
                                       language: str) -> None:  # type: ignore[no-untyped-def]
    settings = example_project / "studsa.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("language: sv", f"language: {language}"), encoding="utf-8")
    out = tmp_path / ("malmo.xlsx" if fmt == "xlsx" else "malmo-csv")
    assert cli("export", "-f", fmt, "-o", out, "-p", example_project).exit_code == 0
    fresh = _fresh_copy(example_project, tmp_path / "fresh")
    sheets = {name: out if fmt == "xlsx" else out / f"{name}.csv"
              for name in ("challenges", "assessments", "followup")}
    for command in (("challenge", "import", sheets["challenges"]),
                    ("score", "import", sheets["assessments"]),
                    ("followup", "import", sheets["followup"])):
        result = cli(*command, "-p", fresh)
        assert result.exit_code == 0, result.stderr
        assert "skipped" not in result.stderr and "hoppade" not in result.stderr
    expected, got = _data(example_project), _data(fresh)
    assert len(expected["challenges"]) == 11 and len(expected["raters"]) == 3
    assert {"2021", "2021-T2"} <= set(expected["followup"])
    assert got["challenges"] == expected["challenges"]
    assert got["raters"] == expected["raters"]
    assert got["followup"] == expected["followup"]
    assert cli("validate", "-p", fresh).exit_code == 0


def test_workbook_cells_are_typed(example_project: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "x.xlsx"
    assert cli("decide", "utmaningskarta", "--by", "Tekniska nämnden", "--date", "2020-09-24",
               "-p", example_project).exit_code == 0
    assert cli("export", "-f", "xlsx", "-o", target, "-p", example_project).exit_code == 0
    book = openpyxl.load_workbook(target)
    assert "Utmaningar" in book.sheetnames and "Bedömningar" in book.sheetnames
    activities = book["Aktiviteter"]
    header = [c.value for c in activities[1]]
    first = {h: c for h, c in zip(header, activities[2], strict=True)}
    assert isinstance(first["År"].value, int)
    assert isinstance(first["Kostnad per år"].value, int)
    assert first["Kostnad per år"].number_format == '#,##0 "kr"'
    assert {"Indikator", "Utgångsvärde", "Målvärde", "Målår", "Enhet"} <= set(header)
    assert not any(str(c.value or "").startswith("{") for row in activities.iter_rows()
                   for c in row)
    decisions = book["Beslut"]
    date = decisions.cell(row=2, column=4)
    assert isinstance(date.value, dt.datetime) and date.value.date() == dt.date(2020, 9, 24)
    assert date.number_format == "yyyy-mm-dd"
    sources = book["Källor"]
    assert isinstance(sources.cell(row=2, column=5).value, int)  # the year


def test_swedish_csv_uses_semicolons_and_decimal_commas(example_project: Path, tmp_path: Path,
                                                         cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "csv"
    assert cli("export", "-f", "csv", "-o", out, "-p", example_project).exit_code == 0
    raw = (out / "activities.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["Kostnad per år"].isdigit()
    ranking = list(csv.DictReader(io.StringIO((out / "ranking.csv").read_bytes()
                                              .decode("utf-8-sig")), delimiter=";"))
    assert ranking and all("." not in row["Poäng"] for row in ranking)


def test_english_csv_uses_commas_and_points(new_project: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    studsa_yaml = new_project / "studsa.yaml"
    studsa_yaml.write_text(studsa_yaml.read_text(encoding="utf-8").replace(
        "language: sv", "language: en"), encoding="utf-8")
    assert cli("criterion", "edit", "evidens", "--weight", "1.5", "-p", new_project
               ).exit_code == 0
    out = tmp_path / "csv"
    assert cli("export", "-f", "csv", "-o", out, "-p", new_project).exit_code == 0
    text = (out / "criteria.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["ID", "Title", "Description"]
    assert {row["ID"]: row["Weight"] for row in rows}["evidens"] == "1.5"


def test_swedish_headers_other_sheet_and_extra_columns(example_project: Path, tmp_path: Path,
                                                       cli) -> None:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    book.active.title = "Instruktioner"
    book.active.append(["Fyll i fliken Bedömningar"])
    sheet = book.create_sheet("Bedömningar")
    sheet.append(["Tidsstämpel", "Bedömare", "Utmaning", "Förebyggande insats med långsiktig "
                  "effekt", "Evidens", "SARBARA", "snabb effekt", "E-post"])
    sheet.append([dt.datetime(2020, 6, 1, 9, 0), "Ny Bedömare", "Renhållning för ökad trygghet",
                  "ja", "nej", "ja", "nej", "ny@example.se"])
    path = tmp_path / "enkat.xlsx"
    book.save(path)
    result = cli("score", "import", path, "-p", example_project)
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stderr.split())
    assert "Tidsstämpel, E-post" in said and said.count("Tidsstämpel") == 1
    ws = Workspace.open(example_project)
    doc = next(d for d in ws.bedomningar if d.model.rater == "Ny Bedömare")
    values = doc.model.assessments[0].values
    assert doc.model.assessments[0].challenge == "renhallning"
    assert {k: parse_value("yes-no", v) for k, v in values.items()} == {
        "forebyggande": 1, "evidens": 0, "sarbara": 1, "snabb_effekt": 0}


def test_followup_import_errors_name_row_and_column(example_project: Path, tmp_path: Path,
                                                    cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import snapshot

    path = tmp_path / "f.csv"
    path.write_text("Period;Aktivitet;Status;Förbrukat\n2021-T2;skrapkorgar;Pågår;1 000 kr\n"
                    "2021-T2;okand;Klar;\n2021-T2;skrapkorgar;kanske;\n", encoding="utf-8")
    before = snapshot(example_project)
    result = cli("followup", "import", path, "-p", example_project)
    assert result.exit_code == 2
    said = " ".join(result.stderr.replace(str(tmp_path) + "/", "").split())
    assert "f.csv:3:2: there is no activity 'okand'" in said
    assert "f.csv:4:3: status 'kanske' is not valid" in said
    assert snapshot(example_project) == before
