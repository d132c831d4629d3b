"""Every catalog key renders in both languages and is used somewhere; Swedish help is Swedish.

A key counts as used when its name appears in the package or the templates, or when the
code composes it from a prefix it spells out (``f"report_{name}"``, ``t["act_" ~ s]``).
"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

import studsa
from studsa.i18n import LANGUAGES, labels
from studsa.resources import templates_dir

PACKAGE = Path(studsa.__file__).parent
COMPOSED = re.compile(r"""f?["']([a-z][a-z0-9_]*_)(?:\{|["']\s*[+~%])""")


def _sources() -> str:
    files = [p for p in PACKAGE.rglob("*") if p.suffix in {".py", ".js", ".html"}]
    files += [p for p in templates_dir().rglob("*") if p.is_file()]
    return "\n".join(p.read_text(encoding="utf-8") for p in files if "catalog" not in p.parts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_key_renders(language: str) -> None:
    for key, text in labels(language).items():
        fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        rendered = text.format(*["X"] * fields.count(""), **{n: "X" for n in fields if n})
        assert "{" not in rendered and "}" not in rendered, f"{language}:{key}: {rendered}"


def test_every_key_is_used() -> None:
    source = _sources()
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", source))
    prefixes = (*set(COMPOSED.findall(source)), "fw_")  # fw_: studsa.cli.framework takes all
    unused = [key for key in labels("en")
              if key not in words and key.removesuffix("_one") not in words
              and not key.startswith(prefixes)]
    assert unused == [], f"catalog keys no code or template uses: {unused}"


def test_the_shipped_framework_translations_match_the_catalog() -> None:
    from babel.messages.mofile import read_mo

    from studsa.cli import framework

    for language in LANGUAGES:
        if language == framework.SOURCE_LANGUAGE:
            continue
        with framework.mo_path(language).open("rb") as stream:
            shipped = {m.id: m.string for m in read_mo(stream) if m.id}
        assert shipped == framework.translations(language), (
            "run: python -m studsa.cli.framework")


# Every command's --help, in a fresh process per language (help texts are read when the
# app is built, Typer's own words when it is first imported).
HELP_DUMP = """
import json, sys
import typer.main
from typer.testing import CliRunner
from studsa.cli import app
runner = CliRunner()
root = typer.main.get_command(app)
out = {}
names = set()
def walk(command, path):
    out[" ".join(path) or "studsa"] = runner.invoke(app, [*path, "--help"]).output
    names.update(p.name for p in command.params if p.name)
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        walk(sub, [*path, name])
walk(root, [])
json.dump({"pages": out, "names": sorted(names)}, sys.stdout)
"""

# English words that never occur in Swedish prose (names, ids, commands and option names
# are removed before the check).
ENGLISH = {
    "the", "and", "of", "to", "is", "are", "with", "for", "from", "each", "every", "when",
    "this", "that", "which", "show", "shows", "write", "writes", "only", "or", "not", "file",
    "files", "list", "add", "remove", "edit", "help", "usage", "options", "commands",
    "arguments", "required", "default", "error", "try", "message", "exit", "install",
    "completion", "current", "shell", "one", "all", "new", "name", "its", "their", "be",
    "by", "on", "at", "as", "an", "it", "if", "else", "none", "yes", "no",
}
# Words that are names in both languages: methods, values written as they are typed.
NAMES = {"count", "weighted", "borda", "yes", "no", "true", "false", "ja", "nej"}
STRIP = re.compile(
    r"`[^`]*`|\[bold\][^\[]*\[/\]|--?[a-z][a-z0-9-]*|<[^>]*>|\{[^}]*\}|\"[^\"]*\"|"
    r"'[^']*'|\S*[/._=]\S*|\b[A-Z][A-Z_]+\b|studsa [a-z -]+|pip install")


def _help_pages(language: str, tmp_path: Path) -> tuple[dict[str, str], set[str]]:
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "STUDSA_LANG": language, "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run([sys.executable, "-c", HELP_DUMP], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    dumped = json.loads(done.stdout)
    return dumped["pages"], set(dumped["names"])


def test_swedish_help_has_no_english_words(tmp_path: Path) -> None:
    pages, parameters = _help_pages("sv", tmp_path)
    assert len(pages) > 40
    found = {}
    # command and parameter names are names
    commands = {word for path in pages for word in path.split()} | parameters
    for command, text in pages.items():
        assert "Traceback" not in text, command
        words = set(re.findall(r"[A-Za-zåäöÅÄÖé]+", STRIP.sub(" ", text)))
        english = sorted(w for w in words if w.lower() in ENGLISH and w.lower() not in NAMES
                         and w not in commands)
        if english:
            found[command] = english
    assert found == {}


def test_english_help_speaks_english(tmp_path: Path) -> None:
    pages, _ = _help_pages("en", tmp_path)
    for command, text in pages.items():
        assert "Usage:" in text and "Användning" not in text, command
