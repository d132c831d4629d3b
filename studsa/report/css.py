"""The stylesheet inlined in every HTML report: readable on screen, tidy on paper.

Colours meet WCAG 2.1 AA contrast (text ≥ 4.5:1, borders and focus ≥ 3:1 on white). The
page reflows down to 320 CSS pixels (WCAG 1.4.10): only a table wider than the screen
scrolls, inside its own region. On paper (WeasyPrint's PDF, a browser's print): A4, the
organisation and the diarienummer in the running header, "Sida x (y)" in the footer,
headings kept with what follows them, table rows and figures never split, and a new page
only where the document asks for one (a thematic break, e.g. before a bilaga).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

STYLESHEET = """\
:root { color-scheme: light; }
html { font-size: 100%; }
body {
  margin: 0; background: #ffffff; color: #1a1a1a;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.55;
}
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; overflow-wrap: break-word; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; color: #10263d; margin: 1.8em 0 0.5em; }
h1 { font-size: 2rem; margin-top: 0; border-bottom: 3px solid #10263d; padding-bottom: 0.3em; }
h2 { font-size: 1.5rem; border-bottom: 1px solid #6b7785; padding-bottom: 0.2em; }
h3 { font-size: 1.2rem; }
h4, h5, h6 { font-size: 1rem; }
p, ul, ol, table, figure, blockquote, pre, dl { margin: 0 0 1em; }
a { color: #0b5394; text-decoration: underline; }
a:visited { color: #5b2a86; }
a:focus-visible, .table-scroll:focus-visible { outline: 3px solid #0b5394; outline-offset: 2px; }
li + li { margin-top: 0.25em; }
blockquote { border-left: 4px solid #6b7785; margin-left: 0; padding: 0.2em 1em; color: #333333; }
code, pre { font-family: ui-monospace, "Cascadia Mono", Menlo, Consolas, monospace;
            font-size: 0.95em; }
pre { background: #f3f5f7; padding: 0.75em 1em; white-space: pre-wrap; overflow-wrap: anywhere; }
hr { border: 0; border-top: 1px solid #6b7785; margin: 2em 0; }
main > p:first-child { font-weight: 600; letter-spacing: 0.06em; margin-bottom: 0.5em; }
dl.meta { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15em 1em;
          border-top: 1px solid #6b7785; border-bottom: 1px solid #6b7785; padding: 0.5em 0; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.table-scroll { max-width: 100%; overflow-x: auto; margin: 0 0 1em; }
.table-scroll table { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 0.4em;
          color: #1a1a1a; }
th, td { border: 1px solid #6b7785; padding: 0.35em 0.55em; vertical-align: top;
         text-align: left; overflow-wrap: break-word; hyphens: auto; }
th[style*="right"], td[style*="right"] { white-space: nowrap; }
thead th { background: #e8eef4; color: #10263d; }
tbody tr:nth-child(even) { background: #f7f9fb; }
figure { margin: 1.5em 0; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-style: italic; margin-top: 0.4em; color: #333333; }
.figure-text { font-style: italic; }
@media (max-width: 30rem) {
  main { padding: 1rem 0.75rem 2rem; }
  h1 { font-size: 1.6rem; }
  h2 { font-size: 1.3rem; }
  dl.meta { grid-template-columns: minmax(0, 1fr); }
  dl.meta dd { margin-bottom: 0.3em; }
}
@page { size: A4; margin: 22mm 18mm 20mm;
  @top-left { font: 8.5pt Arial, "Liberation Sans", Arimo, sans-serif; color: #333333;
    vertical-align: bottom; padding-bottom: 3mm; }
  @top-right { font: 8.5pt Arial, "Liberation Sans", Arimo, sans-serif; color: #333333;
    vertical-align: bottom; padding-bottom: 3mm; }
  @bottom-right { content: counter(page) " (" counter(pages) ")";
    font: 8.5pt Arial, "Liberation Sans", Arimo, sans-serif; color: #333333; } }
@media print {
  body { font-size: 10.5pt; line-height: 1.4; font-family: Arial, "Liberation Sans", Arimo,
    "Helvetica Neue", Helvetica, sans-serif; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 17pt; border-bottom-width: 2px; }
  h2 { font-size: 13pt; margin-top: 1.3em; }
  h3 { font-size: 11.5pt; margin-top: 1.1em; }
  h4, h5, h6 { font-size: 10.5pt; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; break-inside: avoid; }
  h1 + *, h2 + *, h3 + *, h4 + *, caption { break-before: avoid; page-break-before: avoid; }
  p { orphans: 3; widows: 3; }
  figure, tr, blockquote, pre, dl.meta { break-inside: avoid; page-break-inside: avoid; }
  caption { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  .table-scroll { overflow: visible; }
  hr { break-after: page; page-break-after: always; border: 0; margin: 0; }
  a { color: #1a1a1a; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em;
                           overflow-wrap: anywhere; }
  tbody tr:nth-child(even) { background: none; }
}
"""


@dataclass(frozen=True)
class Running:
    """What the margins of a printed page say: left and right of the header, the number."""

    left: str
    right: str
    page: str = "{page} ({pages})"
    """The page number, with ``{page}`` and ``{pages}`` (``Sida {page} ({pages})``)."""


def _string(text: str) -> str:
    """``text`` as a CSS string; nothing in it can end the string or the style element."""
    escaped = re.sub(r'[\\"<>\n\r\f]', lambda m: f"\\{ord(m.group(0)):X} ", text)
    return f'"{escaped}"'


def _content(template: str) -> str:
    """A page-number template as CSS content: strings around the page counters."""
    parts: list[str] = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_string(piece))
    return " ".join(parts) or '""'


def page_rules(running: Running | None) -> str:
    """The ``@page`` rule of one document: its running header and page number wording."""
    if running is None:
        return ""
    return (f"@page {{ @top-left {{ content: {_string(running.left)}; }}\n"
            f"  @top-right {{ content: {_string(running.right)}; }}\n"
            f"  @bottom-right {{ content: {_content(running.page)}; }} }}\n")
