"""The shape of the code: dependencies point inward, the CLI stays thin and fast to start.

The layers are import-linter contracts in pyproject.toml (``[tool.importlinter]``); grimp,
which import-linter builds its graph with, counts imports inside functions and under
``TYPE_CHECKING`` as well, so a lazy import cannot hide an arrow back up.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest
from conftest import run_python

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "studsa"
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


def _lint_imports(config: Path, cwd: Path, pythonpath: str | None = None
                  ) -> subprocess.CompletedProcess[str]:
    """Run import-linter's ``lint-imports`` on ``config`` (no cache folder is written)."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--no-logo", str(config)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )


def test_import_contracts_hold() -> None:
    result = _lint_imports(ROOT / "pyproject.toml", ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_contracts_count_imports_inside_functions(tmp_path: Path) -> None:
    # A toy package whose only arrow back up is an import inside a function.
    package = tmp_path / "toy"
    (package / "low").mkdir(parents=True)
    (package / "high").mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "high" / "__init__.py").write_text("VALUE = 1\n", encoding="utf-8")
    (package / "low" / "__init__.py").write_text(textwrap.dedent("""\
        def lazy():
            from toy.high import VALUE
            return VALUE
        """), encoding="utf-8")
    config = tmp_path / "setup.cfg"
    config.write_text(textwrap.dedent("""\
        [importlinter]
        root_package = toy

        [importlinter:contract:layers]
        name = high above low
        type = layers
        layers =
            toy.high
            toy.low
        """), encoding="utf-8")
    result = _lint_imports(config, tmp_path, pythonpath=str(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "toy.low -> toy.high" in result.stdout


def test_no_import_cycles() -> None:
    """No module reaches itself through its imports (at module level or inside functions)."""
    graph = grimp.build_graph("studsa", cache_dir=None)
    cycles = set()
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                cycles.add(" → ".join((importer, *back)))
    assert not cycles, "\n".join(sorted(cycles))
