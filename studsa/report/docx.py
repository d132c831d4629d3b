"""Markdown → a Word document with real headings, lists and tables (python-docx).

Follows the conventions of ``studsa.report.html`` (one ``#`` title, ``Table: caption`` lines).
What python-docx leaves out is set in the XML: the document language in the styles, header
rows that repeat on every page, table captions and descriptions (alternative text). The
page (A4, header, footer "Sida 1 (3)") comes from ``studsa.report.page``, or from the
municipality's template. Each SVG figure goes in as a PNG at the text width with its text
alternative (``studsa.report.raster``); without CairoSVG it becomes a caption paragraph
with that text. The bytes are deterministic: the report's own date in the properties and
zip entries with fixed timestamps in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from studsa.i18n import labels
from studsa.report import fields, page, raster
from studsa.report.html import (
    image_paragraph,
    markdown_parser,
    normalise_headings,
    starts_with_h1,
    table_caption,
)
from studsa.report.ooxml import (
    FIXED_DATE,
    LANGUAGE_TAGS,
    Styles,
    base_document,
    column_widths,
    core_properties,
    set_cell_margins,
    set_language,
    set_table_properties,
    stable_zip,
)

LINK_COLOUR = "0B5394"
MONO = "Consolas"
TABLE_TEXT = "Table Text"
"""The paragraph style of table cells: 9 pt, hardly any space around."""
SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_BLIP_NS = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"
SVG_BLIP_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"

__all__ = ["FIXED_DATE", "LANGUAGE_TAGS", "column_widths", "stable_zip", "to_docx"]


class _Writer:
    """Walks markdown-it block tokens and appends Word paragraphs and tables."""

    def __init__(self, document: Any, title: str, figures: Mapping[str, str] | None = None
                 ) -> None:
        self.doc = document
        self.style = Styles(document)
        self.title = title
        self.figures = dict(figures or {})
        self.pictures = 0
        self.after_table = False
        self.heading: str | None = None
        self.lists: list[dict[str, Any]] = []
        self.quote = 0
        self.item_started = False

    # -- inline ---------------------------------------------------------------------
    def runs(self, paragraph: Any, children: list[Any]) -> None:
        """Append the inline tokens as runs (bold, italic, code, links, line breaks)."""
        bold = italic = 0
        link: str | None = None
        for child in children:
            kind = child.type
            if kind in {"strong_open", "strong_close"}:
                bold += 1 if kind == "strong_open" else -1
            elif kind in {"em_open", "em_close"}:
                italic += 1 if kind == "em_open" else -1
            elif kind == "link_open":
                link = child.attrGet("href") or None
            elif kind == "link_close":
                link = None
            elif kind == "softbreak":
                self._run(paragraph, " ", bold, italic, link)
            elif kind == "hardbreak":
                paragraph.add_run().add_break()
            elif kind == "code_inline":
                self._run(paragraph, child.content, bold, italic, link).font.name = MONO
            elif kind == "image":
                alt = "".join(c.content for c in child.children or [])
                self._run(paragraph, alt, bold, 1, link)
            elif child.content:
                self._run(paragraph, child.content, bold, italic, link)

    def _run(self, paragraph: Any, text: str, bold: int, italic: int, link: str | None) -> Any:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if link:
            self._hyperlink(paragraph, run, link)
        return run

    @staticmethod
    def _hyperlink(paragraph: Any, run: Any, url: str) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import RGBColor

        run.font.underline = True
        run.font.color.rgb = RGBColor.from_string(LINK_COLOUR)
        element = OxmlElement("w:hyperlink")
        if url.startswith("#"):
            element.set(qn("w:anchor"), url[1:])
        else:
            r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
            element.set(qn("r:id"), r_id)
        r = run.font.element  # the run's own <w:r> (python-docx's public proxy)
        r.addprevious(element)
        element.append(r)

    # -- blocks ---------------------------------------------------------------------
    def add(self, style: Any = None, text: str = "") -> Any:
        """Append a paragraph in ``style`` (set by id: python-docx's lookup is slow)."""
        paragraph = self.doc.add_paragraph(text)
        if style is not None:
            paragraph.paragraph_format.element.get_or_add_pPr().style = style.style_id
        if self.after_table:
            # Word puts no space between a table and what follows it; a plain paragraph
            # would touch the table's bottom border.
            from docx.shared import Pt

            current = paragraph.paragraph_format.space_before
            if current is None or current < Pt(8):
                paragraph.paragraph_format.space_before = Pt(8)
            self.after_table = False
        return paragraph

    def paragraph(self, style: Any = None) -> Any:
        """A new paragraph styled for where it stands (list item, quote, plain)."""
        prefix = ""
        if self.lists and self.item_started:
            current = self.lists[-1]
            level = min(len(self.lists), 3)
            base = "List Number" if current["ordered"] else "List Bullet"
            name = base if level == 1 else f"{base} {level}"
            style = self.style(name)
            if style is None:
                prefix = f"{current['next']}. " if current["ordered"] else "• "
                style = self.style("List Paragraph")
            current["next"] += 1
            self.item_started = False
        elif self.lists:
            style = self.style("List Continue")
        elif self.quote:
            style = self.style("Quote")
        paragraph = self.add(style)
        if prefix:
            paragraph.add_run(prefix)
        elif self.lists and self.lists[-1]["ordered"] and style and "Number" in style.name:
            self._number(paragraph, style, self.lists[-1])
        return paragraph

    def _number(self, paragraph: Any, style: Any, current: dict[str, Any]) -> None:
        """Give each ordered list its own numbering that starts at its first number."""
        if current.get("num_id") is None:
            style_pr = style.element.pPr
            numbering = self.doc.part.numbering_part.element
            base_id = style_pr.numPr.numId.val
            abstract = numbering.num_having_numId(base_id).abstractNumId.val
            num = numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(current["start"])
            current["num_id"] = num.numId
        num_pr = paragraph.paragraph_format.element.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = current["num_id"]

    def table(self, tokens: list[Any], start: int) -> int:
        """Write the table starting at ``start``; return the index after ``table_close``."""
        caption, _ = table_caption(tokens, start)
        caption = caption or self.heading or self.title
        rows: list[list[tuple[Any, str | None]]] = []
        index = start
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "tr_open":
                rows.append([])
            elif token.type in {"th_open", "td_open"}:
                style = token.attrGet("style") or ""
                align = style.partition("text-align:")[2].strip() or None
                rows[-1].append((tokens[index + 1], align))
            index += 1
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        aligns = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
        label = self.add(self.style("Caption"), caption)
        label.paragraph_format.keep_with_next = True
        width = max(len(row) for row in rows)
        table = self.doc.add_table(rows=len(rows), cols=width)
        tbl = self.doc.element.body.tbl_lst[-1]  # the <w:tbl> just added
        grid = self.style("Table Grid")
        if grid is not None:
            tbl.tblPr.style = grid.style_id
        cell_style = self.table_text()
        for r, (row, word_row) in enumerate(zip(rows, table.rows, strict=True)):
            cells = word_row.cells  # table.cell(r, c) rebuilds the grid on every call
            for c, (inline, align) in enumerate(row):
                cell_paragraph = cells[c].paragraphs[0]
                cell_paragraph.paragraph_format.element.get_or_add_pPr().style = \
                    cell_style.style_id
                self.runs(cell_paragraph, inline.children or [])
                if r == 0:
                    for run in cell_paragraph.runs:
                        run.bold = True
                if align in aligns:
                    cell_paragraph.alignment = aligns[align]
        table.autofit = False  # the widths below are the content's: keep them
        self._widths(table, rows)
        self._no_wrap(tbl, rows)
        set_cell_margins(tbl)
        headers = ", ".join(inline.content for inline, _ in rows[0])
        set_table_properties(tbl, caption, f"{caption}: {headers}")
        self.after_table = True
        return index + 1

    def table_text(self) -> Any:
        """The style of table cells (added, based on Normal, when the document lacks it)."""
        found = self.style.found.get(TABLE_TEXT)  # not in python-docx's defaults: no lookup
        if found is not None:
            return found
        from docx.enum.style import WD_STYLE_TYPE
        from docx.shared import Pt

        style = self.doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = self.style("Normal")
        style.font.size = Pt(9)
        style.paragraph_format.space_before = Pt(1)
        style.paragraph_format.space_after = Pt(1)
        style.paragraph_format.line_spacing = 1.0
        self.style.found[TABLE_TEXT] = style
        return style

    @staticmethod
    def _no_wrap(tbl: Any, rows: list[list[tuple[Any, str | None]]]) -> None:
        """Right-aligned cells (amounts, numbers) never wrap: "300 000 kr" stays on a line."""
        from docx.oxml import OxmlElement

        for tr, row in zip(tbl.tr_lst, rows, strict=False):
            for tc, (_, align) in zip(tr.tc_lst, row, strict=False):
                if align == "right":
                    tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))

    def _widths(self, table: Any, rows: list[list[tuple[Any, str | None]]]) -> None:
        """Share the text width between columns by their content, not equally."""
        available = page.text_width(self.doc)
        widths = column_widths([[inline.content for inline, _ in row] for row in rows],
                               available)
        for column, width in zip(table.columns, widths, strict=False):
            column.width = width
        for word_row in table.rows:
            for cell, width in zip(word_row.cells, widths, strict=False):
                cell.width = width

    def write(self, tokens: list[Any]) -> None:  # noqa: C901 - one branch per token kind
        """Append every block of the token stream."""
        index = 0
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                inline = tokens[index + 1]
                self.heading = inline.content
                level = int(token.tag[1])
                style = self.style(f"Heading {level}")
                self.runs(self.add(style), inline.children or [])
                index += 3
                continue
            if kind == "table_open":
                index = self.table(tokens, index)
                continue
            if kind == "paragraph_open":
                image = image_paragraph(tokens, index)
                if image is not None:
                    self.figure(image)
                elif not self._is_caption(tokens, index):
                    self.runs(self.paragraph(), tokens[index + 1].children or [])
                index += 3
                continue
            if kind in {"bullet_list_open", "ordered_list_open"}:
                start = int(token.attrGet("start") or 1)
                self.lists.append({"ordered": kind == "ordered_list_open", "start": start,
                                   "next": start})
            elif kind in {"bullet_list_close", "ordered_list_close"}:
                self.lists.pop()
            elif kind == "list_item_open":
                self.item_started = True
            elif kind == "blockquote_open":
                self.quote += 1
            elif kind == "blockquote_close":
                self.quote -= 1
            elif kind in {"fence", "code_block"}:
                paragraph = self.paragraph(self.style("No Spacing"))
                for number, line in enumerate(token.content.rstrip("\n").split("\n")):
                    if number:
                        paragraph.add_run().add_break()
                    paragraph.add_run(line).font.name = MONO
            index += 1

    @staticmethod
    def _is_caption(tokens: list[Any], index: int) -> bool:
        target = index + 3
        return target < len(tokens) and tokens[target].type == "table_open" and (
            table_caption(tokens, target)[1] == index
        )

    def figure(self, image: Any) -> None:
        """A figure: its PNG at the text width with alt text, then its caption.

        Without a raster (no CairoSVG, or an image that is not one of the report's SVGs)
        the caption paragraph carries the text alternative instead.
        """
        alt = "".join(c.content for c in image.children or []).strip()
        title = (image.attrGet("title") or "").strip()
        svg = self.figures.get(image.attrGet("src") or "")
        png = raster.to_png(svg) if svg else None
        if png is None:
            text = f"{title}. {alt}" if title and alt and title != alt else (title or alt)
            self.add(self.style("Caption"), text)
            return
        svg_title, svg_desc = _svg_text(svg or "")
        caption = title or svg_title or alt
        description = " ".join(part for part in (alt, svg_desc) if part and part != caption) \
            or caption
        self.picture(png, caption, description, svg or "")
        self.add(self.style("Caption"), caption)

    def picture(self, png: bytes, caption: str, description: str, svg: str) -> None:
        """The PNG in a paragraph of its own, as wide as the text (lower if it is too tall).

        The SVG goes beside it (Office's ``svgBlip`` extension): Word 2016 and later show
        and print the vector picture, older readers the PNG.
        """
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Emu

        paragraph = self.add(self.style("Normal"))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = True
        width, height = _png_size(png)
        box_w = page.text_width(self.doc)
        box_h = int(page.text_height(self.doc) * 0.88)  # room for the header and the caption
        scale = min(box_w / width, box_h / height)
        run = paragraph.add_run()
        run.add_picture(io.BytesIO(png), width=Emu(int(width * scale)),
                        height=Emu(int(height * scale)))
        self.pictures += 1
        for properties in paragraph.paragraph_format.element.xpath(".//wp:docPr"):
            properties.set("name", f"Figur {self.pictures}")
            properties.set("title", caption)
            properties.set("descr", description)
        if svg:
            self._svg_beside(paragraph, svg)

    def _svg_beside(self, paragraph: Any, svg: str) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from docx.oxml.ns import qn

        part = Part(PackURI(f"/word/media/studsa-figure{self.pictures}.svg"), "image/svg+xml",
                    svg.encode("utf-8"), self.doc.part.package)
        r_id = self.doc.part.relate_to(part, RELATIONSHIP_TYPE.IMAGE)
        for blip in paragraph.paragraph_format.element.xpath(".//a:blip"):
            extensions = blip.makeelement(qn("a:extLst"), {})
            extension = extensions.makeelement(qn("a:ext"), {"uri": SVG_BLIP_URI})
            vector = extension.makeelement(f"{{{SVG_BLIP_NS}}}svgBlip",
                                           {qn("r:embed"): r_id}, nsmap={"asvg": SVG_BLIP_NS})
            extension.append(vector)
            extensions.append(extension)
            blip.append(extensions)


def _svg_text(svg: str) -> tuple[str, str]:
    """The ``<title>`` and ``<desc>`` text of an SVG (empty when it has none)."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError:
        return "", ""
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    return ((title.text or "").strip() if title is not None else "",
            (desc.text or "").strip() if desc is not None else "")


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG in pixels (from its IHDR chunk)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def to_docx(
    markdown: str,
    *,
    lang: str,
    title: str,
    organisation: str | None,
    reference_docx: Path | None,
    doc_type: str | None = None,
    administration: str | None = None,
    dnr: str | None = None,
    date: dt.date | None = None,
    figures: Mapping[str, str] | None = None,
) -> bytes:
    """Render report Markdown as Word document bytes (identical for identical input).

    ``doc_type``, ``dnr`` and ``date`` go into the running header (or the template's fields)
    and the document properties; ``figures`` maps a figure's file name to its SVG.
    """
    document = base_document(reference_docx)
    catalog = labels(lang if lang in {"sv", "en"} else "en")
    head = page.Letterhead(title=title, doc_type=doc_type, organisation=organisation,
                           administration=administration, dnr=dnr, date=date)
    if reference_docx is None:
        page.a4(document)
        page.house_style(document)
    tag = LANGUAGE_TAGS.get(lang, lang)
    set_language(document, tag)
    core_properties(document, title=title, organisation=organisation, tag=tag, date=date,
                    subject=doc_type, identifier=dnr)
    if reference_docx is not None:
        fields.fill(document, head)
    page.letterhead(document, head, catalog, keep_existing=reference_docx is not None)
    tokens = markdown_parser().parse(markdown)
    has_h1 = starts_with_h1(tokens)
    normalise_headings(tokens, has_h1=has_h1)
    writer = _Writer(document, title, figures)
    if not has_h1:
        writer.add(writer.style("Heading 1"), title)
    writer.write(tokens)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), company=organisation or "", date=date)
