"""The shape of the code: dependencies point inward, the CLI stays thin and fast to start."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import run_python

PACKAGE = Path(__file__).resolve().parent.parent / "studsa"
FRONT = {"cli", "console.py", "__main__.py"}
UI_MODULES = {"typer", "rich", "click"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _core_files() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py")
        if p.relative_to(PACKAGE).parts[0] not in FRONT
    )


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_core_never_imports_the_ui(path: Path) -> None:
    assert not (_imports(path) & UI_MODULES), f"{path} imports typer/rich; keep it in cli/"


def test_core_never_imports_the_cli() -> None:
    offenders = []
    for path in _core_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                ("studsa.cli", "studsa.console")
            ):
                offenders.append(path.name)
    assert not offenders


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from studsa.cli import app\n"
        "try:\n    app(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        "heavy = ['jinja2', 'ruamel', 'pydantic', 'openpyxl', 'docx', 'babel',"
        " 'studsa.models', 'studsa.storage', 'studsa.workflow']\n"
        "print(sorted(h for h in heavy if any(m == h or m.startswith(h + '.') "
        "for m in sys.modules)))\n"
    )
    stdout = run_python(code)
    assert stdout.strip().splitlines()[-1] == "[]"
