"""Golden files for the example's reports in HTML and Word (compared by document XML).

The Markdown goldens live in ``test_render.py``; the three formats come from one template
per report, so a change shows up in all of them. Rewrite with ``pytest --update-goldens``.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from studsa.resources import example_dir
from studsa.workflow.context import Workspace
from studsa.workflow.render import render_reports

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every report of the Malmö example in HTML and Word, rendered once for the module."""
    root = tmp_path_factory.mktemp("golden") / "malmo"
    shutil.copytree(example_dir("malmo"), root, ignore=shutil.ignore_patterns("rapporter"))
    paths = render_reports(Workspace.open(root), formats=["html", "docx"])
    return {p.name: p for p in paths if p.suffix in {".html", ".docx"}}


def _names() -> list[str]:
    html = sorted(p.name for p in (GOLDEN / "html").glob("*.html"))
    docx = sorted(p.name.replace(".document.xml", ".docx")
                  for p in (GOLDEN / "docx").glob("*.document.xml"))
    return html + docx


def _compare(actual: bytes, golden: Path, request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-goldens"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
    assert golden.is_file(), f"no golden file {golden}; run pytest --update-goldens"
    assert actual == golden.read_bytes(), f"{golden.name} differs; review and --update-goldens"


def test_every_report_has_html_and_docx_goldens(rendered: dict[str, Path],
                                               request: pytest.FixtureRequest) -> None:
    """The set of rendered files is the set of golden files (none missing, none stale)."""
    if request.config.getoption("--update-goldens"):
        for name, path in rendered.items():
            if path.suffix == ".html":
                _compare(path.read_bytes(), GOLDEN / "html" / name, request)
            else:
                xml = zipfile.ZipFile(path).read("word/document.xml")
                _compare(xml, GOLDEN / "docx" / name.replace(".docx", ".document.xml"), request)
    assert sorted(rendered) == sorted(_names())


@pytest.mark.parametrize("name", _names())
def test_golden_format(rendered: dict[str, Path], name: str,
                       request: pytest.FixtureRequest) -> None:
    path = rendered[name]
    if path.suffix == ".html":
        _compare(path.read_bytes(), GOLDEN / "html" / name, request)
    else:
        xml = zipfile.ZipFile(path).read("word/document.xml")
        _compare(xml, GOLDEN / "docx" / name.replace(".docx", ".document.xml"), request)
