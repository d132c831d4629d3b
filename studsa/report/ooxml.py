"""OOXML plumbing for Word (and Excel) output: what python-docx leaves out.

Deterministic zips, the document language in the styles, core properties, styles copied into
a reference document that lacks them, table header rows, captions and descriptions, and
column widths from content.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from studsa.errors import InputError
from studsa.i18n import message

LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def stable_zip(data: bytes, *, company: str | None = None, date: dt.date | None = None
               ) -> bytes:
    """Rewrite an OOXML zip with fixed timestamps and a fixed entry order (and a Company).

    Fixes the zip entries' dates, the core properties' created/modified dates and the order
    (``[Content_Types].xml`` first, then by name), so equal content gives equal bytes.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    if company is not None and "docProps/app.xml" in entries:
        entries["docProps/app.xml"] = _set_company(entries["docProps/app.xml"], company)
    if "docProps/core.xml" in entries:
        # Tools stamp the time of saving here (openpyxl does, always): pin it.
        entries["docProps/core.xml"] = re.sub(
            rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
            rb"\g<1>" + stamp(date).strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
            entries["docProps/core.xml"],
        )
    names = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def _set_company(xml: bytes, company: str) -> bytes:
    from xml.sax.saxutils import escape

    value = f"<Company>{escape(company)}</Company>".encode()
    text, count = re.subn(rb"<Company\s*/>|<Company>.*?</Company>", value, xml, flags=re.S)
    if count == 0:
        text = xml.replace(b"</Properties>", value + b"</Properties>")
    return text


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"


def word_package(path: Path) -> bytes:
    """The bytes of a Word ``.docx`` or ``.dotx`` as a ``.docx`` package, read in memory.

    A template (``.dotx``) differs from a document only in its main part's content type:
    that type is rewritten in the copy read, never in the user's file. Raises ``ValueError``
    saying why the file is not a Word document.
    """
    data = path.read_bytes()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("not a zip package (a Word file is one)")
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        names = set(source.namelist())
        if "[Content_Types].xml" not in names:
            raise ValueError("no [Content_Types].xml in the package")
        types = source.read("[Content_Types].xml").decode("utf-8", "replace")
        if WORD_MAIN in types:
            return data
        if TEMPLATE_MAIN not in types:
            raise ValueError("the package has no Word main document part")
        entries = [(info, source.read(info)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries:
            if info.filename == "[Content_Types].xml":
                content = types.replace(TEMPLATE_MAIN, WORD_MAIN).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def reference_problem(path: Path) -> str | None:
    """Why ``path`` cannot serve as the reference Word document (None when it can)."""
    import docx

    try:
        docx.Document(io.BytesIO(word_package(path)))
    except Exception as exc:  # zipfile, python-docx and lxml raise several kinds
        return str(exc) or type(exc).__name__
    return None


def base_document(reference_docx: Path | None) -> Any:
    """A new document, or the reference document with its body emptied (styles kept)."""
    import docx

    if reference_docx is None:
        return docx.Document()
    problem = reference_problem(reference_docx)
    if problem is not None:
        raise InputError(
            message("docx_reference_not_word", name=str(reference_docx), reason=problem),
            path=reference_docx,
        )
    document = docx.Document(io.BytesIO(word_package(reference_docx)))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document


def set_language(document: Any, tag: str) -> None:
    """Write the language into the style defaults (and every style that names one)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    if rpr.find(qn("w:lang")) is None:
        lang = OxmlElement("w:lang")
        later = [rpr.find(qn(n)) for n in ("w:eastAsianLayout", "w:specVanish", "w:oMath")]
        following = next((e for e in later if e is not None), None)
        if following is not None:
            following.addprevious(lang)
        else:
            rpr.append(lang)
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)


def core_properties(document: Any, *, title: str, organisation: str | None, tag: str,
                    date: dt.date | None = None, subject: str | None = None,
                    identifier: str | None = None) -> None:
    """Title, author (the organisation), language and the report's date as created/modified.

    Without a date the fixed ``FIXED_DATE`` stands in (so equal input gives equal bytes).
    """
    core = document.core_properties
    core.title = title
    core.author = organisation or ""
    core.last_modified_by = organisation or ""
    core.language = tag
    core.comments = ""
    core.subject = subject or ""
    core.keywords = ""
    core.category = ""
    core.identifier = identifier or ""
    core.revision = 1
    when = stamp(date)
    core.created = when
    core.modified = when
    core.last_printed = when


def stamp(date: dt.date | None) -> dt.datetime:
    """The timestamp written for ``date`` (noon UTC, so every time zone shows that day)."""
    if date is None:
        return FIXED_DATE.replace(tzinfo=None)
    return dt.datetime(date.year, date.month, date.day, 12, 0, 0)


class Styles:
    """Style lookup by name, cached (python-docx searches every style on each lookup)."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.found: dict[str, Any] = {s.name: s for s in document.styles}
        self._default: Any = None

    def __call__(self, name: str) -> Any:
        """The style ``name``, copied from python-docx's default document when missing.

        Returns None for list styles a reference document lacks: their numbering
        definitions cannot be copied safely, so the caller writes the marker as text.
        """
        if name in self.found:
            return self.found[name]
        if name.startswith(("List Bullet", "List Number")):
            return None
        if self._default is None:
            import docx

            self._default = {s.name: s for s in docx.Document().styles}
        if name not in self._default:
            return None
        self.document.styles.element.append(copy.deepcopy(self._default[name].element))
        self.found = {s.name: s for s in self.document.styles}
        return self.found.get(name)


def set_cell_margins(tbl: Any) -> None:
    """Narrow left and right cell margins (1.5 mm) for the table ``tbl``, as office tables
    have, so compound words fit their columns."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        margin = OxmlElement(side)
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tbl_pr = tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)


def set_table_properties(tbl: Any, caption: str, description: str) -> None:
    """Repeat the header row of ``tbl`` (a ``<w:tbl>``) on every page; give the table a
    caption and description."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = tbl.tr_lst[0].get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    tbl_pr = tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


BREAKS = re.compile(r"[ \t\r\n]+")
CHAR_EMU = 60_000  # one average character of the 9 pt table text, bold headers included
CELL_PAD_EMU = 170_000  # the cell's left and right margins (1.5 mm each), and air for bold
CELL_MARGIN_TWIPS = 85  # 1.5 mm


def _water_level(values: list[int], total: int) -> int:
    """The largest cap with ``sum(min(v, cap)) <= total``."""
    remaining, left = total, len(values)
    for value in sorted(values):
        if value * left > remaining:
            return remaining // left
        remaining -= value
        left -= 1
    return max(values)


def column_widths(rows: list[list[str]], available: int) -> list[int]:
    """Column widths (summing to ``available``, in EMU) from what the columns hold.

    Each column gets at least its longest word (words are not split where it can be
    helped); the rest of the width goes by the longest text (up to 30 characters).
    """
    count = max((len(row) for row in rows), default=0)
    least: list[int] = []
    wish: list[int] = []
    for column in range(count):
        texts = [row[column] for row in rows if column < len(row)]
        # Split at breakable spaces only: a no-break space holds an amount together.
        word = max((len(w) for t in texts for w in BREAKS.split(t) if w), default=1)
        text = max((len(t) for t in texts), default=1)
        least.append(word * CHAR_EMU + CELL_PAD_EMU)
        wish.append(max(word, min(text, 30)) * CHAR_EMU + CELL_PAD_EMU)
    if not count:
        return []
    if sum(least) >= available:
        # Too narrow for every longest word: keep narrow columns whole (years, amounts) and
        # share what is left equally among the wide ones.
        cap = _water_level(least, available)
        widths = [min(m, cap) for m in least]
        widths[-1] += available - sum(widths)
        return widths
    widths = list(least)
    spare = available - sum(least)
    weights = [w - m for w, m in zip(wish, least, strict=True)]
    if not any(weights):
        weights = list(wish)
    total = sum(weights) or 1
    widths = [base + spare * weight // total
              for base, weight in zip(widths, weights, strict=True)]
    widths[-1] += available - sum(widths)
    return widths
