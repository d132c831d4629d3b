"""What the Playwright tests share: Debian's Chromium, axe-core, and how to find them.

Each test skips with the reason when a tool is missing, and fails instead in CI
(``STUDSA_REQUIRE_A11Y=1``), as the accessibility test does.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from test_accessibility import AXE_DEFAULT

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_RUN = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                     resultTypes: ["violations"]});
  return r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "));
}"""


def tools(test: str) -> tuple[Any, str, Path]:
    """Playwright's ``sync_playwright``, Chromium's path and axe-core's, for ``test``."""
    chromium = os.environ.get("STUDSA_CHROMIUM") or shutil.which("chromium")
    axe = Path(os.environ.get("AXE_CORE_JS") or AXE_DEFAULT)
    missing = []
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
        missing.append("the playwright package (pip install playwright; no browser download)")
    if not chromium:
        missing.append("Chromium (apt-get install chromium)")
    if not axe.is_file():
        missing.append(f"axe-core at {axe}")
    if missing:
        reason = f"the {test} needs " + " and ".join(missing)
        if os.environ.get("STUDSA_REQUIRE_A11Y") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    assert chromium is not None
    return sync_playwright, chromium, axe
