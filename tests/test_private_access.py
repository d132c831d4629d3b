"""No private name of a dependency anywhere: code pinned to a library's internals breaks
on its next release (pyproject allows any future version).

A private attribute (``x._name``, not a dunder) may only be one that studsa itself defines;
a private module or name of a dependency may not be imported at all.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for folder in ("studsa", "tests", "benchmarks")
                 for p in (ROOT / folder).rglob("*.py") if ".node" not in p.parts)
DEPENDENCIES = {"typer", "click", "rich", "ruamel", "docx", "pydantic", "pydantic_core", "yaml",
                "jinja2", "openpyxl", "markdown_it", "babel", "filelock", "weasyprint",
                "cairosvg"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _trees() -> Iterator[tuple[Path, ast.AST]]:
    for path in SOURCES:
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _own_private_names() -> set[str]:
    """Every private name studsa's own code defines (attributes, functions, fields)."""
    names: set[str] = set()
    for path, tree in _trees():
        if path.parts[len(ROOT.parts)] != "studsa":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)  # __slots__ entries
    return {n for n in names if _private(n)}


def _findings() -> list[str]:
    own = _own_private_names()
    found = []
    for path, tree in _trees():
        where = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
                found.append(f"{where}:{node.lineno}: .{node.attr}")
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                parts = node.module.split(".")
                if parts[0] in DEPENDENCIES and (any(map(_private, parts))
                                                 or any(_private(a.name) for a in node.names)):
                    found.append(f"{where}:{node.lineno}: from {node.module} import …")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] in DEPENDENCIES and any(map(_private, parts)):
                        found.append(f"{where}:{node.lineno}: import {alias.name}")
    return found


def test_no_private_name_of_a_dependency_is_used() -> None:
    assert _findings() == []


@pytest.mark.parametrize("code", [
    "import typer.main\ntyper.main._main()\n",
    "from docx.oxml import x\nrow._tr.get_or_add_trPr()\n",
    "from typer import _completion\n",
    "import rich._wrap\n",
])
def test_the_check_finds_private_use(code: str, tmp_path: Path, monkeypatch) -> None:
    sample = tmp_path / "benchmarks" / "sample.py"
    sample.parent.mkdir()
    sample.write_text(code, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "SOURCES", [sample])
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    assert _findings()
