"""The console script runs an app holding only the invoked command; it answers as the whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from studsa import cli as studsa_cli
from studsa.cli import app

ARGVS = [
    ["status"], ["status", "--json"], ["-p", ".", "status"], ["--project", ".", "status"],
    ["--project=.", "status"], ["--debug", "status"], ["-p.", "--debug", "validate"],
    ["status", "--help"], ["status", "--bogus"], ["score", "--help"],
    ["score", "import", "--help"], ["score"], ["challenge"], ["challenge", "list", "--json"],
    ["theme", "list"], ["history"], ["render", "--help"], ["followup", "--help"], ["stauts"],
    ["--debug"], ["-p"], ["--", "status"],
]


def _run(application: object, argv: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(application, argv, prog_name="studsa")  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_one_command_app_answers_as_the_whole_app(
    argv: list[str], example_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_project)
    assert _run(studsa_cli.app_for(argv), argv) == _run(app, argv)


@pytest.mark.parametrize(("argv", "name"), [
    (["status"], "status"),
    (["-p", "x", "score", "import"], "score"),
    (["--debug", "remiss", "list"], "remiss"),
    (["-px", "render"], "render"),
])
def test_one_command_app_holds_only_that_command(argv: list[str], name: str) -> None:
    one = studsa_cli.app_for(argv)
    assert studsa_cli.command_name(argv) == name
    assert len(one.registered_commands) + len(one.registered_groups) == 1


@pytest.mark.parametrize("argv", [[], ["--debug"], ["nope"], ["--", "status"], ["-h"],
                                  ["--help"]])
def test_anything_else_gets_the_whole_app(argv: list[str]) -> None:
    assert studsa_cli.app_for(argv) is app
