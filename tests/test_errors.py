"""Errors: one clear message, the documented exit codes, a traceback only with --debug."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer

from tests.conftest import snapshot

KARTA = "2-identifiera/utmaningskarta.yaml"


def _break(project: Path) -> None:
    path = project / KARTA
    path.write_text(path.read_text(encoding="utf-8") + "themes: [a\n", encoding="utf-8")


def test_bad_file_without_debug_has_no_traceback(new_project: Path, cli: Any) -> None:
    _break(new_project)
    result = cli("validate", "-p", new_project)
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"{KARTA}:" in result.stderr


def test_debug_shows_the_traceback(new_project: Path, cli: Any) -> None:
    _break(new_project)
    result = cli("--debug", "theme", "add", "X", "-p", new_project)
    assert result.exit_code == 2
    assert "Traceback" in result.stderr
    assert "malformed YAML" in result.stderr


def test_studsa_debug_environment_variable(new_project: Path, cli: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    _break(new_project)
    monkeypatch.setenv("STUDSA_DEBUG", "1")
    assert "Traceback" in cli("theme", "add", "X", "-p", new_project).stderr


def _explode(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("boom: an unexpected bug")


def test_unexpected_exception_is_exit_3_internal_error(new_project: Path, cli: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import studsa.workflow.status

    monkeypatch.setattr(studsa.workflow.status, "project_status", _explode)
    result = cli("status", "-p", new_project)
    assert result.exit_code == 3
    assert "internal error" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "boom" not in result.stderr
    debug = cli("--debug", "status", "-p", new_project)
    assert debug.exit_code == 3
    assert "Traceback" in debug.stderr and "boom: an unexpected bug" in debug.stderr


def test_bug_in_a_writing_command_changes_nothing(new_project: Path, cli: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import studsa.storage.files

    before = snapshot(new_project)
    monkeypatch.setattr(studsa.storage.files, "encode_text", _explode)
    monkeypatch.setattr("studsa.storage.project.encode_text", _explode)
    result = cli("theme", "add", "Trafik", "-p", new_project)
    assert result.exit_code == 3, result.stderr
    assert "internal error" in result.stderr
    assert snapshot(new_project) == before
    monkeypatch.undo()
    # The lock was released: the next command works.
    assert cli("theme", "add", "Trafik", "-p", new_project).exit_code == 0


def test_interrupt_is_exit_130(new_project: Path, cli: Any,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    import studsa.workflow.status

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(studsa.workflow.status, "project_status", interrupted)
    result = cli("status", "-p", new_project)
    assert result.exit_code == 130
    assert "interrupted" in result.stderr


@pytest.mark.parametrize("command", [["status"], ["validate"], ["theme", "add", "X"]])
def test_missing_project_is_exit_2(tmp_path: Path, cli: Any, command: list[str]) -> None:
    result = cli(*command, "-p", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "does not exist" in " ".join(result.stderr.split())  # wrapped at the width
    assert "Traceback" not in result.stderr


def test_folder_without_project_file(tmp_path: Path, cli: Any) -> None:
    result = cli("status", "-p", tmp_path)
    assert result.exit_code == 2
    assert "studsa init" in result.stderr


def test_validate_json_reports_a_broken_file(new_project: Path, cli: Any) -> None:
    _break(new_project)
    result = cli("validate", "--json", "-p", new_project)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    finding = data["findings"][0]
    assert finding["file"] == KARTA and finding["line"] and finding["column"]


def test_writing_workspace_lock_is_released_when_the_command_fails(new_project: Path) -> None:
    from studsa.cli.common import handle_errors, open_workspace
    from studsa.errors import UsageError

    opened: list[Any] = []

    @handle_errors
    def command() -> None:
        ws = open_workspace(new_project, write=True)
        opened.append(ws)
        assert ws.store._held is not None
        raise UsageError("wrong")

    with pytest.raises(typer.Exit) as caught:
        command()
    assert caught.value.exit_code == 2
    assert opened[0].store._held is None
    from studsa.storage.files import _locks

    assert not _locks[opened[0].root].is_locked
