"""Docs stay true: every command has help text and appears in the README's command table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from studsa.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, object]] = []

    def walk(prefix: str, command: object) -> None:
        children = getattr(command, "commands", None)
        if prefix:
            found.append((prefix, command))
        if children:
            for name, child in sorted(children.items()):
                walk(f"{prefix} {name}".strip(), child)

    walk("", root)
    return found


COMMANDS = _commands()


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help(name: str, command: object) -> None:
    text = (getattr(command, "help", None) or getattr(command, "short_help", None) or "").strip()
    assert text, f"`studsa {name}` has no help text"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_is_in_the_readme(name: str, command: object) -> None:
    table = README.read_text(encoding="utf-8")
    pattern = re.compile(r"`studsa " + re.escape(name) + r"(\s[^`]*)?`")
    assert pattern.search(table), f"`studsa {name}` is missing from README.md's command table"


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", text, flags=re.S)
    assert "studsa demo" in blocks[0]
    assert "pytest" in blocks[1]
