"""HTML → tagged PDF (PDF/UA-1) with WeasyPrint, the optional ``studsa[pdf]`` extra."""

from __future__ import annotations

import hashlib
import os

from studsa.errors import UsageError

INSTALL_HINT = "pip install 'studsa[pdf]'"


def _weasyprint():  # type: ignore[no-untyped-def]
    try:
        import weasyprint
    except ImportError as exc:  # also covers missing system libraries (pango)
        raise UsageError(
            f"PDF output needs WeasyPrint, which is not installed; run: {INSTALL_HINT}",
            hint="HTML and Word output work without it: --format html or --format docx",
        ) from exc
    return weasyprint


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """Reports are self-contained: never fetch anything while rendering."""
    raise ValueError(f"studsa reports do not load external resources ({url[:60]})")


def to_pdf(html: str, *, lang: str, title: str) -> bytes:
    """Render a report's HTML as tagged PDF/UA-1 bytes with its title and language."""
    weasyprint = _weasyprint()
    # Without HarfBuzz's subsetter WeasyPrint subsets fonts with fontTools, which stamps each
    # font with the time of writing unless SOURCE_DATE_EPOCH (reproducible-builds.org) says
    # otherwise: pin it to the reports' fixed date, so equal reports give equal bytes.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01, as in Word files
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=_no_fetch).render()
    document.metadata.title = title
    document.metadata.lang = lang
    # A fixed identifier derived from the content keeps the bytes reproducible.
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
    pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=identifier)
    return bytes(pdf)


def available() -> None:
    """Raise a ``UsageError`` saying how to install WeasyPrint when it is missing."""
    _weasyprint()
