"""Every HTML report reflows at 320 CSS pixels (WCAG 1.4.10) and stays axe-clean there.

A page may not scroll sideways at a width of 320 px: only a table wider than the screen
scrolls, inside its own labelled, focusable region. Playwright (the Python package only)
drives Debian's Chromium; the page is loaded with ``set_content``, so nothing is fetched,
and every request it would make is blocked and counted (none is). Skips when Playwright,
Chromium or axe-core is missing, unless ``STUDSA_REQUIRE_A11Y=1`` (CI).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser import AXE_RUN, FLAGS, tools
from render_project import make_project
from test_accessibility import TAGS

from studsa.workflow.context import Workspace
from studsa.workflow.render import render_reports

WIDTH = 320
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  return [...document.querySelectorAll("main *")]
    .filter(e => !e.closest(".table-scroll") && e.getBoundingClientRect().right > limit + 1)
    .slice(0, 5).map(e => e.tagName + ": " + (e.textContent || "").slice(0, 60));
}"""
# A user's long words and links must wrap too, not push the page wider.
LONG = "Trygghetsskapandeåtgärdsprogramsuppföljningsansvarig"


def _tools() -> tuple[Any, str, Path]:
    return tools("reflow test")


def _pages(root: Path, out: Path) -> dict[str, str]:
    written = render_reports(Workspace.open(root), None, ["html"], out)
    return {p.stem: p.read_text(encoding="utf-8") for p in written if p.suffix == ".html"}


def _check(pages: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Per page: (scroll width, what sticks out, axe violations); and the blocked requests."""
    sync_playwright, chromium, axe = _tools()
    blocked: list[str] = []

    def guard(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    found: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        context = browser.new_context(viewport={"width": WIDTH, "height": 640})
        context.route("**/*", guard)
        for name, html in sorted(pages.items()):
            page = context.new_page()
            page.set_content(html, wait_until="load")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            out = page.evaluate(WIDEST)
            page.add_script_tag(path=str(axe))
            found[name] = (width, out, page.evaluate(AXE_RUN, TAGS))
            page.close()
        browser.close()
    return found, blocked


def _assert_reflows(found: dict[str, Any], blocked: list[str]) -> None:
    assert blocked == []
    wide = {name: (width, out) for name, (width, out, _) in found.items() if width > WIDTH + 1}
    assert wide == {}, f"pages wider than {WIDTH}px: {wide}"
    violations = {name: v for name, (_, _, v) in found.items() if v}
    assert violations == {}


def test_every_report_of_the_example_reflows_at_320_px(example_project: Path,
                                                       tmp_path: Path) -> None:
    _tools()
    pages = _pages(example_project, tmp_path / "html")
    assert {"tjansteskrivelse", "handlingsplan", "utmaningskarta", "strategi"} <= set(pages)
    _assert_reflows(*_check(pages))


def test_long_words_links_and_wide_tables_reflow(tmp_path: Path) -> None:
    _tools()
    memo = (f"memo:\n  title: {LONG} för {LONG}\n  economy: Se "
            f"https://example.org/{LONG}/{LONG}/{LONG}/{LONG}\n")
    root = make_project(tmp_path / "p", memo=memo)
    pages = _pages(root, tmp_path / "html")
    assert LONG in pages["tjansteskrivelse"]
    _assert_reflows(*_check(pages))
