"""The page of a Word report: A4, the house look, the running header and footer.

Without a municipal template a report gets A4 portrait with office margins, a sans-serif
look set in the styles (black headings, no theme colours), a header with organisation,
document type, date and diarienummer, and a footer "Sida 1 (3)" made of real PAGE and
NUMPAGES fields. With a template (``reference_docx``) its page, styles, header and footer
stay; the header's and footer's fields, content controls and ``{placeholders}`` receive the
report's title, date and diarienummer (``studsa.report.fields``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

FONT = "Arial"
"""Arial, or its metric twin (Liberation Sans, Arimo) where Arial is not installed."""
BLACK = "000000"
MARGINS_MM = {"left": 25, "right": 25, "top": 20, "bottom": 20}
HEADING_PT = {1: 16, 2: 13, 3: 11.5, 4: 11, 5: 11, 6: 11}
# Styles whose colour is their point (links); every other colour in the styles goes black.
COLOURED = {"Hyperlink", "FollowedHyperlink"}


@dataclass(frozen=True)
class Letterhead:
    """What the running header and the document properties say about a report."""

    title: str
    doc_type: str | None = None
    organisation: str | None = None
    administration: str | None = None
    dnr: str | None = None
    date: dt.date | None = None


def a4(document: Any) -> None:
    """A4 portrait with 25 mm side margins and 20 mm top and bottom, in every section."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    for section in document.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(210)
        section.page_height = Mm(297)
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.header_distance = Mm(10)
        section.footer_distance = Mm(10)
        section.gutter = Mm(0)


def text_width(document: Any) -> int:
    """The width between the margins of the last section, in EMU."""
    section = document.sections[-1]
    return int(section.page_width - section.left_margin - section.right_margin)


def text_height(document: Any) -> int:
    """The height between the margins of the last section, in EMU."""
    section = document.sections[-1]
    return int(section.page_height - section.top_margin - section.bottom_margin)


def _plain_fonts(styles_element: Any) -> None:
    """Every font in the styles becomes ``FONT`` unless it names a font of its own."""
    from docx.oxml.ns import qn

    themed = [qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for fonts in styles_element.iter(qn("w:rFonts")):
        if fonts.get(qn("w:ascii")) not in (None, FONT) and fonts.get(themed[0]) is None:
            continue  # a deliberate face (a code style's monospace)
        for name in themed:
            fonts.attrib.pop(name, None)
        for name in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(name), FONT)


def _black(styles_element: Any) -> None:
    """Theme colours (blue headings, captions, title rule) become black."""
    from docx.oxml.ns import qn

    for style in styles_element.iter(qn("w:style")):
        if style.get(qn("w:styleId")) in COLOURED:
            continue
        for colour in style.iter(qn("w:color")):
            for name in ("w:themeColor", "w:themeShade", "w:themeTint"):
                colour.attrib.pop(qn(name), None)
            colour.set(qn("w:val"), BLACK)


def house_style(document: Any) -> None:
    """A clean sans-serif look in the styles: body 11 pt, black headings by level."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles
    element = styles.element
    defaults = element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None and rpr.find(qn("w:rFonts")) is None:
        rpr.insert(0, OxmlElement("w:rFonts"))
    _plain_fonts(element)
    _black(element)
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    names = {s.name for s in styles}
    for level, size in HEADING_PT.items():
        name = f"Heading {level}"
        if name not in names:
            continue
        heading = styles[name]
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = RGBColor.from_string(BLACK)
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 14 if level == 2 else 10)
        heading.paragraph_format.space_after = Pt(6 if level <= 2 else 3)
        heading.paragraph_format.keep_with_next = True
    for name, size in (("Caption", 9), ("Header", 9), ("Footer", 9)):
        if name in names:
            styles[name].font.size = Pt(size)
    if "Caption" in names:
        styles["Caption"].paragraph_format.space_after = Pt(4)


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES`` …) with ``shown`` as its last result.

    Written as begin / instrText / separate / result / end runs, the form every Word and
    LibreOffice version updates (python-docx has no field API).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def run_with(child: Any) -> None:
        run = paragraph.add_run()
        run.font.element.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def header_lines(head: Letterhead, labels: Mapping[str, str]) -> list[tuple[str, str]]:
    """(left, right) text of each header line: who on the left, what and when on the right."""
    left = [v for v in (head.organisation, head.administration) if v]
    right = [head.doc_type.upper()] if head.doc_type else []
    if head.date is not None:
        right.append(f"{labels['docx_date']} {head.date.isoformat()}")
    if head.dnr:
        right.append(f"{labels['docx_dnr']} {head.dnr}")
    return [(a or "", b or "") for a, b in zip_longest(left, right)]


def letterhead(document: Any, head: Letterhead, labels: Mapping[str, str], *,
               keep_existing: bool = False) -> None:
    """Write the running header and the page-number footer of every section.

    With ``keep_existing`` (a municipal template) a header or footer that already holds
    something is the template's, and stays as it is.
    """
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    width = text_width(document)
    names = {s.name for s in document.styles}
    for section in document.sections:
        header = section.header
        if not (keep_existing and has_content(header)):
            header.is_linked_to_previous = False
            lines = header_lines(head, labels) or [("", "")]
            for number, (left, right) in enumerate(lines):
                paragraph = header.paragraphs[0] if number == 0 else header.add_paragraph()
                _running(document, names, paragraph, "Header", width)
                if left:
                    paragraph.add_run(left)
                if right:
                    paragraph.add_run("\t")
                    paragraph.add_run(right).bold = number == 0
            header.paragraphs[-1].paragraph_format.space_after = Pt(12)
        footer = section.footer
        if not (keep_existing and has_content(footer)):
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0]
            _running(document, names, paragraph, "Footer", width)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            page_numbers(paragraph, labels["docx_page"])


def _running(document: Any, names: set[str], paragraph: Any, style_name: str, width: int
             ) -> None:
    """Style a header or footer line: one right tab at the text's right edge.

    The style's own tabs (python-docx's are set for US Letter) are cleared in the paragraph,
    so a tab always reaches the right margin whatever the page.
    """
    from docx.enum.text import WD_TAB_ALIGNMENT

    if style_name in names:
        style = document.styles[style_name]
        paragraph.style = style
        stops = paragraph.paragraph_format.tab_stops
        for stop in style.paragraph_format.tab_stops:
            if stop.position != width:
                stops.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    else:
        paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)


def page_numbers(paragraph: Any, pattern: str) -> None:
    """``Sida {page} ({pages})`` with ``{page}`` and ``{pages}`` as PAGE and NUMPAGES fields."""
    for piece in re.split(r"(\{page\}|\{pages\})", pattern):
        if piece == "{page}":
            add_field(paragraph, "PAGE", "1")
        elif piece == "{pages}":
            add_field(paragraph, "NUMPAGES", "1")
        elif piece:
            paragraph.add_run(piece)


def has_content(part: Any) -> bool:
    """Whether a header or footer (``section.header``) holds text, a field or a picture."""
    if part.is_linked_to_previous:
        return False
    from docx.oxml.ns import qn

    element = part.part.element  # the <w:hdr> or <w:ftr> of the header's own part
    if "".join(element.itertext()).strip():
        return True
    wanted = {qn("w:fldChar"), qn("w:fldSimple"), qn("w:drawing"), qn("w:pict"), qn("w:sdt")}
    return any(node.tag in wanted for node in element.iter())
