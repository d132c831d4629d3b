"""The entry point's fast paths answer exactly as the whole Typer app does.

``studsa.cli.main`` runs a copy of ``app`` that holds only the command named on the
command line (and a light copy for the top-level help); these tests run both on the same
arguments and compare exit code, stdout and stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from studsa import cli as studsa_cli
from studsa.cli import app

ARGVS = [
    ["status"],
    ["status", "--json"],
    ["-p", ".", "status"],
    ["--project", ".", "status"],
    ["--project=.", "status"],
    ["--debug", "status"],
    ["-p.", "--debug", "validate"],
    ["status", "--help"],
    ["status", "--bogus"],
    ["score", "--help"],
    ["score", "import", "--help"],
    ["score"],
    ["challenge"],
    ["challenge", "list", "--json"],
    ["theme", "list"],
    ["history"],
    ["render", "--help"],
    ["followup", "--help"],
    ["stauts"],
    ["--debug"],
    ["-p"],
    ["--", "status"],
]


def _run(application: object, argv: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(application, argv, prog_name="studsa")  # type: ignore[arg-type]
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_one_command_app_answers_as_the_whole_app(
    argv: list[str], example_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(example_project)
    assert _run(studsa_cli._app_for(argv), argv) == _run(app, argv)


@pytest.mark.parametrize(("argv", "name"), [
    (["status"], "status"),
    (["-p", "x", "score", "import"], "score"),
    (["--debug", "remiss", "list"], "remiss"),
    (["-px", "render"], "render"),
])
def test_one_command_app_holds_only_that_command(argv: list[str], name: str) -> None:
    one = studsa_cli._app_for(argv)
    names = [studsa_cli._info_name(i) for i in one.registered_commands]
    names += [i.name for i in one.registered_groups]
    assert names == [name]


@pytest.mark.parametrize("argv", [[], ["--debug"], ["nope"], ["--", "status"], ["-h"]])
def test_anything_unusual_gets_the_whole_app(argv: list[str]) -> None:
    assert studsa_cli._app_for(argv) is app


@pytest.mark.parametrize("argv", [["--help"], ["-h"], []])
def test_top_level_help_is_the_whole_apps_help(argv: list[str]) -> None:
    assert _run(studsa_cli._help_app(), argv) == _run(app, argv)

