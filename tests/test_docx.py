"""Markdown → Word: real headings, lists and tables, language, alt text, determinism."""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

from studsa.errors import InputError
from studsa.report import raster
from studsa.report.docx import column_widths, to_docx
from tests.conftest import run_python

REPORT = """\
# Strategi för trygghet

Intro med **fet**, *kursiv*, `kod` och [länk](https://example.org).

## Teman

Tabell: Rangordning

| Id | Titel | Poäng |
|---|---|--:|
| a\\|b | <b>x</b> | 3 |
| c | d | 2 |

1. Ett
2. Två
   - under
3. Tre

Andra listan:

1. Ett igen
2. Två igen

> Ett citat

![Kartan visar tre teman](karta.svg "Utmaningskarta")

#### Lyft nivå

Text.
"""


def _render(markdown: str = REPORT, **kwargs: object) -> bytes:
    options: dict[str, object] = {"lang": "sv", "title": "Titel", "organisation": "Malmö stad",
                                  "reference_docx": None}
    options.update(kwargs)
    return to_docx(markdown, **options)  # type: ignore[arg-type]


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def test_real_heading_styles_in_order() -> None:
    document = _open(_render())
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "Strategi för trygghet"), ("Heading 2", "Teman"),
                        ("Heading 3", "Lyft nivå")]


def test_title_becomes_heading_1_when_markdown_has_none() -> None:
    document = _open(_render("## Avsnitt\n\nText.\n", title="Min rapport"))
    assert [(p.style.name, p.text) for p in document.paragraphs][:2] == [
        ("Heading 1", "Min rapport"), ("Heading 2", "Avsnitt")]


def test_inline_formatting_and_hyperlink() -> None:
    document = _open(_render())
    intro = document.paragraphs[1]
    runs = {r.text: r for r in intro.runs}
    assert runs["fet"].bold and runs["kursiv"].italic
    assert runs["kod"].font.name == "Consolas"
    assert "länk" in intro.text  # text inside the hyperlink element
    rels = [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert [r.target_ref for r in rels] == ["https://example.org"]
    assert intro.paragraph_format.element.find(qn("w:hyperlink")) is not None


def test_real_lists_with_restarting_numbers() -> None:
    document = _open(_render())
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Ett"] == styles["Tre"] == styles["Ett igen"] == "List Number"
    assert styles["under"] == "List Bullet 2"

    def num_id(text: str) -> str:
        paragraph = next(p for p in document.paragraphs if p.text == text)
        return paragraph.paragraph_format.element.pPr.numPr.numId.val

    assert num_id("Ett") == num_id("Tre") != num_id("Ett igen")
    numbering = _part(_render(), "word/numbering.xml")
    assert numbering.count('<w:startOverride w:val="1"/>') == 2


def test_table_is_a_real_table_with_repeating_header_caption_and_alt_text() -> None:
    data = _render()
    document = _open(data)
    assert len(document.tables) == 1
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Id", "Titel", "Poäng"]
    assert [c.text for c in table.rows[1].cells] == ["a|b", "<b>x</b>", "3"]
    assert all(r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs)
    tbl = document.element.body.tbl_lst[0]
    header = tbl.tr_lst[0].trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    tbl_pr = tbl.tblPr
    assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val")) == "Rangordning"
    assert tbl_pr.find(qn("w:tblDescription")).get(qn("w:val")) == "Rangordning: Id, Titel, Poäng"
    caption = next(p for p in document.paragraphs if p.style.name == "Caption")
    assert caption.text == "Rangordning"  # visible caption above the table
    assert "Tabell:" not in "\n".join(p.text for p in document.paragraphs)
    # tblCaption/tblDescription come last in tblPr, as the schema orders them
    names = [child.tag.rpartition("}")[2] for child in tbl_pr]
    assert names[-2:] == ["tblCaption", "tblDescription"]


def test_figure_becomes_caption_with_text_alternative() -> None:
    document = _open(_render())
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Utmaningskarta. Kartan visar tre teman" in captions


@pytest.mark.parametrize(("lang", "tag"), [("sv", "sv-SE"), ("en", "en-GB")])
def test_document_language_in_styles(lang: str, tag: str) -> None:
    data = _render(lang=lang)
    styles = _part(data, "word/styles.xml")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)
    assert f'<w:lang w:val="{tag}"' in defaults
    assert set(re.findall(r'<w:lang w:val="([^"]+)"', styles)) == {tag}
    assert _open(data).core_properties.language == tag


def test_core_properties_and_company() -> None:
    data = _render(title="Handlingsplan 2021", organisation="Malmö stad")
    core = _open(data).core_properties
    assert core.title == "Handlingsplan 2021"
    assert core.author == "Malmö stad"
    assert "<Company>Malmö stad</Company>" in _part(data, "docProps/app.xml")
    assert "python-docx" not in _part(data, "docProps/core.xml")


def test_bytes_are_identical_across_runs() -> None:
    first = _render()
    second = _render()
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z" in _part(first, "docProps/core.xml")


def test_user_text_with_markup_stays_text() -> None:
    document = _open(_render("# <script>alert(1)</script>\n\n1. maj är en dag\n"))
    assert document.paragraphs[0].text == "<script>alert(1)</script>"


def test_reference_document_styles_are_used_and_its_body_dropped(tmp_path: Path) -> None:
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Garamond"
    reference.sections[0].header.paragraphs[0].text = "Malmö stad – sidhuvud"
    reference.add_paragraph("Mallens exempeltext som inte ska följa med")
    path = tmp_path / "mall.docx"
    reference.save(str(path))
    document = _open(_render(reference_docx=path))
    assert document.styles["Normal"].font.name == "Garamond"
    assert document.sections[0].header.paragraphs[0].text == "Malmö stad – sidhuvud"
    texts = [p.text for p in document.paragraphs]
    assert "Mallens exempeltext som inte ska följa med" not in texts
    assert texts[0] == "Strategi för trygghet"
    assert _render(reference_docx=path) == _render(reference_docx=path)


def test_reference_document_without_heading_styles_gets_them(tmp_path: Path) -> None:
    reference = docx.Document()
    styles = reference.styles.element
    for name in ("Heading 3", "Caption"):
        styles.remove(reference.styles[name].element)
    path = tmp_path / "mall.docx"
    reference.save(str(path))
    document = _open(_render(reference_docx=path))
    assert [p.style.name for p in document.paragraphs if p.text == "Lyft nivå"] == ["Heading 3"]


def test_broken_reference_document_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "trasig.docx"
    path.write_text("inte ett Word-dokument", encoding="utf-8")
    with pytest.raises(InputError, match="not a Word file"):
        _render(reference_docx=path)


def test_column_widths_follow_content_and_fill_the_line() -> None:
    from studsa.report.docx import column_widths

    rows = [["År", "Aktivitet", "Kostnad"],
            ["2021", "Kartlägga nedskräpning på platser", "1\u00a0800\u00a0000\u00a0kr"]]
    widths = column_widths(rows, 6_000_000)
    assert sum(widths) == 6_000_000
    assert widths[0] < widths[2] < widths[1]
    narrow = column_widths(rows, 1_000_000)  # too narrow for every word: short columns kept
    assert sum(narrow) == 1_000_000 and narrow[0] <= narrow[1]
    assert column_widths([], 100) == []


# -- the page: A4, look, header, footer, properties ------------------------------------------

HEAD = {"doc_type": "Handlingsplan", "administration": "Fastighets- och gatukontoret",
        "dnr": "TN-2019-3986", "date": dt.date(2020, 12, 15)}


def test_page_is_a4_portrait_with_office_margins() -> None:
    section = _open(_render()).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert [round(m.mm) for m in (section.left_margin, section.right_margin,
                                  section.top_margin, section.bottom_margin)] == [25, 25, 20, 20]


def test_house_look_is_sans_serif_with_black_headings_set_in_styles() -> None:
    data = _render()
    document = _open(data)
    assert document.styles["Normal"].font.name == "Arial"
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert document.styles[name].font.color.rgb == RGBColor(0, 0, 0), name
    styles = _part(data, "word/styles.xml")
    assert "asciiTheme" not in styles  # no theme font (Calibri/Cambria) overrides Arial
    body = _part(data, "word/document.xml")
    fonts = set(re.findall(r'<w:rFonts w:ascii="([^"]+)"', body))
    assert fonts == {"Consolas"}  # no font per run but the code's monospace
    colours = set(re.findall(r'<w:color w:val="([^"]+)"', body))
    assert colours == {"0B5394"}  # only the link is coloured


def test_header_names_organisation_document_type_date_and_dnr() -> None:
    header = _open(_render(**HEAD)).sections[0].header
    lines = [p.text for p in header.paragraphs]
    assert lines == ["Malmö stad\tHANDLINGSPLAN",
                     "Fastighets- och gatukontoret\tDatum 2020-12-15",
                     "\tDiarienummer TN-2019-3986"]


def test_header_leaves_out_what_the_project_lacks() -> None:
    header = _open(_render(organisation=None, doc_type="Strategi")).sections[0].header
    assert [p.text for p in header.paragraphs] == ["\tSTRATEGI"]


@pytest.mark.parametrize(("lang", "text"), [("sv", "Sida 1 (1)"), ("en", "Page 1 of 1")])
def test_footer_numbers_pages_with_real_fields(lang: str, text: str) -> None:
    data = _render(lang=lang)
    footer = _open(data).sections[0].footer
    assert [p.text for p in footer.paragraphs] == [text]
    paragraph = footer.paragraphs[0].paragraph_format.element
    instructions = [i.text.strip() for i in paragraph.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [c.get(qn("w:fldCharType")) for c in paragraph.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"] * 2


def test_core_properties_carry_the_reports_date_title_author_and_language() -> None:
    data = _render(title="Handlingsplan: Trygghet", **HEAD)
    core = _open(data).core_properties
    assert core.created == core.modified == dt.datetime(2020, 12, 15, 12, 0, tzinfo=dt.UTC)
    assert (core.title, core.author, core.language) == ("Handlingsplan: Trygghet", "Malmö stad",
                                                        "sv-SE")
    assert (core.subject, core.identifier) == ("Handlingsplan", "TN-2019-3986")
    assert "2020-12-15T12:00:00Z" in _part(data, "docProps/core.xml")
    assert "2000-01-01" not in _part(data, "docProps/core.xml")


def test_amount_cells_never_wrap_and_tables_use_the_table_style() -> None:
    markdown = ("Tabell: Kostnader\n\n| År | Aktivitet | Kostnad |\n|---|---|--:|\n"
                "| 2021 | Byta skräpkorgar längs stråken | 1\u00a0800\u00a0000\u00a0kr |\n")
    document = _open(_render(markdown))
    table = document.tables[0]
    tbl = document.element.body.tbl_lst[0]
    wraps = [[tc.tcPr.find(qn("w:noWrap")) is not None for tc in tr.tc_lst] for tr in tbl.tr_lst]
    assert wraps == [[False, False, True], [False, False, True]]
    amount = table.rows[1].cells[2].paragraphs[0]
    assert amount.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert amount.text == "1\u00a0800\u00a0000\u00a0kr"
    assert {p.style.name for row in table.rows for c in row.cells for p in c.paragraphs} == {
        "Table Text"}
    # the amount's no-break spaces hold it together: its column fits all 12 characters
    widths = column_widths([["Kostnad"], ["1\u00a0800\u00a0000\u00a0kr"]], 10_000_000)
    assert widths == column_widths([["Kostnad"], ["1800000000kr"]], 10_000_000)


# -- figures -------------------------------------------------------------------------------

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200" width="400" height="200">'
       '<title>Utmaningskarta</title><desc>Tema A: utmaning 1; utmaning 2.</desc>'
       '<rect width="400" height="200" fill="#1f5f8b"/></svg>')
needs_cairo = pytest.mark.skipif(raster.missing() is not None, reason="CairoSVG not loadable")


@needs_cairo
def test_figure_is_a_png_at_text_width_with_alt_text() -> None:
    data = _render(figures={"karta.svg": SVG})
    document = _open(data)
    [shape] = document.inline_shapes
    section = document.sections[0]
    assert abs(shape.width - (section.page_width - section.left_margin
                              - section.right_margin)) < 10
    assert abs(shape.height * 2 - shape.width) < 10  # the SVG's proportions
    [properties] = document.element.body.xpath(".//wp:docPr")
    assert properties.get("title") == "Utmaningskarta"
    assert properties.get("descr") == "Kartan visar tre teman Tema A: utmaning 1; utmaning 2."
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = sorted(n for n in archive.namelist() if n.startswith("word/media/"))
        assert [n.rpartition(".")[2] for n in media] == ["png", "svg"]
        assert archive.read(media[0])[:8] == b"\x89PNG\r\n\x1a\n"
        assert archive.read(media[1]).decode("utf-8") == SVG  # the vector beside the PNG
    assert "asvg:svgBlip" in _part(data, "word/document.xml")
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert "Utmaningskarta" in captions
    assert data == _render(figures={"karta.svg": SVG})


@needs_cairo
def test_a_tall_figure_is_kept_within_the_page() -> None:
    tall = SVG.replace('viewBox="0 0 400 200" width="400" height="200"',
                       'viewBox="0 0 200 2000" width="200" height="2000"')
    document = _open(_render(figures={"karta.svg": tall}))
    [shape] = document.inline_shapes
    section = document.sections[0]
    assert shape.height < section.page_height - section.top_margin - section.bottom_margin


def test_without_cairosvg_word_is_written_without_figures_and_one_warning() -> None:
    # A fresh interpreter in which cairosvg cannot be imported (no patching of this one).
    code = textwrap.dedent("""
        import importlib.abc, sys
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "cairosvg":
                    raise ImportError("no cairosvg here")
        sys.meta_path.insert(0, Block())
        import io, docx
        from studsa.report.docx import to_docx
        from studsa.workflow.render import RenderedReport, figure_note
        svg = %r
        data = to_docx("![Kartan](k.svg)\\n", lang="en", title="T", organisation=None,
                       reference_docx=None, figures={"k.svg": svg})
        document = docx.Document(io.BytesIO(data))
        print(len(document.inline_shapes), [p.text for p in document.paragraphs][-1])
        plain = RenderedReport("strategi", "strategi", "T", "", {})
        drawn = RenderedReport("utmaningskarta", "utmaningskarta", "T", "", {"k.svg": svg})
        print(figure_note(["docx"], [plain]), figure_note(["md", "html"], [drawn]))
        print(figure_note(["docx"], [plain, drawn]))
    """) % SVG
    lines = run_python(code).splitlines()
    assert lines[0] == "0 Kartan"
    assert lines[1] == "None None"
    assert "CairoSVG" in lines[2] and "studsa[figures]" in lines[2]


# -- the municipality's template -----------------------------------------------------------

def _field(paragraph: docx.text.paragraph.Paragraph, instruction: str, shown: str) -> None:
    from docx.oxml import OxmlElement

    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       (None, None), ("end", None)):
        run = paragraph.add_run(shown if (kind is None and text is None) else "")
        element = run.font.element
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            element.append(char)
        elif text:
            instr = OxmlElement("w:instrText")
            instr.text = text
            element.append(instr)


def _template(path: Path) -> Path:
    """A municipal template: A5 page, its own header with placeholders and fields."""
    from docx.shared import Mm

    reference = docx.Document()
    reference.styles["Normal"].font.name = "Garamond"
    section = reference.sections[0]
    section.page_width, section.page_height = Mm(148), Mm(210)
    header = section.header.paragraphs[0]
    for piece in ("Kommunen – {tit", "el} – dnr {d", "nr}", " – {okänd}"):
        header.add_run(piece)  # Word splits text in runs anywhere
    line = section.header.add_paragraph("Datum: ")
    _field(line, ' DOCPROPERTY "Datum" ', "ÅÅÅÅ-MM-DD")
    line.add_run(" ")
    _field(line, " TITLE ", "Titel")
    section.footer.paragraphs[0].text = "Kommunens sidfot"
    reference.add_paragraph("Mallens exempeltext")
    buffer = io.BytesIO()
    reference.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(info, content)
    return path


def test_dotx_template_supplies_page_styles_header_and_footer_and_gets_the_values(
        tmp_path: Path) -> None:
    path = _template(tmp_path / "mall.dotx")
    before = path.read_bytes()
    document = _open(_render(title="Handlingsplan: Trygghet", reference_docx=path, **HEAD))
    assert path.read_bytes() == before  # the user's template is read, never rewritten
    section = document.sections[0]
    assert round(section.page_width.mm) == 148  # the template's page, not ours
    assert document.styles["Normal"].font.name == "Garamond"
    assert [p.text for p in section.header.paragraphs] == [
        "Kommunen – Handlingsplan: Trygghet – dnr TN-2019-3986 – {okänd}",
        "Datum: 2020-12-15 Handlingsplan: Trygghet"]
    assert [p.text for p in section.footer.paragraphs] == ["Kommunens sidfot"]
    assert "Mallens exempeltext" not in [p.text for p in document.paragraphs]


def test_template_without_header_and_footer_gets_ours(tmp_path: Path) -> None:
    path = tmp_path / "tom.docx"
    docx.Document().save(str(path))
    document = _open(_render(reference_docx=path, **HEAD))
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Malmö stad\tHANDLINGSPLAN"
    assert section.footer.paragraphs[0].text == "Sida 1 (1)"


def test_text_file_as_reference_is_refused_by_validate_and_render(cli, example_project: Path
                                                                  ) -> None:
    (example_project / "mall.dotx").write_text("inte en mall", encoding="utf-8")
    project_file = example_project / "studsa.yaml"
    text = project_file.read_text(encoding="utf-8")
    project_file.write_text(text.replace("\nlanguage: sv", "\nreference_docx: mall.dotx\n"
                                         "language: sv", 1), encoding="utf-8")
    line = project_file.read_text(encoding="utf-8").splitlines().index(
        "reference_docx: mall.dotx") + 1
    result = cli("validate", "-p", example_project)
    assert result.exit_code == 1
    errors = [x for x in (result.stdout + result.stderr).splitlines() if "mall.dotx" in x]
    assert len(errors) == 1  # one sentence, at the key's line
    assert errors[0].startswith(f"error: studsa.yaml:{line}:1: ") and "not a Word" in errors[0]
    result = cli("render", "handlingsplan", "-f", "docx", "-p", example_project)
    assert result.exit_code == 2
    assert f"studsa.yaml:{line}:1:" in result.stderr and "Traceback" not in result.stderr
    assert not (example_project / "rapporter" / "handlingsplan.docx").exists()


@needs_cairo
def test_rendered_handlingsplan_has_its_timeline_date_and_dnr(cli, example_project: Path
                                                              ) -> None:
    result = cli("render", "handlingsplan", "utmaningskarta", "tjansteskrivelse", "-f", "docx",
                 "-p", example_project, "--today", "2026-12-04")
    assert result.exit_code == 0, result.stderr
    plan = docx.Document(str(example_project / "rapporter" / "handlingsplan.docx"))
    assert len(plan.inline_shapes) == 1
    header = "\n".join(p.text for p in plan.sections[0].header.paragraphs)
    assert "HANDLINGSPLAN" in header and "Datum 2026-12-04" in header  # a draft: today
    assert "Diarienummer TN-2019-3986" in header
    memo = docx.Document(str(example_project / "rapporter" / "tjansteskrivelse.docx"))
    header = "\n".join(p.text for p in memo.sections[0].header.paragraphs)
    assert "TJÄNSTESKRIVELSE" in header and "Datum 2020-09-01" in header  # the memo's date
    assert memo.core_properties.created == dt.datetime(2020, 9, 1, 12, 0, tzinfo=dt.UTC)
    karta = docx.Document(str(example_project / "rapporter" / "utmaningskarta.docx"))
    [properties] = karta.element.body.xpath(".//wp:docPr")
    assert "Renhållning för ökad trygghet" in properties.get("descr")
    assert karta.core_properties.created == dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
