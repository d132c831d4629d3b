"""Reading CSV and XLSX spreadsheets."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from studsa.errors import InputError, UsageError
from studsa.storage.tabular import read_table


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_comma_csv_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "\ufeffid,Title,theme\nx,Åtgärd, t \n".encode())
    table = read_table(path, required=["title", "theme"], optional=["id"])
    assert table.header == ["id", "title", "theme"]
    assert table.rows[0].values == {"id": "x", "title": "Åtgärd", "theme": "t"}
    assert table.rows[0].number == 2


def test_swedish_excel_semicolon_cp1252(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "title;theme\nRenhållning;miljö\n".encode("cp1252"))
    table = read_table(path, required=["title", "theme"])
    assert table.rows[0].values == {"title": "Renhållning", "theme": "miljö"}


def test_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["challenge", "forebyggande", "evidens"])
    sheet.append(["renhallning", 1, True])
    sheet.append([None, None, None])
    path = tmp_path / "a.xlsx"
    book.save(path)
    table = read_table(path, required=["challenge"], allow_extra=True)
    assert [r.values for r in table.rows] == [
        {"challenge": "renhallning", "forebyggande": "1", "evidens": "true"}
    ]


@pytest.mark.parametrize(
    ("content", "message", "line", "column"),
    [
        ("id,theme\nx,y\n", "missing column(s) title", 1, None),
        ("title,theme,colour\nx,y,z\n", "unknown column 'colour'", 1, 3),
        ("title,theme,title\n", "appears twice", 1, 3),
        ("title,theme\nx,y,z\n", "3 values but the header has 2", 2, 3),
        ("\n\n", "the file is empty", None, None),
    ],
)
def test_bad_tables(
    tmp_path: Path, content: str, message: str, line: int | None, column: int | None
) -> None:
    path = write(tmp_path, "bad.csv", content.encode())
    with pytest.raises(InputError) as caught:
        read_table(path, required=["title", "theme"], display="bad.csv")
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value).startswith("bad.csv")


def test_not_an_excel_file(tmp_path: Path) -> None:
    path = write(tmp_path, "fake.xlsx", b"not a zip")
    with pytest.raises(InputError, match="not a readable Excel"):
        read_table(path, required=["title"])


def test_unsupported_type(tmp_path: Path) -> None:
    path = write(tmp_path, "a.json", b"{}")
    with pytest.raises(UsageError, match="unsupported file type"):
        read_table(path, required=["title"])


@pytest.mark.parametrize("dimension", [True, False])
def test_a_far_cell_is_refused_before_a_billion_empty_cells_are_made(
        tmp_path: Path, dimension: bool) -> None:
    import re
    import time
    import zipfile

    book = Workbook()
    book.active.append(["title", "theme"])
    book.active["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    book.save(path)
    if not dimension:  # a workbook not made by Excel may lack the used range
        with zipfile.ZipFile(path) as source:
            parts = {i.filename: source.read(i.filename) for i in source.infolist()}
        name = "xl/worksheets/sheet1.xml"
        parts[name] = re.sub(rb"<dimension [^>]*/>", b"", parts[name])
        with zipfile.ZipFile(path, "w") as target:
            for part, data in parts.items():
                target.writestr(part, data)
    start = time.process_time()
    with pytest.raises(InputError, match=r"XFD1048576|limit of 150,000 rows"):
        read_table(path, required=["title", "theme"])
    assert time.process_time() - start < 2.0
