"""Errors speak the user's language: the workflow's refusals come from the catalog.

The ``errors`` catalog area holds the sentences the workflow raises; a Swedish terminal
(STUDSA_LANG=sv, or a Swedish project) gets them in Swedish, an English one in the same
English as before. A test reads the source of the modules moved to the catalog and fails
on an English sentence written into a ``raise`` again.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import studsa
from studsa import i18n
from studsa.errors import UsageError
from studsa.i18n import count, message

PACKAGE = Path(studsa.__file__).parent
CATALOGUED = [
    "workflow/remiss.py", "workflow/place.py", "workflow/plan.py", "workflow/activities.py",
    "workflow/identify.py", "workflow/challenges.py", "workflow/render.py",
    "workflow/export.py", "workflow/gittag.py", "workflow/project.py",
    "workflow/prioritize/rating.py", "workflow/prioritize/criteria.py",
    "workflow/prioritize/score_import.py", "workflow/prioritize/report.py", "periods.py",
    "resources.py",
]
CATALOG_CALLS = {"message", "count", "and_list"}
WORDS = re.compile(r"[A-Za-z]{2,}")


def _literal_words(node: ast.AST) -> list[str]:
    """The words of string literals under ``node``, outside calls to the catalog."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) in CATALOG_CALLS:
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return WORDS.findall(node.value)
    return [w for child in ast.iter_child_nodes(node) for w in _literal_words(child)]


def _spoken(tree: ast.AST) -> list[ast.AST]:
    """What reaches the terminal: raised errors and the rows' problems of an import."""
    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            # the message and the hint; ``path=`` names a file
            found.extend(node.exc.args)
            found.extend(k.value for k in node.exc.keywords if k.arg != "path")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "problem"):
            found.extend(node.args[2:])
    return found


@pytest.mark.parametrize("name", CATALOGUED)
def test_no_english_literal_in_a_raise(name: str) -> None:
    path = PACKAGE / name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    literals = [f"{name}:{getattr(n, 'lineno', '?')}: {' '.join(words)}"
                for n in _spoken(tree) if (words := _literal_words(n))]
    assert literals == [], "move these sentences to studsa/catalog/*/errors.json"


def test_the_source_check_finds_an_english_raise() -> None:
    tree = ast.parse('def f(x):\n    raise UsageError(f"unknown theme {x!r}", hint="add it")\n')
    assert [_literal_words(n) for n in _spoken(tree)] == [["unknown", "theme"], ["add", "it"]]
    tree = ast.parse('raise UsageError(message("err_x", x=1), hint=message("err_y"), '
                     'path="studsa.yaml")\n')
    assert [_literal_words(n) for n in _spoken(tree)] == [[], []]


def test_plurals_follow_the_language(monkeypatch: pytest.MonkeyPatch) -> None:
    assert count("err_theme_used", 1, id="t", ids="a") == "theme 't' is used by 1 challenge: a"
    assert count("err_theme_used", 2, id="t", ids="a, b") == (
        "theme 't' is used by 2 challenges: a, b")
    monkeypatch.setenv("STUDSA_LANG", "sv")
    assert count("err_theme_used", 1, id="t", ids="a") == "temat 't' används av 1 utmaning: a"
    assert count("err_recorded_values", 3) == "3 registrerade värden"
    assert message("err_the_handlingsplan") == "handlingsplanen"


def test_a_workflow_refusal_in_swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    from studsa.periods import check_horizon

    with pytest.raises(UsageError, match="horizon '20x' is not valid"):
        check_horizon("20x")
    monkeypatch.setenv("STUDSA_LANG", "sv")
    with pytest.raises(UsageError, match="tidshorisonten '20x' är ogiltig"):
        check_horizon("20x")
    assert i18n.terminal_language() == "sv"


def test_a_swedish_project_refuses_in_swedish(new_project: Path, cli,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDSA_LANG")
    monkeypatch.setenv("LANG", "en_GB.UTF-8")  # the project's language wins over the locale
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    result = cli("theme", "remove", "trygghet", "-p", new_project)
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "fel: temat 'trygghet' finns inte; `studsa theme list` visar de som finns")


@pytest.mark.parametrize(("args", "code", "swedish"), [
    (("assign", "nope", "-d", "gatu"), 2,
     "fel: utmaningen 'nope' finns inte i utmaningskartan"),
    (("rate", "nope", "--rater", "Bo", "evidens"), 2,
     "fel: 'evidens' ska skrivas KRITERIUM=VÄRDE, t.ex. evidens=ja"),
    (("criterion", "edit", "nope", "--weight", "2"), 2, "fel: kriteriet 'nope' finns inte"),
    (("remiss", "answer", "Tekniska nämnden", "--point", "x"), 2,
     "fel: det finns ingen remissomgång än"),
    (("department", "add", " "), 2, "fel: avdelningen behöver ett namn"),
])
def test_refusals_in_swedish(new_project: Path, cli, monkeypatch: pytest.MonkeyPatch,
                             args: tuple[str, ...], code: int, swedish: str) -> None:
    english = cli(*args, "-p", new_project)
    monkeypatch.setenv("STUDSA_LANG", "sv")
    result = cli(*args, "-p", new_project)
    assert (result.exit_code, english.exit_code) == (code, code), result.stderr
    assert result.stderr.startswith(swedish), result.stderr
    assert english.stderr.startswith("error: ") and english.stderr != result.stderr
