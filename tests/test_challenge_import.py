"""``challenge import`` from CSV (comma, Swedish semicolon/cp1252) and XLSX, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studsa.storage.reader import parse as parse_yaml
from tests.conftest import snapshot

KARTA = "2-identifiera/utmaningskarta.yaml"


def karta(root: Path) -> dict:
    """The utmaningskarta as plain data."""
    return parse_yaml((root / KARTA).read_text(encoding="utf-8"))


@pytest.fixture
def project(cli, new_project: Path) -> Path:
    """A project with the theme `skotsel` and the source `bra`."""
    for args in (("theme", "add", "Skötsel och drift", "--id", "skotsel"),
                 ("source", "add", "Brå:s material", "--kind", "narvarld", "--id", "bra"),
                 ("source", "add", "Workshop", "--kind", "invarld")):
        assert cli(*args, "-p", new_project).exit_code == 0
    return new_project


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    """An Excel file with ``rows`` on its first sheet."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def run_import(cli, root: Path, sheet: Path, *options: str):
    return cli("challenge", "import", sheet, *options, "-p", root)


def fails(cli, root: Path, sheet: Path, *options: str) -> list[str]:
    """Import that must fail with exit 2 and change nothing; return the error lines."""
    before = snapshot(root)
    result = run_import(cli, root, sheet, *options)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert snapshot(root) == before
    assert "Traceback" not in result.stderr
    lines: list[str] = []
    for line in result.stderr.splitlines():  # rich wraps long lines at spaces
        if line.startswith("error: ") or not lines:
            lines.append(line)
        else:
            lines[-1] = lines[-1].rstrip() + " " + line.strip()
    return [line for line in lines if line.startswith("error: ")]


# --- happy paths -----------------------------------------------------------------------
def test_comma_csv(cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "utmaningar.csv"
    sheet.write_text(
        "id,title,theme,description,sources\n"
        "renhallning,Renhållning för ökad trygghet,skotsel,\"Skräp, klotter\",bra;Workshop\n"
        ",Belysning i parker,Skötsel och drift,,\n", encoding="utf-8")
    result = run_import(cli, project, sheet)
    assert result.exit_code == 0, result.stderr
    assert "imported 2 challenges" in result.stderr
    challenges = karta(project)["challenges"]
    assert [(c["id"], c["theme"]) for c in challenges] == [
        ("renhallning", "skotsel"), ("belysning-i-parker", "skotsel")]
    assert challenges[0]["description"] == "Skräp, klotter"
    assert list(challenges[0]["sources"]) == ["bra", "workshop"]
    assert "description" not in challenges[1]


def test_swedish_excel_csv_in_cp1252_with_semicolons(cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "utmaningar.csv"
    sheet.write_bytes((
        "ID;Title;Theme;Description\r\n"
        ";Trafikbeteende och otrygghet i trafikmiljön;Trafikmiljö;Höga hastigheter\r\n"
        ";Rätt åtgärder för ökad trygghet i befintlig stad;Stadsplanering;\r\n"
    ).encode("cp1252"))
    result = run_import(cli, project, sheet, "--create-themes")
    assert result.exit_code == 0, result.stderr
    data = karta(project)
    assert [(t["id"], t["title"]) for t in data["themes"]][1:] == [
        ("trafikmiljo", "Trafikmiljö"), ("stadsplanering", "Stadsplanering")]
    assert [(c["id"], c["theme"]) for c in data["challenges"]] == [
        ("trafikbeteende-och-otrygghet-i-trafikmiljon", "trafikmiljo"),
        ("ratt-atgarder-for-okad-trygghet-i-befintlig-stad", "stadsplanering")]
    assert data["challenges"][0]["description"] == "Höga hastigheter"


def test_xlsx(cli, project: Path, tmp_path: Path) -> None:
    sheet = write_xlsx(tmp_path / "utmaningar.xlsx", [
        ["id", "title", "theme"],
        ["klotter", "Snabb hantering av klotter", "skotsel"],
        [None, "Grönska för god överblick", "SKÖTSEL OCH DRIFT"],
    ])
    result = run_import(cli, project, sheet, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["written"] is True and data["dry_run"] is False
    assert data["themes_created"] == []
    assert [c["id"] for c in data["challenges"]] == ["klotter", "gronska-for-god-overblick"]
    assert [c["id"] for c in karta(project)["challenges"]] == [
        "klotter", "gronska-for-god-overblick"]


def test_dry_run_writes_nothing(cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "u.csv"
    sheet.write_text("title,theme\nA,Ny tematik\n", encoding="utf-8")
    before = snapshot(project)
    result = run_import(cli, project, sheet, "--create-themes", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert snapshot(project) == before
    assert "dry run" in result.stderr and "nothing was written" in result.stderr
    assert "ny-tematik (new)" in result.stdout
    data = json.loads(run_import(cli, project, sheet, "--create-themes", "--dry-run",
                                 "--json").stdout)
    assert data["themes_created"] == [{"id": "ny-tematik", "title": "Ny tematik"}]
    assert data["written"] is False


def test_create_themes_makes_one_theme_per_name(cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "u.csv"
    sheet.write_text("title,theme\nA,Trafik\nB,trafik \nC,Skötsel och drift\n",
                     encoding="utf-8")
    assert run_import(cli, project, sheet, "--create-themes").exit_code == 0
    data = karta(project)
    assert [t["id"] for t in data["themes"]] == ["skotsel", "trafik"]
    assert [c["theme"] for c in data["challenges"]] == ["trafik", "trafik", "skotsel"]


def test_comments_survive_an_import(cli, project: Path, tmp_path: Path) -> None:
    path = project / KARTA
    path.write_text(path.read_text(encoding="utf-8").replace(
        "themes:", "# my note about themes\nthemes:"), encoding="utf-8")
    sheet = tmp_path / "u.csv"
    sheet.write_text("title,theme\nA,Nytt\n", encoding="utf-8")
    assert run_import(cli, project, sheet, "--create-themes").exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "# my note about themes\nthemes:" in text
    assert "# Fas 2, Identifiera" in text


# --- errors: all at once, file:row:column, nothing written ---------------------------
def test_unknown_theme_without_create_themes(cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "u.csv"
    sheet.write_text("id,title,theme\na,A,skotsel\nb,B,Okänt\n", encoding="utf-8")
    errors = fails(cli, project, sheet)
    assert len(errors) == 1
    assert errors[0].startswith(f"error: {sheet}:3:3: unknown theme 'Okänt'")
    assert "--create-themes" in errors[0]


def test_duplicate_ids_name_row_and_column(cli, project: Path, tmp_path: Path) -> None:
    assert cli("challenge", "add", "Finns", "--theme", "skotsel", "--id", "finns", "-p",
               project).exit_code == 0
    sheet = tmp_path / "u.csv"
    sheet.write_text("title,theme,id\nA,skotsel,dubbel\nB,skotsel,dubbel\nC,skotsel,finns\n"
                     "D,skotsel,Bad Id\n", encoding="utf-8")
    errors = fails(cli, project, sheet)
    assert errors[0] == f"error: {sheet}:3:3: the id 'dubbel' is also used on row 2"
    assert errors[1] == f"error: {sheet}:4:3: a challenge with id 'finns' already exists"
    assert errors[2].startswith(f"error: {sheet}:5:3: challenge id 'Bad Id' is not valid")


def test_a_repeated_title_without_id_is_refused(cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "u.csv"
    sheet.write_text("title,theme\nBelysning,skotsel\n", encoding="utf-8")
    assert run_import(cli, project, sheet).exit_code == 0
    errors = fails(cli, project, sheet)  # the same sheet twice
    assert errors == [
        f"error: {sheet}:2:1: a challenge titled 'Belysning' already exists (id belysning); "
        "give this row an id if it is a different challenge"]
    sheet.write_text("title,theme\nX,skotsel\nx,skotsel\n", encoding="utf-8")
    assert fails(cli, project, sheet) == [
        f"error: {sheet}:3:1: the title 'x' is also on row 2; give one of them an id"]


@pytest.mark.parametrize(("content", "needle"), [
    ("title,theme\n,skotsel\n", ":2:1: the title is empty"),
    ("title,theme\nA,\n", ":2:2: the theme is empty"),
    ("title,theme,sources\nA,skotsel,bra;okänd\n", ":2:3: unknown source 'okänd'"),
    ("title,theme\n!!!,skotsel\n", ":2:1: cannot derive"),
    ("title,område\nA,skotsel\n", ":1: missing column(s) theme"),
    ("title,theme\n", "header row but no challenges"),
    ("", "the file is empty"),
])
def test_bad_sheets(cli, project: Path, tmp_path: Path, content: str, needle: str) -> None:
    sheet = tmp_path / "u.csv"
    sheet.write_text(content, encoding="utf-8")
    errors = fails(cli, project, sheet)
    assert len(errors) == 1 and needle in errors[0], errors


def test_every_problem_is_reported_and_nothing_written(cli, project: Path, tmp_path: Path
                                                       ) -> None:
    sheet = write_xlsx(tmp_path / "u.xlsx", [
        ["title", "theme"], ["A", "skotsel"], ["B", "nope"], [None, "skotsel"], ["D", "nope2"]])
    errors = fails(cli, project, sheet)
    assert [e.split(": ")[1] for e in errors] == [
        f"{sheet}:3:2", f"{sheet}:4:1", f"{sheet}:5:2"]


def test_unsupported_or_missing_file(cli, project: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "u.ods"
    sheet.write_text("x", encoding="utf-8")
    assert "unsupported file type" in fails(cli, project, sheet)[0]
    assert fails(cli, project, tmp_path / "missing.csv")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert "not a readable Excel" in fails(cli, project, broken)[0]


@pytest.mark.parametrize("rows", [25_000, 9_500])
def test_an_import_studsa_could_not_read_back_is_refused_up_front(
        cli, project: Path, tmp_path: Path, rows: int) -> None:
    """25,000 rows: more challenges than a list may hold; 9,500 rows with every column
    filled: more values than a file may hold. Neither is planned or written."""
    import time

    sheet = tmp_path / "many.csv"
    lines = ["id,title,theme,description,sources,out_of_scope,example"] + [
        f"u{i},Utmaning {i},skotsel,Beskrivning {i},bra;workshop,Inte detta,ja"
        for i in range(rows)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.process_time()
    errors = fails(cli, project, sheet)
    assert time.process_time() - start < 3.0
    assert len(errors) == 1 and "nothing was written" in errors[0], errors
    assert "many.csv" in errors[0]
    assert cli("validate", "-p", project).exit_code == 0
