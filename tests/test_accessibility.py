"""Every HTML report passes axe-core's WCAG 2.1 A/AA rules in headless Chromium.

Chromium comes from Debian's ``chromium`` package and axe-core from npm; ``.ci/run`` installs
both (axe-core into ``tests/.node/``) and sets ``STUDSA_REQUIRE_A11Y=1`` so CI fails instead of
skipping when either is missing. Locally the test skips with the reason. ``STUDSA_CHROMIUM``
and ``AXE_CORE_JS`` point at other installations.

The page under test gets axe.min.js and a script that runs axe and writes its results into
the DOM; ``chromium --headless --dump-dom`` with a virtual-time budget prints that DOM once
the page is idle. No browser download, no Playwright, no network.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from studsa.report.html import to_html
from studsa.report.svg import challenge_map_svg, timeline_svg

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_DEFAULT = Path(__file__).parent / ".node" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-quic", "--disable-default-apps", "--disable-extensions", "--mute-audio",
]
RUNNER = """<script>
axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})
  .then(function (r) { return {violations: r.violations.map(function (v) {
      return {id: v.id, help: v.help, nodes: v.nodes.map(function (n) {
        return n.target.join(" ") + ": " + n.failureSummary; })}; }),
    passes: r.passes.length}; },
    function (e) { return {error: String(e)}; })
  .then(function (out) {
    var pre = document.createElement("pre");
    pre.id = "axe-results";
    pre.textContent = JSON.stringify(out);
    document.body.appendChild(pre);
  });
</script>"""


def _tools() -> tuple[str, Path]:
    """Chromium and axe.min.js, or skip (fail when STUDSA_REQUIRE_A11Y=1) saying what is missing."""
    chromium = os.environ.get("STUDSA_CHROMIUM") or next(
        (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))),
        None)
    axe = Path(os.environ.get("AXE_CORE_JS") or AXE_DEFAULT)
    missing = []
    if not chromium:
        missing.append("Chromium (apt-get install chromium)")
    if not axe.is_file():
        missing.append(f"axe-core at {axe} (npm install --prefix tests/.node axe-core)")
    if missing:
        reason = "accessibility test needs " + " and ".join(missing)
        if os.environ.get("STUDSA_REQUIRE_A11Y") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    assert chromium is not None
    return chromium, axe


def run_axe(page: str, workdir: Path, name: str) -> dict[str, Any]:
    """Open ``page`` in headless Chromium, run axe-core on it and return its results."""
    chromium, axe = _tools()
    script = axe.read_text(encoding="utf-8").replace("</script", "<\\/script")
    injected = f"<script>{script}</script>{RUNNER % json.dumps(TAGS)}</body>"
    assert "</body>" in page
    target = workdir / f"{name}.axe.html"
    target.write_text(page.replace("</body>", injected, 1), encoding="utf-8")
    profile = workdir / f"{name}.profile"
    command = [chromium, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=60000",
               "--dump-dom", target.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    found = re.search(r'<pre id="axe-results">(.*?)</pre>', done.stdout, re.S)
    assert found, f"axe gave no result for {name}: {done.stderr[-2000:]}"
    return json.loads(html.unescape(found.group(1)))  # type: ignore[no-any-return]


def _violations(pages: dict[str, str], workdir: Path) -> dict[str, list[dict[str, Any]]]:
    """axe violations per page (pages run two at a time)."""
    _tools()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(pages, pool.map(lambda item: run_axe(item[1], workdir, item[0]),
                                           pages.items()), strict=True))
    for name, result in results.items():
        assert "error" not in result, f"{name}: {result}"
        assert result["passes"] > 0, f"{name}: axe checked nothing"
    return {name: result["violations"] for name, result in results.items()
            if result["violations"]}


def _render_html(root: Path, out: Path) -> dict[str, str]:
    from studsa.workflow.context import Workspace
    from studsa.workflow.render import render_reports

    written = render_reports(Workspace.open(root), None, ["html"], out)
    pages = {p.stem: p.read_text(encoding="utf-8") for p in written if p.suffix == ".html"}
    assert pages
    return pages


def test_harness_finds_violations(tmp_path: Path) -> None:
    bad = ('<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>x</h1>'
           '<p style="color:#bbbbbb">low contrast</p><img src="a.png"></main></body></html>')
    found = {v["id"] for v in run_axe(bad, tmp_path, "bad")["violations"]}
    assert {"html-has-lang", "color-contrast", "image-alt"} <= found


def test_converter_output_with_every_feature(tmp_path: Path) -> None:
    markdown = """\
# Rapport med <script>alert(1)</script>

Intro med **fet**, *kursiv*, `kod` och [en länk](https://example.org).

## Tabeller

Table: Rangordning

| Rang | Utmaning | Poäng |
|--:|---|--:|
| 1 | Renhållning \\| städning | 4 |
| 2 | <b>Belysning</b> | 3 |

- punkt ett
- punkt två
  1. under

> Ett citat från remissvaret.

## Figurer

![Tre teman med sina utmaningar](karta.svg)

### Tidslinje

![Aktiviteter per år](tidslinje.svg "Tidslinje 2021–2024")
"""
    figures = {
        "karta.svg": challenge_map_svg(
            [("a", "Skötsel och drift"), ("b", "Trafik")],
            [("x", "Renhållning för ökad trygghet", "a"), ("y", "Klotter", "a"),
             ("z", "Hastighet <i>nära</i> skolor", "b")],
            {"x"}, title="Utmaningskarta", prioritized_label="Prioriterad"),
        "tidslinje.svg": timeline_svg([("Renhållning", 2021, 2023), ("Klotter", 2022, 2022)],
                                      title="Tidslinje", years=(2021, 2024)),
    }
    page = to_html(markdown, lang="sv", title="Rapport", figures=figures)
    assert _violations({"features": page}, tmp_path) == {}


def test_every_report_of_the_example_is_accessible(example_project: Path,
                                                   tmp_path: Path) -> None:
    pages = _render_html(example_project, tmp_path / "html")
    assert {"utmaningskarta", "handlingsplan"} <= set(pages)
    assert _violations(pages, tmp_path) == {}


def test_reports_of_a_new_english_project_are_accessible(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _tools()
    root = tmp_path / "en"
    assert cli("init", root, "--language", "en", "--name", "Safety <strategy>").exit_code == 0
    assert cli("theme", "add", "Streets & <parks>", "--id", "streets", "-p", root).exit_code == 0
    result = cli("challenge", "add", "--theme", "streets", "--id", "litter", "-p", root, "--",
                 "Litter | <script>alert(1)</script>")
    assert result.exit_code == 0, result.stderr
    pages = _render_html(root, tmp_path / "html")
    assert all('<html lang="en">' in page for page in pages.values())
    assert _violations(pages, tmp_path) == {}
