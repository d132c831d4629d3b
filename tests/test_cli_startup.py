"""The entry point's fast paths answer exactly as the whole Typer app does.

``studsa.cli.main`` runs a copy of ``app`` that holds only the command named on the
command line (and a light copy for the top-level help); these tests run both on the same
arguments and compare exit code, stdout and stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import typer
from conftest import run_python
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



@pytest.mark.parametrize("columns", ["40", "80", "120", "200"])
@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
def test_lean_root_help_draws_what_typers_formatter_draws(
    columns: str, colour: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer import rich_utils

    monkeypatch.setenv("COLUMNS", columns)
    if colour:
        monkeypatch.delenv("NO_COLOR")
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("TERM", "xterm-256color")
        monkeypatch.setattr(rich_utils, "FORCE_TERMINAL", True)
    lean = _run(studsa_cli._help_app(), ["--help"])
    assert lean == _run(app, ["--help"])
    assert ("\x1b[" in lean[1]) is colour
    assert "Usage: " in lean[1]
    assert "Show each phase" in lean[1]


def test_lean_help_leaves_what_it_does_not_draw_to_typer() -> None:
    from studsa.cli.roothelp import LeanHelpGroup

    sub = typer.Typer(cls=LeanHelpGroup, rich_markup_mode="rich")

    @sub.callback()
    def root(token: Annotated[str, typer.Option(envvar="TOKEN", help="A token.")] = "x",
             ) -> None:
        """Root."""

    @sub.command(deprecated=True)
    def old(name: Annotated[str, typer.Argument(help="A name.")]) -> None:
        """Old."""

    result = CliRunner().invoke(sub, ["--help"], prog_name="sub")
    assert result.exit_code == 0
    assert "env var: TOKEN" in result.stdout
    assert "(deprecated)" in result.stdout


def test_console_script_help_does_not_load_typers_formatter() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['studsa', '--help']\n"
        "from studsa.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ['typer.rich_utils', 'rich.markdown', 'markdown_it', 'pygments',"
        " 'rich.traceback', 'pydantic', 'rich._emoji_codes', 'json']\n"
        "print(sorted(h for h in heavy if h in sys.modules))\n"
    )
    stdout = run_python(code)
    assert "Usage: studsa" in stdout
    assert stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("area", ["identify", "place", "followup", "versions"])
def test_area_modules_re_export_their_status_hooks(area: str) -> None:
    import importlib

    full = importlib.import_module(f"studsa.workflow.{area}")
    hooks = importlib.import_module(f"studsa.workflow.{area}_status")
    assert getattr(full, "next_step", None) is getattr(hooks, "next_step", None)
    assert full.status_notes is hooks.status_notes


def test_remiss_status_notes_are_the_remiss_areas_when_a_round_exists(
    example_project: Path, cli: object
) -> None:
    from studsa.workflow import remiss, remiss_status
    from studsa.workflow.context import Workspace

    assert remiss_status.status_notes(Workspace.open(example_project)) == []
    result = cli("remiss", "open", "strategi", "--to", "Kulturnämnden",  # type: ignore[operator]
                 "--deadline", "2099-01-01", "-p", example_project)
    assert result.exit_code == 0, result.stderr
    notes = remiss_status.status_notes(Workspace.open(example_project))
    assert notes == remiss.status_notes(Workspace.open(example_project))
    assert any("Kulturnämnden" in n.message for n in notes)


def test_status_loads_the_hooks_not_the_area_modules_nor_ruamel(example_project: Path) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['studsa', 'status']\n"
        "from studsa.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = ['studsa.workflow.identify', 'studsa.workflow.place',"
        " 'studsa.workflow.followup', 'studsa.workflow.versions', 'studsa.workflow.remiss',"
        " 'studsa.models.remiss', 'studsa.migrate', 'typer.rich_utils', 'ruamel',"
        " 'studsa.workflow.identify_status', 'studsa.workflow.place_status',"
        " 'studsa.workflow.followup_status', 'studsa.workflow.versions_status',"
        " 'studsa.workflow.remiss_status']\n"
        "print([m in sys.modules for m in loaded])\n"
    )
    stdout = run_python(code, cwd=example_project)
    assert "next:" in stdout
    assert stdout.strip().splitlines()[-1] == str([False] * 9 + [True] * 5)


def test_help_listing_names_commands_and_groups_as_typer_does() -> None:
    from studsa.cli.roothelp import help_app

    demo = typer.Typer(rich_markup_mode="rich", no_args_is_help=True)

    @demo.callback()
    def root() -> None:
        """Demo root.

        More about it.
        """

    @demo.command("renamed", rich_help_panel="Panel B")
    def first_command() -> None:
        """First line.

        Not shown in the listing.
        """

    @demo.command(help="Help given to the decorator.", rich_help_panel="Panel A")
    def second_one() -> None:
        """Docstring not used."""

    @demo.command(hidden=True)
    def secret() -> None:
        """Hidden."""

    named = typer.Typer(help="A group with help on its Typer.")
    named.command()(secret)
    demo.add_typer(named, name="grp", rich_help_panel="Panel A")
    by_callback = typer.Typer()

    @by_callback.callback()
    def sub_root() -> None:
        """Help from the group's callback docstring."""

    by_callback.command()(secret)
    demo.add_typer(by_callback, name="cb")
    nameless = typer.Typer()
    nameless.command("lifted")(first_command)
    demo.add_typer(nameless)

    for argv in (["--help"], []):
        lean = CliRunner().invoke(help_app(demo), argv, prog_name="demo")
        full = CliRunner().invoke(demo, argv, prog_name="demo")
        assert (lean.exit_code, lean.stdout) == (full.exit_code, full.stdout)
    assert "lifted" in lean.stdout
    assert "Help from the group's callback docstring." in lean.stdout


def test_options_left_at_their_default_build_no_converter(example_project: Path) -> None:
    code = (
        "import sys\n"
        "sys.argv = ['studsa', 'score']\n"
        "from studsa.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('ADAPTERS', 'typer._adapters' in sys.modules)\n"
    )
    stdout = run_python(code, cwd=example_project)
    assert "Ranking" in stdout
    assert stdout.strip().splitlines()[-1] == "ADAPTERS False"


def test_given_values_are_still_converted_and_checked(example_project: Path, cli) -> None:
    from studsa.cli import coercion

    assert coercion.install()  # Typer's internals are the ones it was written for
    shown = cli("score", "--top", "2", "--json", "-p", example_project)
    assert shown.exit_code == 0, shown.output
    assert '"top": 2' in shown.stdout
    wrong = cli("score", "--top", "two", "-p", example_project)
    assert wrong.exit_code == 2
    assert "Invalid value for '--top'" in wrong.output
    assert "valid integer" in wrong.output
