"""What reaches the terminal and the file system from user text: control characters are
shown, never sent; rater names never make file names a Windows checkout cannot hold."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from studsa.errors import UsageError
from studsa.storage.project import reserved_name, safe_file_stem

ESCAPES = "Titel \x1b[2J\x1b]0;kapad\x07 \x9b31m slut\r"


def test_an_escape_sequence_in_a_title_is_shown_not_sent(cli, new_project: Path) -> None:
    added = cli("theme", "add", ESCAPES, "--id", "fult", "-p", new_project)
    assert added.exit_code == 0, added.stderr
    listed = cli("theme", "list", "-p", new_project)
    assert listed.exit_code == 0
    for output in (added.stderr, listed.stdout):
        assert not any(ch in output for ch in "\x1b\x07\x9b\r"), repr(output)
    assert "␛[2J" in listed.stdout and "\\x9b" in listed.stdout


def test_colours_survive_while_control_characters_in_text_do_not() -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from studsa import console

    made = console.__getattr__("out")
    stream = io.StringIO()
    colour = type(made)(file=stream, force_terminal=True, color_system="standard",
                        width=80)
    assert isinstance(colour, Console)
    table = Table()
    table.add_row(ESCAPES, Text(ESCAPES))
    colour.print(f"[bold]{ESCAPES}[/]")
    colour.print(table)
    written = stream.getvalue()
    assert "\x1b[1m" in written  # rich's own bold is still sent
    assert "\x1b[2J" not in written and "\x1b]0;" not in written and "\x07" not in written
    assert "\x9b" not in written


@pytest.mark.parametrize("name", ["CON", "aux", "nul.", "Nul.txt", "LPT1", "com9", "PRN "])
def test_device_names_windows_reserves_are_no_file_names(name: str) -> None:
    with pytest.raises(UsageError):
        safe_file_stem(name)


def test_ordinary_names_are_file_names() -> None:
    for name in ("strateg", "console", "auxiliary", "con-2", "nulla", "com10"):
        assert safe_file_stem(name) == name and not reserved_name(name)


@pytest.mark.parametrize("rater", ["CON", "aux", "nul.", "LPT1", "Com3 "])
def test_a_rater_named_like_a_device_gets_a_file_every_platform_can_hold(
        cli, example_project: Path, rater: str) -> None:
    folder = example_project / "3-prioritera" / "bedomningar"
    before = set(p.name for p in folder.iterdir())
    result = cli("rate", "renhallning", "--rater", rater, "forebyggande=ja",
                 "-p", example_project)
    assert result.exit_code == 0, result.stderr
    [made] = set(p.name for p in folder.iterdir()) - before
    assert not reserved_name(Path(made).stem) and not made.endswith((". ", ".", " "))
    assert cli("validate", "-p", example_project).exit_code == 0


def test_a_rater_file_name_with_a_trailing_dot_is_refused(example_project: Path) -> None:
    from studsa.storage.layout import BEDOMNING
    from studsa.storage.project import ProjectStore

    with pytest.raises(UsageError):
        ProjectStore(example_project).path(BEDOMNING, "x.")
