"""Markdown → one self-contained, printable, accessible HTML file (WCAG 2.1 AA).

Conventions for template authors (the same Markdown also feeds ``to_docx``):

- **One ``# title``** as the first heading. When the first heading is not level 1 the title
  becomes the ``h1``; a second ``#`` heading is demoted, and a heading that skips a level
  (``#`` then ``###``) is lifted so headings always go down one step at a time.
- **Table captions**: write a line ``Table: caption`` (or ``Tabell: caption``) directly before
  the table (a blank line between them is allowed). Without one, the caption is the text of the
  nearest heading above the table (or the report title). Header cells get ``scope="col"``.
- **Figures**: ``![text alternative](name.svg "optional caption")`` on a paragraph of its own;
  ``figures["name.svg"]`` holds the SVG text, which is inlined in a ``<figure>`` (no file is
  fetched). The text alternative becomes the SVG's ``<desc>``, the caption (or the SVG's own
  ``<title>``) its ``<figcaption>``. An image with no SVG given shows its text alternative.
- Raw HTML in the Markdown is shown as text, never interpreted; every user text is escaped.
- **Definition blocks** (a document's header: date, diarienummer, handläggare): a paragraph
  whose every line is ``**Label:** value``, the lines joined by hard breaks (a trailing
  backslash), becomes a ``<dl>``; Word shows the same lines as they are.
- Print: A4 with the running header of ``running`` and "Sida x (y)"; headings stay with
  their text and table rows are never split. A new printed page starts only at a thematic
  break (``---`` on a line of its own, e.g. before a bilaga), never at every section.
- Wide tables scroll inside their own labelled, focusable region, so the page reflows at
  320 CSS pixels (WCAG 1.4.10) without scrolling sideways.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape
from typing import Any

from studsa.report.css import STYLESHEET, Running, page_rules

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
CAPTION_RE = re.compile(r"^(?:Table|Tabell):[ \t]*(\S.*)$", re.DOTALL)
_UNSAFE_TAGS = {"script", "foreignObject", "iframe", "object", "embed", "style"}


def markdown_parser() -> Any:
    """The one Markdown parser: CommonMark with tables, raw HTML disabled."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def table_caption(tokens: list[Any], index: int) -> tuple[str | None, int | None]:
    """For the ``table_open`` at ``index``: a ``Table:`` caption and its paragraph's start.

    Returns (caption text, index of the caption paragraph_open) or (None, None).
    """
    start = index - 3
    if start >= 0 and tokens[start].type == "paragraph_open" and tokens[start + 1].type == "inline":
        match = CAPTION_RE.match(tokens[start + 1].content.strip())
        if match:
            return " ".join(match.group(1).split()), start
    return None, None


def image_paragraph(tokens: list[Any], index: int) -> Any | None:
    """The image token when the paragraph at ``index`` holds one image and nothing else."""
    if tokens[index].type != "paragraph_open" or index + 2 >= len(tokens):
        return None
    children = [c for c in (tokens[index + 1].children or [])
                if not (c.type == "text" and not c.content.strip())]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def definition_lines(tokens: list[Any], index: int) -> list[tuple[list[Any], list[Any]]] | None:
    """For the paragraph at ``index``: its ``**Label:** value`` lines (label, value inlines).

    None unless the paragraph has at least two lines and every one is of that shape.
    """
    if tokens[index].type != "paragraph_open" or index + 2 >= len(tokens):
        return None
    lines: list[list[Any]] = [[]]
    for child in tokens[index + 1].children or []:
        if child.type == "hardbreak":
            lines.append([])
        elif not (child.type == "text" and not child.content):  # markdown-it's empty texts
            lines[-1].append(child)
    found: list[tuple[list[Any], list[Any]]] = []
    for line in lines:
        if (len(line) < 3 or line[0].type != "strong_open" or line[1].type != "text"
                or line[2].type != "strong_close" or not line[1].content.endswith(":")):
            return None
        label = _text(line[1])
        label.content = line[1].content[:-1].rstrip()
        value = [_text(c) if c.type == "text" else c for c in line[3:]]
        if value and value[0].type == "text":
            value[0].content = value[0].content.lstrip()
        found.append(([label], value))
    return found if len(found) >= 2 else None


def _text(token: Any) -> Any:
    """A copy of a text token (its content is changed without touching the original)."""
    from markdown_it.token import Token

    return Token("text", "", 0, content=token.content)


def starts_with_h1(tokens: list[Any]) -> bool:
    """Whether the first heading of the Markdown is a level-1 heading (the report's title)."""
    first = next((t for t in tokens if t.type == "heading_open"), None)
    return first is not None and first.tag == "h1"


def normalise_headings(tokens: list[Any], *, has_h1: bool) -> None:
    """One h1 and no skipped levels.

    Without a leading ``#`` title (``has_h1`` false) the report title is the h1 and every
    ``#`` heading is demoted.
    """
    previous = 1 if not has_h1 else 0
    seen_h1 = not has_h1
    closing: list[str] = []
    for token in tokens:
        if token.type == "heading_open":
            level = int(token.tag[1])
            if level == 1 and seen_h1:
                level = 2
            level = min(level, previous + 1)
            seen_h1 = seen_h1 or level == 1
            token.tag = f"h{level}"
            closing.append(token.tag)
            previous = level
        elif token.type == "heading_close":
            token.tag = closing.pop()


def _prepare(md: Any, tokens: list[Any], title: str) -> list[Any]:
    """Attach captions and scopes to tables and turn lone images into figures."""
    out: list[Any] = []
    heading: str | None = None
    skip: set[int] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = tokens[index + 1].content
        elif token.type == "table_open":
            caption, start = table_caption(tokens, index)
            if start is not None:
                del out[len(out) - (index - start):]
            token.meta["caption"] = caption or heading or title
        elif token.type == "th_open":
            token.attrSet("scope", "col")
        elif token.type == "paragraph_open" and (lines := definition_lines(tokens, index)):
            from markdown_it.token import Token

            block = Token("definitions", "dl", 0)
            block.meta = {"lines": lines}
            out.append(block)
            skip.update({index + 1, index + 2})
            continue
        elif token.type == "paragraph_open" and (image := image_paragraph(tokens, index)):
            from markdown_it.token import Token

            figure = Token("figure", "figure", 0)
            figure.meta = {
                "src": image.attrGet("src") or "",
                "alt": md.renderer.renderInlineAsText(image.children or [], md.options, {}),
                "title": image.attrGet("title") or "",
            }
            out.append(figure)
            skip.update({index + 1, index + 2})
            continue
        if index not in skip:
            out.append(token)
    return out


def _clean_svg(root: ET.Element) -> None:
    """Drop scripts, event handlers and external references from an SVG tree."""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag.rpartition("}")[2] in _UNSAFE_TAGS:
                parent.remove(child)
        for name in list(parent.attrib):
            local = name.rpartition("}")[2]
            value = parent.attrib[name].strip()
            if local.lower().startswith("on") or (local == "href" and not value.startswith("#")):
                del parent.attrib[name]


def _child(root: ET.Element, tag: str) -> ET.Element | None:
    return root.find(f"{{{SVG_NS}}}{tag}")


def inline_svg(svg_text: str, *, number: int, alt: str, caption: str) -> tuple[str, str]:
    """Prepare SVG text for inlining: unique ids, title/desc, role; returns (svg, caption)."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg_text)
    _clean_svg(root)
    prefix = f"fig{number}-"
    renames = {}
    for element in root.iter():
        old = element.get("id")
        if old:
            new = prefix + old.removeprefix("studsa-svg-")
            renames[old] = new
            element.set("id", new)
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in {"aria-labelledby", "aria-describedby"}:
                element.set(name, " ".join(renames.get(v, v) for v in value.split()))
            elif "#" in value:
                for old, new in renames.items():
                    value = value.replace(f"#{old})", f"#{new})")
                    if value == f"#{old}":
                        value = f"#{new}"
                element.set(name, value)
    title_el = _child(root, "title")
    if title_el is None:
        title_el = ET.Element(f"{{{SVG_NS}}}title")
        title_el.text = caption or alt
        root.insert(0, title_el)
    desc_el = _child(root, "desc")
    if desc_el is None:
        desc_el = ET.Element(f"{{{SVG_NS}}}desc")
        desc_el.text = alt
        root.insert(1, desc_el)
    elif alt and alt.strip() != (desc_el.text or "").strip():
        joiner = " " if alt.rstrip()[-1:] in {".", "!", "?", ":"} else ". "
        desc_el.text = f"{alt.rstrip()}{joiner}{desc_el.text or ''}".strip()
    title_el.set("id", f"{prefix}title")
    desc_el.set("id", f"{prefix}desc")
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}title")
    root.set("aria-describedby", f"{prefix}desc")
    root.set("focusable", "false")
    return ET.tostring(root, encoding="unicode"), caption or (title_el.text or "") or alt


class _Renderer:
    """Render rules that need state (figure numbering, the SVGs)."""

    def __init__(self, md: Any, figures: dict[str, str]) -> None:
        self.md = md
        self.figures = figures
        self.count = 0
        self.tables = 0

    def table_open(self, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        # The region scrolls a table wider than the screen by itself (not the page); a
        # focusable region named by the caption lets keyboard users scroll it too.
        caption = tokens[idx].meta.get("caption") or ""
        self.tables += 1
        name = f"table-{self.tables}"
        return (f'<div class="table-scroll" role="region" tabindex="0" '
                f'aria-labelledby="{name}">\n<table>\n'
                f'<caption id="{name}">{self.md.renderInline(caption)}</caption>\n')

    def table_close(self, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        return "</table>\n</div>\n"

    def definitions(self, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        rows = "".join(
            f"<dt>{self.md.renderer.renderInline(label, options, env)}</dt>"
            f"<dd>{self.md.renderer.renderInline(value, options, env)}</dd>\n"
            for label, value in tokens[idx].meta["lines"])
        return f'<dl class="meta">\n{rows}</dl>\n'

    def figure(self, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
        meta = tokens[idx].meta
        svg = self.figures.get(meta["src"])
        if svg is None:
            return f'<p class="figure-text">{escape(meta["alt"])}</p>\n'
        self.count += 1
        markup, caption = inline_svg(svg, number=self.count, alt=meta["alt"],
                                     caption=meta["title"])
        return (
            f'<figure id="figure-{self.count}">\n{markup}\n'
            f"<figcaption>{escape(caption)}</figcaption>\n</figure>\n"
        )


def to_html(markdown: str, *, lang: str, title: str, figures: dict[str, str],
            running: Running | None = None) -> str:
    """Render report Markdown as one self-contained, printable, accessible HTML page.

    ``running`` is what the printed page's margins say (organisation, document, dnr, the
    page number's wording); without it pages are numbered "x (y)".
    """
    md = markdown_parser()
    tokens = md.parse(markdown)
    has_h1 = starts_with_h1(tokens)
    normalise_headings(tokens, has_h1=has_h1)
    tokens = _prepare(md, tokens, title)
    rules = _Renderer(md, figures)
    md.renderer.rules["table_open"] = rules.table_open
    md.renderer.rules["table_close"] = rules.table_close
    md.renderer.rules["definitions"] = rules.definitions
    md.renderer.rules["figure"] = rules.figure
    body = md.renderer.render(tokens, md.options, {})
    heading = "" if has_h1 else f"<h1>{escape(title)}</h1>\n"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="studsa">\n'
        f"<title>{escape(title)}</title>\n<style>\n{STYLESHEET}{page_rules(running)}</style>\n"
        "</head>\n<body>\n"
        f'<main id="main">\n{heading}{body}</main>\n</body>\n</html>\n'
    )
