"""HTML → tagged PDF/UA with WeasyPrint (the optional ``studsa[pdf]`` extra)."""

from __future__ import annotations

import re
import sys
import zlib

import pytest

from studsa.errors import UsageError
from studsa.report.html import to_html
from studsa.report.pdf import available, to_pdf

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
