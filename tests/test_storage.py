"""The storage layer: round trip, merge by id, type traps, limits, atomic and stale writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from studsa.errors import ConflictError, InputError, SchemaError
from studsa.models.project import Department
from studsa.storage.project import ProjectStore
from studsa.storage.yamlio import dump_yaml, parse_yaml

PROJECT = """\
# top comment
schema: studsa.project/1
name: Test   # the name
dnr: 0090
language: sv
departments:
  - id: gata   # streets
    name: Gatu
  - id: park
    name: Park
    cadence: tertial
"""


def make(tmp_path: Path, text: str = PROJECT) -> ProjectStore:
    (tmp_path / "studsa.yaml").write_text(text, encoding="utf-8")
    return ProjectStore.discover(tmp_path)


def test_type_traps_stay_text() -> None:
    data = parse_yaml("dnr: 0090\ntitle: no\nversion: 1.10\nwhen: 2020-09-01\n")
    assert data == {"dnr": "0090", "title": "no", "version": "1.10", "when": "2020-09-01"}
    assert dump_yaml(data) == "dnr: 0090\ntitle: no\nversion: 1.10\nwhen: 2020-09-01\n"


def test_save_keeps_comments_and_merges_by_id(tmp_path: Path) -> None:
    store = make(tmp_path)
    doc = store.project()
    assert doc.model.dnr == "0090"
    doc.model.departments.insert(0, Department(id="ny", name="Ny"))
    assert store.save(doc)
    text = (tmp_path / "studsa.yaml").read_text(encoding="utf-8")
    assert "# top comment" in text
    assert "  - id: gata   # streets" in text
    assert "dnr: 0090\n" in text
    assert text.index("id: ny") < text.index("id: gata")


def test_unchanged_document_is_not_written(tmp_path: Path) -> None:
    store = make(tmp_path)
    doc = store.project()
    assert not store.save(doc)


def test_stale_write_is_refused(tmp_path: Path) -> None:
    store = make(tmp_path)
    doc = store.project()
    (tmp_path / "studsa.yaml").write_text(PROJECT.replace("Test", "Hand"), encoding="utf-8")
    doc.model.name = "Changed"
    with pytest.raises(ConflictError):
        store.save(doc)
    assert "Hand" in (tmp_path / "studsa.yaml").read_text(encoding="utf-8")


def test_schema_error_names_line_and_column(tmp_path: Path) -> None:
    store = make(tmp_path, PROJECT.replace("cadence: tertial", "cadence: weekly"))
    with pytest.raises(SchemaError) as caught:
        store.project()
    assert str(caught.value).startswith("studsa.yaml:11:5: departments[1].cadence")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema: studsa.project/1\nname: &a x\nother: *a\n", "anchors and aliases"),
        ("schema: studsa.project/1\nname:\n\t- x\n", "tab character"),
        ("schema: studsa.project/1\nname: a\nname: b\n", "duplicate key"),
        ("schema: studsa.project/9\nname: a\n", "newer than this studsa"),
        ("", "the file is empty"),
    ],
)
def test_bad_files_are_input_errors(tmp_path: Path, text: str, expected: str) -> None:
    store = make(tmp_path, text)
    with pytest.raises(InputError) as caught:
        store.project()
    assert expected in str(caught.value)


def test_crlf_and_bom_are_written_back(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + PROJECT.replace("\n", "\r\n").encode()
    (tmp_path / "studsa.yaml").write_bytes(raw)
    store = ProjectStore.discover(tmp_path)
    doc = store.project()
    doc.model.name = "Other"
    store.save(doc)
    written = (tmp_path / "studsa.yaml").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in written and b"\n" not in written.replace(b"\r\n", b"")
