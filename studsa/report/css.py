"""The stylesheet inlined in every HTML report: readable on screen, tidy on paper.

Colours meet WCAG 2.1 AA contrast (text ≥ 4.5:1, borders and focus ≥ 3:1 on white).
"""

STYLESHEET = """\
:root { color-scheme: light; }
html { font-size: 100%; }
body {
  margin: 0; background: #ffffff; color: #1a1a1a;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  line-height: 1.55;
}
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; color: #10263d; margin: 1.8em 0 0.5em; }
h1 { font-size: 2rem; margin-top: 0; border-bottom: 3px solid #10263d; padding-bottom: 0.3em; }
h2 { font-size: 1.5rem; border-bottom: 1px solid #6b7785; padding-bottom: 0.2em; }
h3 { font-size: 1.2rem; }
h4, h5, h6 { font-size: 1rem; }
p, ul, ol, table, figure, blockquote, pre { margin: 0 0 1em; }
a { color: #0b5394; text-decoration: underline; }
a:visited { color: #5b2a86; }
a:focus-visible { outline: 3px solid #0b5394; outline-offset: 2px; }
li + li { margin-top: 0.25em; }
blockquote { border-left: 4px solid #6b7785; margin-left: 0; padding: 0.2em 1em; color: #333333; }
code, pre { font-family: ui-monospace, "Cascadia Mono", Menlo, Consolas, monospace;
            font-size: 0.95em; }
pre { background: #f3f5f7; padding: 0.75em 1em; white-space: pre-wrap; overflow-wrap: anywhere; }
hr { border: 0; border-top: 1px solid #6b7785; margin: 2em 0; }
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
@page { size: A4; margin: 20mm 18mm 22mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #333333;
    font-family: system-ui, "Segoe UI", Roboto, Arial, sans-serif; } }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2.page-break { break-before: page; page-break-before: always; }
  h1, h2, h3, h4, h5, h6 { break-after: avoid; page-break-after: avoid; }
  figure, tr, blockquote, pre { break-inside: avoid; page-break-inside: avoid; }
  caption { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  a { color: #1a1a1a; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em;
                           overflow-wrap: anywhere; }
  tbody tr:nth-child(even) { background: none; }
}
"""
