"""Markdown → a Word document with real headings, lists and tables (python-docx).

Follows the conventions of ``studsa.report.html`` (one ``#`` title, ``Table: caption`` lines).
What python-docx leaves out is set in the XML: the document language in the styles, header
rows that repeat on every page, table captions and descriptions (alternative text). SVG
figures cannot go into Word without a renderer, so each figure becomes a caption paragraph
with its text alternative. The bytes are deterministic: fixed core-property dates and zip
entries with fixed timestamps in a fixed order.
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
from studsa.report.html import (
    image_paragraph,
    markdown_parser,
    normalise_headings,
    starts_with_h1,
    table_caption,
)

LANGUAGE_TAGS = {"sv": "sv-SE", "en": "en-GB"}
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LINK_COLOUR = "0B5394"
MONO = "Consolas"


def stable_zip(data: bytes, *, company: str | None = None) -> bytes:
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
            rb"\g<1>" + FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
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


def _base_document(reference_docx: Path | None) -> Any:
    """A new document, or the reference document with its body emptied (styles kept)."""
    import docx

    if reference_docx is None:
        return docx.Document()
    try:
        document = docx.Document(str(reference_docx))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise InputError(
            f"cannot use {reference_docx} as reference document: {exc}",
            path=reference_docx,
            hint="reference_docx in studsa.yaml must name a Word .docx file",
        ) from exc
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    return document


def _set_language(document: Any, tag: str) -> None:
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


def _core_properties(document: Any, *, title: str, organisation: str | None, tag: str) -> None:
    core = document.core_properties
    core.title = title
    core.author = organisation or ""
    core.last_modified_by = organisation or ""
    core.language = tag
    core.comments = ""
    core.subject = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    core.created = FIXED_DATE.replace(tzinfo=None)
    core.modified = FIXED_DATE.replace(tzinfo=None)
    core.last_printed = FIXED_DATE.replace(tzinfo=None)


class _Styles:
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


def _set_table_properties(table: Any, caption: str, description: str) -> None:
    """Repeat the header row on every page; give the table a caption and description."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    tbl_pr = table._tbl.tblPr
    for tag, value in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        tbl_pr.append(element)


class _Writer:
    """Walks markdown-it block tokens and appends Word paragraphs and tables."""

    def __init__(self, document: Any, title: str) -> None:
        self.doc = document
        self.style = _Styles(document)
        self.title = title
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
        run._r.addprevious(element)
        element.append(run._r)

    # -- blocks ---------------------------------------------------------------------
    def add(self, style: Any = None, text: str = "") -> Any:
        """Append a paragraph in ``style`` (set by id: python-docx's lookup is slow)."""
        paragraph = self.doc.add_paragraph(text)
        if style is not None:
            paragraph._p.get_or_add_pPr().style = style.style_id
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
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
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
        grid = self.style("Table Grid")
        if grid is not None:
            table._tbl.tblPr.style = grid.style_id
        for r, (row, word_row) in enumerate(zip(rows, table.rows, strict=True)):
            cells = word_row.cells  # table.cell(r, c) rebuilds the grid on every call
            for c, (inline, align) in enumerate(row):
                cell_paragraph = cells[c].paragraphs[0]
                self.runs(cell_paragraph, inline.children or [])
                if r == 0:
                    for run in cell_paragraph.runs:
                        run.bold = True
                if align in aligns:
                    cell_paragraph.alignment = aligns[align]
        headers = ", ".join(inline.content for inline, _ in rows[0])
        _set_table_properties(table, caption, f"{caption}: {headers}")
        return index + 1

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
        """A figure becomes a caption paragraph carrying its text alternative."""
        alt = "".join(c.content for c in image.children or []).strip()
        title = (image.attrGet("title") or "").strip()
        text = f"{title}. {alt}" if title and alt and title != alt else (title or alt)
        self.add(self.style("Caption"), text)


def to_docx(
    markdown: str,
    *,
    lang: str,
    title: str,
    organisation: str | None,
    reference_docx: Path | None,
) -> bytes:
    """Render report Markdown as Word document bytes (identical for identical input)."""
    document = _base_document(reference_docx)
    tag = LANGUAGE_TAGS.get(lang, lang)
    _set_language(document, tag)
    _core_properties(document, title=title, organisation=organisation, tag=tag)
    tokens = markdown_parser().parse(markdown)
    has_h1 = starts_with_h1(tokens)
    normalise_headings(tokens, has_h1=has_h1)
    writer = _Writer(document, title)
    if not has_h1:
        writer.add(writer.style("Heading 1"), title)
    writer.write(tokens)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue(), company=organisation or "")
