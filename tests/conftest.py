"""Shared fixtures: a fixed terminal, a CLI runner, fresh and example projects."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

# The suite speaks English unless a test asks for Swedish (STUDSA_LANG=sv or --lang sv); set
# before the app is built, since its help texts are looked up then.
os.environ["STUDSA_LANG"] = "en"

from studsa import i18n
from studsa.cli import app
from studsa.resources import example_dir
from studsa.workflow.project import InitOptions, init_project

EXAMPLE = "malmo"


def run_python(code: str, cwd: Path | None = None) -> str:
    """Run ``code`` in a fresh interpreter (fixed terminal, empty PATH); return its stdout."""
    import subprocess
    import sys

    env = {"COLUMNS": "100", "NO_COLOR": "1", "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd,
        env=env,
    )
    return result.stdout


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixed width, no colour, no debug from the outer environment."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("STUDSA_DEBUG", raising=False)
    monkeypatch.setenv("STUDSA_LANG", "en")
    i18n.override_language(None)  # a --lang or --json of the test before
    i18n.use_language(None)
    import studsa.console

    for name in ("out", "err"):  # made anew at this width, whatever a test before used
        monkeypatch.delitem(vars(studsa.console), name, raising=False)


class Cli:
    """Runs ``studsa`` in-process through Typer's runner."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str | Path, input: str | None = None):
        """Run ``studsa ARGS`` and return the click ``Result`` (stdout/stderr separate)."""
        return self.runner.invoke(app, [str(a) for a in args], input=input)


@pytest.fixture
def cli() -> Cli:
    """Invoke the CLI: ``cli("status", "-p", path)``."""
    return Cli()


@pytest.fixture
def new_project(tmp_path: Path) -> Path:
    """A fresh project made by ``studsa init`` (Swedish, default criteria)."""
    root = tmp_path / "strategi"
    init_project(InitOptions(path=root, name="Teststrategi", committee="Testnämnden",
                             start_year=2021))
    return root


@pytest.fixture
def example_project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the bundled Malmö example."""
    source = example_dir(EXAMPLE)
    if not (source / "studsa.yaml").is_file():
        pytest.skip("the Malmö example is not there yet")
    root = tmp_path / "malmo"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("rapporter", ".*"))
    yield root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes under ``root`` (to assert nothing changed)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".studsa.lock"
    }


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-goldens``: rewrite the expected files under ``tests/golden/``."""
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="rewrite the golden files under tests/golden/ from current output")
