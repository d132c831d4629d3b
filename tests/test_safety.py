"""The write gate: nothing written outside the project, over its sources or over another's file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import snapshot

from studsa.storage.gate import walk_files


def _err(result) -> str:  # type: ignore[no-untyped-def]
    """The error output with the terminal's line breaks undone."""
    return " ".join(result.stderr.split())


def _tree(path: Path) -> dict[str, bytes]:
    return snapshot(path) if path.exists() else {}


@pytest.mark.parametrize(("args", "phrase"), [
    (["export", "--format", "json", "--out", "studsa.yaml"], "one of the project's own files"),
    (["export", "--format", "xlsx", "--out", "2-identifiera/utmaningskarta.yaml"],
     "inside 2-identifiera/"),
    (["export", "--format", "csv", "--out", "3-prioritera/bedomningar"], "inside 3-prioritera/"),
    (["export", "--format", "json", "--out", "2-identifiera/new.json"], "inside 2-identifiera/"),
    (["schema", "--out", "2-identifiera"], "inside 2-identifiera/"),
    (["render", "--out", "mallar"], "mallar"),
])
def test_out_into_the_sources_is_refused(example_project: Path, cli, monkeypatch,  # type: ignore[no-untyped-def]
                                         args: list[str], phrase: str) -> None:
    monkeypatch.chdir(example_project)
    before = snapshot(example_project)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert phrase in _err(result)
    assert "Traceback" not in result.output
    assert snapshot(example_project) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_reports_folder_linked_out_is_not_written_through(example_project: Path, cli,  # type: ignore[no-untyped-def]
                                                          tmp_path: Path, fmt: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (example_project / "rapporter").symlink_to(outside, target_is_directory=True)
    before = snapshot(example_project)
    result = cli("export", "--format", fmt, "-p", example_project)
    assert result.exit_code == 1, result.output
    assert "refusing to write outside the project" in _err(result)
    assert not any(outside.iterdir())
    assert snapshot(example_project) == before


def test_decide_does_not_freeze_through_a_link_out(example_project: Path, cli,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    outside = tmp_path / "vout"
    outside.mkdir()
    versions = example_project / "1-avgransa" / "versions"
    if versions.exists():
        import shutil

        shutil.rmtree(versions)
    versions.symlink_to(outside, target_is_directory=True)
    before = snapshot(example_project)
    result = cli("decide", "avgransa", "--by", "Nämnden", "--date", "2021-03-24",
                 "--paragraph", "§ 1", "-p", example_project)
    assert result.exit_code == 1, result.output
    assert "refusing to write outside the project" in _err(result)
    assert not any(outside.iterdir())
    assert snapshot(example_project) == before


def test_a_file_studsa_did_not_make_is_kept_unless_force(example_project: Path, cli,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    target = tmp_path / "mine.json"
    target.write_bytes(b"my own notes\n")
    result = cli("export", "--format", "json", "--out", target, "-p", example_project)
    assert result.exit_code == 1, result.output
    assert "--force" in _err(result)
    assert target.read_bytes() == b"my own notes\n"
    assert cli("export", "--format", "json", "--out", target, "-p", example_project,
               "--force").exit_code == 0
    assert target.read_bytes().startswith(b"{")
    # studsa made it now: a later export replaces it without --force, an edit is kept again.
    (example_project / "studsa.yaml").write_text(
        (example_project / "studsa.yaml").read_text(encoding="utf-8").replace(
            "name: ", "name: X", 1), encoding="utf-8")
    assert cli("export", "--format", "json", "--out", target, "-p",
               example_project).exit_code == 0
    assert b'"name": "X' in target.read_bytes()
    target.write_bytes(target.read_bytes() + b" ")
    edited = target.read_bytes()
    assert cli("export", "--format", "json", "--out", target, "-p",
               example_project).exit_code == 1
    assert target.read_bytes() == edited


def test_render_keeps_a_hand_edited_report(example_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("render", "-p", example_project).exit_code == 0
    reports = example_project / "rapporter"
    [first, *_] = sorted(reports.glob("*.md"))
    first.write_text("edited by hand\n", encoding="utf-8")
    before = _tree(reports)
    result = cli("render", "-p", example_project)
    assert result.exit_code == 1, result.output
    assert "--force" in _err(result)
    assert _tree(reports) == before
    assert cli("render", "-p", example_project, "--force").exit_code == 0
    assert first.read_text(encoding="utf-8") != "edited by hand\n"


def test_walk_files_neither_loops_nor_leaves_the_project(tmp_path: Path) -> None:
    root = tmp_path / "p"
    (root / "a").mkdir(parents=True)
    (root / "a" / "x.yaml").write_text("x: 1\n", encoding="utf-8")
    (root / "a" / "self").symlink_to(".", target_is_directory=True)
    (root / "a" / "up").symlink_to("..", target_is_directory=True)
    (root / "a" / "disk").symlink_to("/", target_is_directory=True)
    outside = tmp_path / "o.yaml"
    outside.write_text("o: 1\n", encoding="utf-8")
    (root / "a" / "o.yaml").symlink_to(outside)
    start = time.perf_counter()
    found = walk_files(root / "a", root)
    assert time.perf_counter() - start < 1
    assert found == [root / "a" / "x.yaml"]
