"""Markdown → Word: real headings, lists and tables, language, alt text, determinism."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from studsa.errors import InputError
from studsa.report.docx import to_docx

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
