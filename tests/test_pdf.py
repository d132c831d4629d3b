"""HTML → tagged PDF/UA with WeasyPrint (the optional ``studsa[pdf]`` extra)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from studsa.errors import UsageError
from studsa.report.html import to_html
from studsa.report.pdf import available, to_pdf
from studsa.report.svg import challenge_map_svg, timeline_svg

MARKDOWN = """\
# Strategi för trygghet

Intro med [länk](https://example.org).

## Rangordning

| Rang | Utmaning |
|--:|---|
| 1 | Renhållning |
"""


def _streams(pdf: bytes) -> bytes:
    """Every stream of the PDF, inflated where possible, plus the raw bytes."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            parts.append(zlib.decompress(pdf[match.end():end]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_tagged_pdf_ua_with_title_and_language() -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra is not installed")
    page = to_html(MARKDOWN, lang="sv", title="Strategi", figures={})
    pdf = to_pdf(page, lang="sv", title="Strategi för trygghet")
    assert pdf.startswith(b"%PDF-")
    content = _streams(pdf)
    assert b'pdfuaid:part="1"' in content
    assert b"/StructTreeRoot" in content and b"/Marked true" in content
    assert b"/Lang (sv)" in content
    assert b"DisplayDocTitle true" in content
    assert "Strategi för trygghet".encode() in content
    assert to_pdf(page, lang="sv", title="Strategi för trygghet") == pdf


def test_without_weasyprint_the_error_says_how_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # makes `import weasyprint` fail
    with pytest.raises(UsageError, match=r"pip install 'studsa\[pdf\]'"):
        available()
    with pytest.raises(UsageError, match=r"pip install 'studsa\[pdf\]'"):
        to_pdf("<html></html>", lang="sv", title="T")


def _poppler() -> None:
    pytest.importorskip("weasyprint", reason="the pdf extra is not installed")
    if not (shutil.which("pdfinfo") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdfinfo, pdftotext) are not installed")


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)", info.stdout), info.stdout
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]


def _text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf),
                           "-"], capture_output=True, text=True, check=True).stdout


def test_the_memo_prints_on_three_a4_pages_with_header_and_page_numbers(
        example_project: Path, tmp_path: Path) -> None:
    _poppler()
    from studsa.workflow.context import Workspace
    from studsa.workflow.render import render_reports

    [pdf] = render_reports(Workspace.open(example_project), ["tjansteskrivelse"], ["pdf"],
                           tmp_path / "out")
    pages = _pages(pdf)
    assert pages <= 3  # nine sections, not one page each
    for page in range(1, pages + 1):
        text = _text(pdf, page)
        assert "Malmö stad, Fastighets- och gatukontoret" in text
        assert "Tjänsteskrivelse · Dnr TN-2019-3986" in text
        assert f"Sida {page} ({pages})" in text
    first = _text(pdf, 1)
    assert first.index("TJÄNSTESKRIVELSE") < first.index("Förslag till beslut")


def test_figures_are_drawn_in_the_pdf(tmp_path: Path) -> None:
    _poppler()
    figures = {
        "karta.svg": challenge_map_svg([("a", "Skötselområdet")], [("x", "Kartutmaningen", "a")],
                                       {"x"}, title="Karta", prioritized_label="Vald"),
        "tid.svg": timeline_svg([("Tidsraden", 2021, 2023)], title="Tid", years=(2021, 2037)),
    }
    page = to_html("# R\n\n![Karta](karta.svg)\n\n![Tid](tid.svg)\n", lang="sv", title="R",
                   figures=figures)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(to_pdf(page, lang="sv", title="R"))
    text = " ".join(_text(pdf, n) for n in range(1, _pages(pdf) + 1))
    # words that only the drawings hold
    for word in ("Skötselområdet", "Kartutmaningen", "Tidsraden", "2037"):
        assert word in text
