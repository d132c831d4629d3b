"""The bad-input corpus (tests/bad_inputs/cases.yaml) against validate and a writing command.

Every failing case: exit 1 or 2, a message naming the file (and line:column where there is
one), no traceback, and the project's bytes unchanged. Cases marked ``works`` (BOM, CRLF,
type traps, Excel's CSV flavours) must succeed and keep the user's text byte-for-byte.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from studsa.storage.files import MAX_FILE_BYTES
from tests.conftest import snapshot

CORPUS = Path(__file__).parent / "bad_inputs" / "cases.yaml"
SPEC: dict[str, Any] = YAML(typ="safe").load(CORPUS.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = [{**SPEC["defaults"], **case} for case in SPEC["cases"]]

WRITERS: dict[str, list[str]] = {
    "theme": ["theme", "add", "Ny tematik"],
    "challenge": ["challenge", "add", "Ny utmaning", "--theme", "trafik"],
    "department": ["department", "add", "Ny avdelning"],
    "criterion": ["criterion", "add", "Nytt kriterium"],
    "import": ["challenge", "import", "{sheet}"],
    "score_import": ["score", "import", "{sheet}"],
}
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@cache
def available(*words: str) -> bool:
    """Whether ``studsa WORDS…`` is a registered command (other areas add commands)."""
    import typer.main

    from studsa.cli import app

    command: Any = typer.main.get_command(app)
    for word in words:
        commands = getattr(command, "commands", None)
        if not commands or word not in commands:
            return False
        command = commands[word]
    return True


def _command_words(argv: list[str]) -> tuple[str, ...]:
    return tuple(argv[:2]) if argv[0] in {"theme", "challenge", "department", "criterion",
                                            "score", "source"} else tuple(argv[:1])


# --- generators for hostile files --------------------------------------------------------
def _base_text() -> str:
    return SPEC["base"]["2-identifiera/utmaningskarta.yaml"]


def _generate(name: str) -> str:
    base = _base_text()
    if name == "alias_bomb":
        lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in "bcdefghi":
            prev = chr(ord(level) - 1)
            lines.append(f"{level}: &{level} [" + ", ".join([f"*{prev}"] * 9) + "]")
        return base + "bomb:\n" + "".join(f"  {line}\n" for line in lines)
    if name == "merge_key":
        return base + "defaults: &d {kind: narvarld}\nmore:\n  <<: *d\n  title: x\n"
    if name == "deep_flow":
        return base.replace("intro: Inledning", "intro: " + "[" * 200 + "]" * 200)
    if name == "deep_block":
        nested = "".join("  " * (i + 1) + f"k{i}:\n" for i in range(100))
        return base.replace("intro: Inledning   # en kommentar\n", "intro:\n" + nested)
    if name == "wide":  # 200 lines of 1,000 values: over the value limit, not the line limit
        row = ",".join("1" * 1000)
        return base.replace("intro: Inledning", "intro: [" + ",\n  ".join([row] * 200) + "]")
    if name == "long_line":  # a 9 MiB comment line
        return base + "# " + "x" * (9 * 1024 * 1024) + "\n"
    if name == "long_block":  # an 8.5 MB block scalar
        block = ("  " + "y" * 80 + "\n") * (8_500_000 // 83)
        return base.replace("intro: Inledning   # en kommentar\n", "intro: |\n" + block)
    if name == "flow_items":  # a 140,000-item flow list on one line
        items = ", ".join(["bra"] * 140_000)
        return base.replace("sources: [bra]", f"sources: [{items}]")
    if name == "block_items":  # a 140,000-item block list
        return base.replace("    sources: [bra]\n", "    sources:\n" + "      - bra\n" * 140_000)
    if name == "huge":
        line = "# " + "utfyllnad " * 10 + "\n"
        return base + line * (MAX_FILE_BYTES // len(line) + 10)
    raise AssertionError(f"unknown generator {name}")


# --- materialising a case ----------------------------------------------------------------
@pytest.fixture(scope="session")
def base_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh project with the corpus's base files (made once, copied per case)."""
    from studsa.workflow.project import InitOptions, init_project

    root = tmp_path_factory.mktemp("corpus") / "projekt"
    init_project(InitOptions(path=root, name="Korpus", committee="Testnämnden",
                             start_year=2021))
    for rel, text in SPEC["base"].items():
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _defect_bytes(case: dict[str, Any], original: str) -> bytes:
    if "generate" in case:
        text = _generate(case["generate"])
    elif "text" in case:
        text = case["text"]
    else:
        text = original
    if "replace" in case:
        old, new = case["replace"]
        assert text.count(old) == 1, f"{case['id']}: {old!r} must occur once"
        text = text.replace(old, new)
    text += case.get("append", "")
    if "newline" in case:
        text = text.replace("\n", case["newline"])
    data = text.encode(case.get("encoding", "utf-8"))
    return b"\xef\xbb\xbf" + data if case.get("bom") else data


@contextlib.contextmanager
def _unreadable(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make ``path`` unreadable: chmod 000, or (as root, who reads anyway) a read that fails."""
    if not IS_ROOT:
        path.chmod(0)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    real = Path.read_bytes
    target = path.resolve()

    def read_bytes(self: Path) -> bytes:
        if self.resolve() == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    with monkeypatch.context() as patch:
        patch.setattr(Path, "read_bytes", read_bytes)
        yield


def _apply(case: dict[str, Any], root: Path, tmp_path: Path) -> None:
    path = root / case["file"]
    make = case.get("make")
    if make == "folder":
        path.unlink()
        (path / "inside").mkdir(parents=True)
    elif make == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this system")
        path.unlink()
        os.mkfifo(path)
    elif make == "symlink_out":
        outside = tmp_path / "outside" / path.name
        outside.parent.mkdir()
        shutil.move(path, outside)
        path.symlink_to(outside)
    elif make != "unreadable":
        path.write_bytes(_defect_bytes(case, path.read_text(encoding="utf-8")))


def _sheet(case: dict[str, Any], tmp_path: Path) -> Path | None:
    sheet = case.get("sheet")
    if sheet is None:
        return None
    folder = tmp_path / "sheets"
    folder.mkdir(exist_ok=True)
    if "xlsx" in sheet:
        from openpyxl import Workbook

        book = Workbook()
        for row in sheet["xlsx"]:
            book.active.append(row)
        for cell, value in sheet.get("cells", {}).items():
            book.active[cell] = value
        path = folder / sheet.get("name", "data.xlsx")
        book.save(path)
        if "hostile" in sheet:
            _hostile_sheet(path, sheet["hostile"])
        return path
    path = folder / sheet.get("name", "data.csv")
    path.write_bytes(sheet["csv"].encode(sheet.get("encoding", "utf-8")))
    return path


def _hostile_sheet(path: Path, kind: str) -> None:
    """Rewrite the workbook's sheet XML: ``bomb`` (expands to ~370 MB), ``laughs`` (a
    billion-laughs entity)."""
    import zipfile

    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info.filename) for info in source.infolist()}
    head, tail = parts.pop(name).split(b"</sheetData>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part, data in parts.items():
            target.writestr(part, data)
        with target.open(name, "w", force_zip64=True) as sheet_xml:
            if kind == "laughs":
                entities = b"".join(
                    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1)) * 10)
                    for i in range(1, 10))
                body = head.split(b"?>", 1)[-1]
                sheet_xml.write(b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 '
                                b'"lol">' + entities + b"]>" + body
                                + b'<row r="9"><c r="A9" t="inlineStr"><is><t>&lol9;</t>'
                                  b"</is></c></row>")
            else:
                sheet_xml.write(head)
                row = b'<row><c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
                for _ in range(370):
                    sheet_xml.write(row * 1000)
            sheet_xml.write(b"</sheetData>" + tail)


def _write_argv(case: dict[str, Any], sheet: Path | None) -> list[str]:
    argv = [str(a) for a in case.get("args") or WRITERS[case["write"]]]
    return [a.replace("{sheet}", str(sheet)) for a in argv]


# --- assertions --------------------------------------------------------------------------
def _flat(text: str) -> str:
    return " ".join(text.split())


def assert_clean_failure(result: Any, case: dict[str, Any], what: str) -> None:
    """Exit 1 or 2, a message with the expected phrase naming the file, no traceback."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output, f"{what} printed a traceback:\n{output}"
    assert result.exit_code in (1, 2), f"{what}: exit {result.exit_code}\n{output}"
    message = _flat(result.stderr)
    assert "error:" in message, f"{what}: no error message\n{output}"
    expect = case.get("expect")
    if expect:
        assert expect.lower() in message.lower(), f"{what}: {expect!r} not in\n{message}"
    if case.get("args") is None and case.get("sheet") is None:
        where = case["file"]
        assert where in message, f"{what}: the message does not name {where}\n{message}"
        line = case.get("line")
        if line == "any":
            assert re.search(re.escape(where) + r":\d+:\d+", message), message
        elif line is not None:
            assert f"{where}:{line}:" in message, f"{what}: line {line} not named\n{message}"
    elif case.get("sheet") is not None and case.get("args") is None:
        name = case["sheet"].get("name", "data.xlsx" if "xlsx" in case["sheet"] else "data.csv")
        assert name in message, f"{what}: the message does not name {name}\n{message}"


def _assert_works(case: dict[str, Any], root: Path, before: dict[str, bytes], cli: Any,
                  result: Any) -> None:
    output = result.stdout + result.stderr
    assert result.exit_code == 0, f"the write failed:\n{output}"
    assert "Traceback" not in output
    check = cli("validate", "-p", root)
    assert check.exit_code == 0, check.stdout + check.stderr
    path = root / case["file"]
    raw = path.read_bytes()
    if case.get("bom"):
        assert raw.startswith(b"\xef\xbb\xbf"), "the BOM was dropped"
    if case.get("newline") == "\r\n":
        assert raw.count(b"\n") == raw.count(b"\r\n"), "line endings were changed"
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    old_text = before[case["file"]].decode("utf-8-sig").replace("\r\n", "\n")
    changing = tuple(case.get("may_change", []))
    for line in old_text.splitlines():
        if not line.startswith(changing or "\x00"):
            assert line in text.splitlines(), f"the line {line!r} did not survive the write"
    for keep in case.get("keep", []):
        assert any(line.startswith(keep) for line in text.splitlines()), (
            f"{keep!r} did not survive byte-for-byte"
        )
    if case.get("titles"):
        from studsa.storage.layout import KARTA
        from studsa.storage.project import ProjectStore

        model = ProjectStore(root).load(KARTA).model
        titles = {item.id: item.title for item in [*model.themes, *model.challenges]}
        for key, title in case["titles"].items():
            assert titles[key] == title and type(titles[key]) is str


def _outside(tmp_path: Path) -> dict[str, bytes]:
    """Every file under ``tmp_path`` but outside the project (must never change)."""
    return {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in sorted(tmp_path.rglob("*"))
        if p.is_file() and not p.is_symlink() and "projekt" not in p.relative_to(tmp_path).parts
    }


# --- the test ----------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input(case: dict[str, Any], base_project: Path, tmp_path: Path, cli: Any,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "projekt"
    shutil.copytree(base_project, root)
    sheet = _sheet(case, tmp_path)
    argv = _write_argv(case, sheet)
    words = _command_words(argv)
    if not available(*words):
        pytest.skip(f"`studsa {' '.join(words)}` does not exist yet")
    _apply(case, root, tmp_path)
    before = snapshot(root)
    unreadable = (
        _unreadable(root / case["file"], monkeypatch)
        if case.get("make") == "unreadable"
        else contextlib.nullcontext()
    )
    around = _outside(tmp_path)
    with unreadable:
        checked = cli("validate", "-p", root)
        written = cli(*argv, "-p", root)
        after_write_validate = (
            cli("validate", "-p", root) if case.get("write_may_succeed") else None
        )
    assert _outside(tmp_path) == around, "a command wrote outside the project"
    if case.get("validate", "ok" if case.get("works") else "fail") == "ok":
        assert checked.exit_code == 0, checked.stdout + checked.stderr
    else:
        assert_clean_failure(checked, case, "validate")
    if case.get("works"):
        _assert_works(case, root, before, cli, written)
        return
    if case.get("write_may_succeed") and written.exit_code == 0:
        text = (root / case["file"]).read_text(encoding="utf-8")
        for line in case.get("keep", []):
            assert line in text.splitlines(), f"the write changed {line!r}"
        # The write may have moved the defect to another line.
        moved = {**case, "line": "any" if case.get("line") else None}
        assert_clean_failure(after_write_validate, moved, "validate after the write")
        return
    assert_clean_failure(written, case, " ".join(argv[:2]))
    assert snapshot(root) == before, "the failed write changed the project"


def test_corpus_is_big_and_distinct() -> None:
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 40
