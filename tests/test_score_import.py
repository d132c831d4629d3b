"""``studsa score import``: CSV and XLSX, every error names file, row and column."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tests.conftest import snapshot
from tests.test_prioritize_cli import CRITERIA, KARTA, VOTES


@pytest.fixture
def project(new_project: Path) -> Path:
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    return new_project


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def ranking(cli, project: Path) -> list[tuple[str, int, float]]:
    result = cli("score", "--json", "-p", project)
    assert result.exit_code == 0, result.stderr
    return [(e["id"], e["rank"], e["score"]) for e in json.loads(result.stdout)["ranking"]]


def test_xlsx_import_matches_rate(project: Path, cli, tmp_path: Path) -> None:
    rows: list[list[object]] = [["Challenge", "Rater", *CRITERIA]]
    english = {"ja": "Yes", "nej": "no"}
    for rater, table in VOTES.items():
        for challenge, words in table.items():
            rows.append([challenge, rater, *[english[w] if rater == "Bo" else w
                                             for w in words.split()]])
    rows[1][2] = True  # a real Excel boolean
    path = write_xlsx(tmp_path / "bedomningar.xlsx", rows)
    result = cli("score", "import", path, "-p", project)
    assert result.exit_code == 0, result.stderr
    assert "imported 48 values from 12 rows for 3 raters" in result.stderr
    assert ranking(cli, project) == [("a", 1, 3.0), ("b", 2, 2.0), ("c", 2, 2.0), ("d", 4, 1.0)]
    again = cli("score", "import", path, "-p", project)
    assert again.exit_code == 0
    assert ranking(cli, project) == [("a", 1, 3.0), ("b", 2, 2.0), ("c", 2, 2.0), ("d", 4, 1.0)]


def test_csv_with_rater_option_titles_and_empty_cells(project: Path, cli, tmp_path: Path) -> None:
    path = tmp_path / "anna.csv"
    path.write_text("challenge,forebyggande,evidens,sarbara,snabb_effekt\n"
                    "Alfa,ja,ja,ja,nej\nb,JA,Nej,sant,falskt\nc,1,0,,1\n", encoding="utf-8")
    result = cli("score", "import", path, "--rater", "Anna Andersson", "-p", project)
    assert result.exit_code == 0, result.stderr
    assert "1 empty cell left unrecorded" in result.stderr
    assert (project / "3-prioritera" / "bedomningar" / "anna-andersson.yaml").is_file()


def test_dry_run_writes_nothing(project: Path, cli, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("challenge;rater;forebyggande;evidens;sarbara;snabb_effekt\n"
                    "a;Anna;ja;ja;ja;nej\n", encoding="utf-8")
    before = snapshot(project)
    result = cli("score", "import", path, "--dry-run", "-p", project)
    assert result.exit_code == 0
    assert "would import 4 values" in result.stderr
    assert snapshot(project) == before


HEADER = "challenge;rater;forebyggande;evidens;sarbara;snabb_effekt"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([HEADER, "a;Anna;ja;ja;ja;nej", "zz;Anna;ja;ja;ja;nej"],
         "x.csv:3:1: unknown challenge 'zz'"),
        ([HEADER, "a;Anna;ja;ja;ja;nej", "b;Anna;ja;kanske;ja;nej"],
         "x.csv:3:4: 'kanske' is not a yes/no answer"),
        (["challenge;rater;forebyggande;evidens;sarbara", "a;Anna;ja;ja;ja"],
         "x.csv:1: missing column(s) snabb_effekt"),
        ([HEADER, "a;;ja;ja;ja;nej"], "x.csv:2:2: the rater is empty"),
        ([HEADER, "a;Anna;ja;ja;ja;nej", "a;Anna;ja;ja;ja;nej"],
         "x.csv:3:1: 'Anna' rates 'a' again"),
    ],
)
def test_errors_name_file_row_column_and_import_nothing(project: Path, cli, tmp_path: Path,
                                                        lines: list[str], expected: str) -> None:
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(project)
    result = cli("score", "import", path, "-p", project)
    assert result.exit_code == 2
    said = " ".join(result.stderr.replace(str(tmp_path) + "/", "").split())
    assert expected in said
    assert snapshot(project) == before


def test_numeric_scale_checked_in_xlsx(project: Path, cli, tmp_path: Path) -> None:
    assert cli("criterion", "add", "Kostnad", "--scale", "1-5", "-p", project).exit_code == 0
    path = write_xlsx(tmp_path / "k.xlsx", [["challenge", *CRITERIA, "kostnad"],
                                            ["a", "ja", "ja", "ja", "nej", 6]])
    result = cli("score", "import", path, "--rater", "Anna", "-p", project)
    assert result.exit_code == 2
    assert "k.xlsx:2:6: '6' is off the scale 1-5" in result.stderr.replace("\n", " ").replace(
        str(tmp_path) + "/", "")


def test_no_rater_column_needs_the_option(project: Path, cli, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("challenge,forebyggande,evidens,sarbara,snabb_effekt\na,1,1,1,1\n",
                    encoding="utf-8")
    result = cli("score", "import", path, "-p", project)
    assert result.exit_code == 2
    assert "--rater" in result.stderr


@pytest.mark.skipif(
    not os.environ.get("STUDSA_BENCH"),
    reason="80,000-value import at full size (a few seconds; benchmarks/run.py measures it); "
           "run with STUDSA_BENCH=1",
)
def test_import_80000_assessments_is_fast(new_project: Path, tmp_path: Path) -> None:
    from studsa.workflow.context import Workspace
    from studsa.workflow.prioritize import score_project
    from studsa.workflow.prioritize.score_import import import_scores

    n = 1000
    karta = ["schema: studsa.utmaningskarta/1", "version: 1", "status: draft",
             "themes:", "  - id: t", "    title: T", "challenges:"]
    for i in range(n):
        karta += [f"  - id: c{i:04d}", f"    title: Utmaning {i}", "    theme: t"]
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text("\n".join(karta) + "\n",
                                                                       encoding="utf-8")
    lines = ["challenge;rater;" + ";".join(CRITERIA)]
    for r in range(20):
        for i in range(n):
            cells = ["ja" if (i * 7 + r * 3 + k) % 5 < 2 else "nej" for k in range(4)]
            lines.append(f"c{i:04d};Bedömare {r};" + ";".join(cells))
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = time.process_time()
    result = import_scores(Workspace.open(new_project), path)
    elapsed = time.process_time() - start
    assert result.values == 80_000
    assert elapsed < 10, f"import took {elapsed:.1f} s of CPU"
    report = score_project(Workspace.open(new_project))
    assert len(report.ranking) == n and report.missing == 0
