"""The storage layer: round trip, merge by id, type traps, limits, atomic and stale writes."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from studsa.errors import ConflictError, InputError, SchemaError, UsageError, WriteError
from studsa.models.project import Department
from studsa.storage.files import MAX_FILE_BYTES, atomic_write_bytes, project_lock
from studsa.storage.layout import BEDOMNING
from studsa.storage.project import ProjectStore
from studsa.storage.reader import parse as parse_yaml
from studsa.storage.yamlio import dump_yaml

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


# --- limits ------------------------------------------------------------------------------
def _fastest(func: Any, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


HOSTILE = {
    "alias bomb": (
        "schema: studsa.project/1\na: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{c}: &{c} [" + ", ".join([f"*{chr(ord(c) - 1)}"] * 9) + "]\n"
                  for c in "bcdefghi"),
        "anchors and aliases",
    ),
    "deep flow": ("name: " + "[" * 100_000 + "]" * 100_000 + "\n", "limit of 64 levels"),
    "deep unclosed flow": ("name: " + "{a: " * 50_000 + "\n", "limit of 64 levels"),
    "deep block": ("".join("  " * i + f"k{i}:\n" for i in range(1_000)), "limit of 64 levels"),
    "deep dashes": ("name:\n" + "- " * 40_000 + "x\n", "limit of 64 levels"),
    "many values": ("name: [" + ",".join("1" * 3_000_000) + "]\n", "limit of 150,000"),
    "many lines": ("name:\n" + "- 1\n" * 1_000_000, "limit of 150,000"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_yaml_is_refused_fast(name: str) -> None:
    text, expected = HOSTILE[name]

    def parse() -> None:
        with pytest.raises(InputError) as caught:
            parse_yaml(text, "x.yaml")
        assert expected in str(caught.value)
        assert str(caught.value).startswith("x.yaml")

    assert _fastest(parse) < 1.0


def test_values_just_under_the_limit_still_load() -> None:
    text = "name:\n" + "- 1\n" * 1000
    assert len(parse_yaml(text)["name"]) == 1000


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    store = make(tmp_path)
    with (tmp_path / "studsa.yaml").open("ab") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)

    def load() -> None:
        with pytest.raises(InputError, match="over the size limit of 10 MiB"):
            store.project()

    assert _fastest(load) < 0.1


# --- atomic writes and fault injection ------------------------------------------------------
def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("target", "error", "reason"),
    [
        ("fsync", OSError(errno.ENOSPC, "No space left on device"), "the disk is full"),
        ("replace", PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        ("replace", OSError(errno.EROFS, "Read-only file system"), "read-only"),
    ],
)
def test_failed_write_leaves_old_file_and_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str, error: OSError, reason: str
) -> None:
    store = make(tmp_path)
    doc = store.project()
    doc.model.name = "Changed"
    before = (tmp_path / "studsa.yaml").read_bytes()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise error

    monkeypatch.setattr(os, target, fail)
    with pytest.raises(WriteError) as caught:
        store.save(doc)
    monkeypatch.undo()
    message = str(caught.value)
    assert message.startswith("studsa.yaml: cannot write the file")
    assert reason in message and "the old content is unchanged" in message
    assert (tmp_path / "studsa.yaml").read_bytes() == before
    assert _temps(tmp_path) == []


def test_no_space_for_the_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = make(tmp_path)
    doc = store.project()
    doc.model.name = "Changed"

    def fail(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", fail)
    with pytest.raises(WriteError, match="disk is full"):
        store.save(doc)


def test_folder_is_fsynced_after_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_replace, real_open, real_fsync = os.replace, os.open, os.fsync
    opened: dict[int, str] = {}

    def replace(src: Any, dst: Any) -> None:
        events.append("replace")
        real_replace(src, dst)

    def open_(path: Any, flags: int, *args: Any) -> int:
        fd = real_open(path, flags, *args)
        opened[fd] = str(path)
        return fd

    def fsync(fd: int) -> None:
        events.append("fsync dir" if opened.get(fd) == str(tmp_path) else "fsync file")
        real_fsync(fd)

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "fsync", fsync)
    atomic_write_bytes(tmp_path / "a.yaml", b"x: 1\n")
    assert events == ["fsync file", "replace", "fsync dir"]


def test_change_during_the_write_is_refused(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    store = make(tmp_path)
    doc = store.project()
    doc.model.name = "Mine"
    real_fsync = os.fsync

    def editor_saves_meanwhile(fd: int) -> None:
        real_fsync(fd)
        (tmp_path / "studsa.yaml").write_text(PROJECT.replace("Test", "Editor"), "utf-8")

    monkeypatch.setattr(os, "fsync", editor_saves_meanwhile)
    with pytest.raises(ConflictError, match="changed on disk"):
        store.save(doc)
    monkeypatch.undo()
    assert "name: Editor" in (tmp_path / "studsa.yaml").read_text(encoding="utf-8")
    assert _temps(tmp_path) == []


def test_new_file_write_failure_says_nothing_was_written(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WriteError, match="nothing was written"):
        atomic_write_bytes(tmp_path / "new.yaml", b"x: 1\n")
    assert list(tmp_path.iterdir()) == []


def test_unreadable_file_during_stale_check_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = make(tmp_path)
    doc = store.project()
    doc.model.name = "Changed"

    def denied(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(WriteError, match="permission denied"):
        store.save(doc)


# --- where studsa writes ------------------------------------------------------------------
def test_symlinks_are_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(PROJECT, encoding="utf-8")
    project = tmp_path / "p"
    project.mkdir()
    (project / "studsa.yaml").symlink_to(outside)
    store = ProjectStore.discover(project)
    doc = store.project()  # reading through a link is fine
    doc.model.name = "Changed"
    with pytest.raises(WriteError, match="outside the project"):
        store.save(doc)
    assert outside.read_text(encoding="utf-8") == PROJECT
    inner = project / "real.yaml"
    inner.write_text("x: 1\n", encoding="utf-8")
    (project / "link.yaml").symlink_to(inner)
    with pytest.raises(WriteError, match="symbolic link"):
        atomic_write_bytes(project / "link.yaml", b"x: 2\n")
    assert inner.read_text(encoding="utf-8") == "x: 1\n"


def test_linked_folder_out_of_the_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    store = make(tmp_path / "p")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (store.root / "3-prioritera").mkdir()
    (store.root / "3-prioritera" / "bedomningar").symlink_to(elsewhere)
    with pytest.raises(WriteError, match="outside the project"):
        store.inside(store.path(BEDOMNING, "anna"))


@pytest.mark.parametrize("name", ["../x", "a/b", "a\\b", ".hidden", "", "x\x00", "c:x", " x"])
def test_file_names_from_user_input_are_checked(tmp_path: Path, name: str) -> None:
    store = make(tmp_path)
    with pytest.raises(UsageError, match="cannot be used as a file name"):
        store.path(BEDOMNING, name)


def test_stale_temp_files_are_ignored_and_cleaned(tmp_path: Path) -> None:
    store = make(tmp_path)
    leftover = tmp_path / ".studsa.yaml.k3j4h5g6.tmp"
    leftover.write_text("schema: studsa.project/1\nname: half", encoding="utf-8")
    unrelated = tmp_path / ".studsa.yaml.notes.tmp"
    unrelated.write_text("mine", encoding="utf-8")
    folder = tmp_path / "3-prioritera" / "bedomningar"
    folder.mkdir(parents=True)
    (folder / ".anna.yaml.abcdefgh.tmp").write_text("half", encoding="utf-8")
    assert store.files(BEDOMNING) == []
    doc = store.project()
    assert doc.model.name == "Test"
    doc.model.name = "Changed"
    store.save(doc)
    assert not leftover.exists()
    assert unrelated.exists()


# --- the lock --------------------------------------------------------------------------------
_HOLD = """
import sys, time
from pathlib import Path
from filelock import FileLock
lock = FileLock(str(Path(sys.argv[1]) / ".studsa.lock"))
with lock:
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_lock_timeout_is_a_clear_conflict(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(tmp_path), "5"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ConflictError, match="another studsa command is writing"), \
                project_lock(tmp_path, timeout=0.2):
            pass
    finally:
        holder.kill()
        holder.communicate()


def test_lock_that_cannot_be_created_is_a_write_error(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from filelock import FileLock

    def denied(self: Any, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(FileLock, "acquire", denied)
    with pytest.raises(WriteError, match="cannot take the project's write lock"), \
            project_lock(tmp_path / "ro"):
        pass


def test_writing_workspace_holds_the_lock_until_closed(tmp_path: Path) -> None:
    from studsa.workflow.context import Workspace

    make(tmp_path)
    probe = [sys.executable, "-c",
             "import sys; from filelock import FileLock, Timeout\n"
             "try:\n FileLock(sys.argv[1], timeout=0.1).acquire(); print('free')\n"
             "except Timeout: print('held')", str(tmp_path / ".studsa.lock")]
    ws = Workspace.open(tmp_path, write=True)
    assert ws.project.model.name == "Test"
    assert subprocess.run(probe, capture_output=True, text=True).stdout.strip() == "held"
    ws.close()
    assert subprocess.run(probe, capture_output=True, text=True).stdout.strip() == "free"


# --- where commands write ----------------------------------------------------------------------
def _listing(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def test_render_does_not_follow_a_reports_link_out_of_the_project(
    new_project: Path, tmp_path: Path, cli: Any
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (new_project / "rapporter").symlink_to(outside, target_is_directory=True)
    result = cli("render", "utmaningskarta", "-p", new_project)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "rapporter/ is a link out of the project" in " ".join(result.stderr.split())
    assert list(outside.iterdir()) == []


def test_render_writes_only_into_the_named_out_folder(new_project: Path, tmp_path: Path,
                                                      cli: Any) -> None:
    before = _listing(new_project)
    around = _listing(tmp_path)
    out = tmp_path / "ut"
    result = cli("render", "utmaningskarta", "--out", out, "-p", new_project)
    assert result.exit_code == 0, result.stderr
    assert _listing(new_project) == before
    written = {k for k in _listing(tmp_path) if k not in around}
    assert written and all(name.startswith("ut/") for name in written)


def test_new_files_made_across_processes_are_what_one_process_writes() -> None:
    from studsa.storage.batch import new_text, new_texts

    items = [({"schema": "studsa.bedomning/1", "rater": f"R{n}", "role": None,
               "assessments": [{"challenge": f"c{i}", "values": {"a": "ja", "b": i},
                                "sources": []} for i in range(50)]},) * 2
             for n in range(3)]
    items = [(full, {k: v for k, v in full.items() if v is not None}) for full, _ in items]
    assert new_texts(items, min_values=0) == [new_text(item) for item in items]
    assert "rater: R2\n" in new_texts(items)[2]
