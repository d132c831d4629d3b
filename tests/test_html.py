"""Markdown → HTML: structure, accessibility markup, escaping, self-containment."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from studsa.report.css import Running
from studsa.report.html import to_html
from studsa.report.svg import challenge_map_svg, timeline_svg

REPORT = """\
# Strategi <script>alert(1)</script>

Intro med **fet** text och en [länk](https://example.org) och <b>rå html</b>.

## Teman

Table: Rangordning av <i>utmaningar</i>

| Id | Titel | Poäng |
|---|---|--:|
| a\\|b | <img src=x onerror=alert(1)> | 3 |

#### Djupt ner

| Avdelning | Antal |
|---|--:|
| Gatu | 2 |

![Kartan visar tre teman och elva utmaningar](karta.svg "Utmaningskarta")

## Handlingsplan

![Tidslinje per utmaning](tidslinje.svg)

![Saknas](saknas.png)

[farlig](javascript:alert(1))
"""


class _Outline(HTMLParser):
    """Collects what the tests look at: tags with attributes, headings, texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))


def _render(markdown: str = REPORT, lang: str = "sv") -> str:
    figures = {
        "karta.svg": challenge_map_svg([("t", "Tema")], [("c", "Utmaning", "t")], {"c"},
                                       title="Karta", prioritized_label="Prioriterad"),
        "tidslinje.svg": timeline_svg([("Utmaning", 2021, 2022)], title="Tidslinje",
                                      years=(2021, 2024)),
    }
    return to_html(markdown, lang=lang, title="Rapport & <titel>", figures=figures)


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


def test_document_language_title_and_landmark() -> None:
    page = _render(lang="en")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>Rapport &amp; &lt;titel&gt;</title>" in page
    tags = [t for t, _ in _outline(page).tags]
    assert tags.count("main") == 1


def test_one_h1_and_headings_never_skip_a_level() -> None:
    outline = _outline(_render())
    assert outline.headings.count(1) == 1 and outline.headings[0] == 1
    for before, after in zip(outline.headings, outline.headings[1:], strict=False):
        assert after <= before + 1
    # "####" right after "##" was lifted to h3
    assert outline.headings == [1, 2, 3, 2]


def test_title_becomes_h1_when_markdown_has_none_and_extra_h1_is_demoted() -> None:
    outline = _outline(to_html("## A\n\n# B\n\ntext\n", lang="sv", title="T", figures={}))
    assert outline.headings == [1, 2, 2]
    page = to_html("## A\n", lang="sv", title="Min <rapport>", figures={})
    assert "<h1>Min &lt;rapport&gt;</h1>" in page


def test_tables_have_captions_and_scoped_headers() -> None:
    page = _render()
    assert ('<caption id="table-1">Rangordning av &lt;i&gt;utmaningar&lt;/i&gt;</caption>'
            in page)
    assert "Table:" not in page  # the caption line is consumed
    assert '<caption id="table-2">Djupt ner</caption>' in page  # nearest heading as fallback
    ths = [attrs for tag, attrs in _outline(page).tags if tag == "th"]
    assert ths and all(attrs.get("scope") == "col" for attrs in ths)
    assert page.count("<table>") == page.count("<caption") == 2


def test_tables_scroll_in_their_own_labelled_focusable_region() -> None:
    tags = _outline(_render()).tags
    regions = [attrs for tag, attrs in tags if tag == "div" and attrs.get("role") == "region"]
    assert [r["aria-labelledby"] for r in regions] == ["table-1", "table-2"]
    assert all(r["tabindex"] == "0" and r["class"] == "table-scroll" for r in regions)
    assert ".table-scroll { max-width: 100%; overflow-x: auto;" in _render()


def test_caption_falls_back_to_the_title_without_heading() -> None:
    page = to_html("| a |\n|---|\n| 1 |\n", lang="sv", title="Rapport", figures={})
    assert '<caption id="table-1">Rapport</caption>' in page


def test_user_text_is_escaped_and_raw_html_is_not_interpreted() -> None:
    page = _render()
    tags = {t for t, _ in _outline(page).tags}
    assert "script" not in tags and "img" not in tags and "b" not in tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;rå html&lt;/b&gt;" in page
    assert "a|b" in page  # an escaped pipe stays in its cell
    assert 'href="javascript:' not in page


def test_self_contained_no_external_requests() -> None:
    page = _render()
    for _, attrs in _outline(page).tags:
        assert not {"src", "srcset", "poster", "data", "background"} & attrs.keys()
    assert "<link" not in page and "@import" not in page
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    # the only absolute URLs: the user's own link target and the SVG namespace names
    urls = set(re.findall(r"https?://[^\s\"')<]+", page))
    assert urls == {"https://example.org", "http://www.w3.org/2000/svg"}


def test_figures_are_inline_svg_with_text_alternatives() -> None:
    page = _render()
    outline = _outline(page)
    svgs = [attrs for tag, attrs in outline.tags if tag == "svg"]
    assert len(svgs) == 2
    ids = [attrs["id"] for _, attrs in outline.tags if attrs.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique across figures"
    for attrs in svgs:
        assert attrs["role"] == "img"
        for ref in attrs["aria-labelledby"].split() + attrs["aria-describedby"].split():
            assert ref in ids
    assert "<figcaption>Utmaningskarta</figcaption>" in page  # the image title
    assert "<figcaption>Tidslinje</figcaption>" in page  # the SVG's own title
    assert "Kartan visar tre teman och elva utmaningar. Tema: Utmaning" in page
    assert '<p class="figure-text">Saknas</p>' in page  # no SVG: the text alternative
    assert page.count("<figure") == 2


def test_print_breaks_a_page_only_where_the_document_asks() -> None:
    page = _render()
    assert "@media print" in page and "@page" in page
    assert "page-break" not in page.split("</style>")[1]  # no section starts a page
    assert "<h2>Teman</h2>" in page and "<h2>Handlingsplan</h2>" in page
    assert "h1, h2, h3, h4, h5, h6 { break-after: avoid;" in page
    assert "figure, tr, blockquote, pre, dl.meta { break-inside: avoid;" in page
    assert "hr { break-after: page;" in page  # a `---` line, e.g. before a bilaga


def test_running_header_and_page_numbers_of_the_printed_page() -> None:
    running = Running('Malmö stad "FGK" </style>', "Tjänsteskrivelse · Dnr TN-1",
                      "Sida {page} ({pages})")
    page = to_html("# T\n", lang="sv", title="T", figures={}, running=running)
    rules = page.split("</style>")[0].rsplit("@page", 1)[1]
    assert '@top-left { content: "Malmö stad \\22 FGK\\22  \\3C /style\\3E "; }' in rules
    assert '@top-right { content: "Tjänsteskrivelse · Dnr TN-1"; }' in rules
    assert '@bottom-right { content: "Sida " counter(page) " (" counter(pages) ")"; }' in rules
    assert page.count("</style>") == 1
    assert "counter(page)" in to_html("# T\n", lang="sv", title="T", figures={})


def test_label_lines_become_a_definition_list() -> None:
    page = to_html("**Datum:** 1 maj 2020\\\n**Dnr:** *TN-1*\n\n**Bara:** en rad\n",
                   lang="sv", title="T", figures={})
    assert ('<dl class="meta">\n<dt>Datum</dt><dd>1 maj 2020</dd>\n'
            "<dt>Dnr</dt><dd><em>TN-1</em></dd>\n</dl>") in page
    assert "<p><strong>Bara:</strong> en rad</p>" in page  # one line stays a paragraph
    mixed = to_html("**Datum:** 1 maj\\\nfri text\n", lang="sv", title="T", figures={})
    assert "<dl" not in mixed


def test_svg_scripts_and_handlers_are_removed() -> None:
    evil = ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)'
            '</script><a href="https://evil.example/"><text>x</text></a></svg>')
    page = to_html("![alt](e.svg)\n", lang="sv", title="T", figures={"e.svg": evil})
    assert "alert" not in page and "evil.example" not in page
    assert '<title id="fig1-title">alt</title>' in page


def test_rendering_is_deterministic() -> None:
    assert _render() == _render()
