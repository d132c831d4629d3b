"""A workshop in real browsers: 12 raters rate the Malmö example from their own browser
contexts in two rounds; the rater files equal an oracle; axe-core finds nothing.

Playwright (the Python package only) drives Debian's Chromium; nothing is downloaded and
every request that is not to 127.0.0.1 is blocked (and counted: none is made). Skips when
Playwright, Chromium or axe-core is missing, unless ``STUDSA_REQUIRE_A11Y=1`` (CI).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from browser import AXE_RUN, FLAGS, tools
from test_accessibility import TAGS
from workshop_server import Server, start

from studsa.scoring import parse_value
from studsa.storage.layout import WORKSHOP
from studsa.workflow.context import Workspace

RATERS = 12
WAIT_MS = 20_000


def _tools() -> tuple[Any, str, Path]:
    return tools("workshop browser test")


def verdict(rater: int, challenge: int, criterion: int) -> str:
    """Round 1: a pattern with disagreement in some cells."""
    base = (challenge * 3 + criterion * 5) % 7 < 3
    if (rater * 7 + challenge * 3 + criterion) % 29 == 0:
        base = not base
    return "ja" if base else "nej"


def second(rater: int, first: str, yes: int) -> str:
    """Round 2: every third rater joins the majority; the others keep their verdict."""
    if rater % 3 == 0:
        return "ja" if yes * 2 >= RATERS else "nej"
    return first


class Room:
    """The browsers, the blocked requests, and the facilitator's page."""

    def __init__(self, playwright: Any, chromium: str) -> None:
        self.browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        self.blocked: list[str] = []

    def context(self, bypass_csp: bool = False) -> Any:
        context = self.browser.new_context(bypass_csp=bypass_csp,
                                           viewport={"width": 360, "height": 740})
        context.set_default_timeout(WAIT_MS)
        context.route("**/*", self.guard)
        return context

    def guard(self, route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()


def _axe(room: Room, axe: Path, urls: dict[str, str]) -> dict[str, list[str]]:
    context = room.context(bypass_csp=True)  # to inject axe.min.js beside the pages' own
    found = {}
    for name, url in urls.items():
        page = context.new_page()
        page.goto(url)
        page.add_script_tag(path=str(axe))
        violations = page.evaluate(AXE_RUN, TAGS)
        if violations:
            found[name] = violations
        page.close()
    context.close()
    return found


def _rate(page: Any, cells: dict[str, dict[str, str]]) -> None:
    for challenge, values in cells.items():
        form = page.locator(f"#form-{challenge}")
        for criterion, value in values.items():
            form.locator(f'input[name="v:{criterion}"][value="{value}"]').check()
        form.locator("button").click()
        page.locator(f"#saved-{challenge}", has_text="Skickat och sparat.").wait_for()


def _facilitate(page: Any, button: str, round_number: int, phase: str) -> None:
    page.locator(button).click()
    try:
        page.locator(f'body[data-round="{round_number}"][data-phase="{phase}"]').wait_for()
    except Exception:
        print(page.url, page.content()[:3000])
        raise


def test_twelve_raters_two_rounds_in_browsers(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    sync_playwright, chromium, axe = _tools()
    root = tmp_path / "malmo"
    assert cli("init", root, "--example", "malmo").exit_code == 0
    names = [f"Ledamot {n}" for n in range(1, RATERS - 2)]
    server = start(root, *[a for n in names for a in ("--rater", n)], "--idle-minutes", "10")
    try:
        with sync_playwright() as playwright:
            _workshop(Room(playwright, chromium), server, root, axe)
    finally:
        code = server.stop()
    assert code == 0, "".join(server.lines)
    result = cli("validate", "-p", root)
    assert result.exit_code == 0, result.stdout + result.stderr


def _workshop(room: Room, server: Server, root: Path, axe: Path) -> None:
    ws = Workspace.open(root)
    challenges = [c.id for c in ws.karta.model.challenges if not c.out_of_scope]
    criteria = [k.id for k in ws.strategi.model.criteria]
    links = server.seat_links()
    assert len(links) == RATERS
    facilitator = room.context().new_page()
    facilitator.goto(server.facilitator)
    projector = room.context().new_page()
    projector.set_viewport_size({"width": 1280, "height": 800})
    projector.goto(server.projector)
    pages = []
    for _label, url in links:
        page = room.context().new_page()
        page.goto(url)
        pages.append(page)
    assert _axe(room, axe, {"ballot": links[0][1], "facilitator": server.facilitator,
                            "projector": server.projector}) == {}
    first: dict[tuple[int, str, str], str] = {}
    for i, page in enumerate(pages):
        cells = {c: {k: verdict(i, ci, ki) for ki, k in enumerate(criteria)}
                 for ci, c in enumerate(challenges)}
        first.update({(i, c, k): v for c, vs in cells.items() for k, v in vs.items()})
        _rate(page, cells)
    facilitator.locator(f'tr[data-seat="s{RATERS}"] [data-field="rated"]',
                        has_text=str(len(challenges) * len(criteria))).wait_for()
    assert "Resultat" not in projector.content()
    _facilitate(facilitator, "#close", 1, "revealed")
    projector.locator('body[data-phase="revealed"]').wait_for()
    yes = Counter((c, k) for (i, c, k), v in first.items() if v == "ja")
    disputed = {(c, k) for c in challenges for k in criteria if 0 < yes[(c, k)] < RATERS}
    assert projector.locator("td.disputed").count() == len(disputed) > 0
    assert _axe(room, axe, {"facilitator-reveal": server.facilitator,
                            "projector-reveal": server.projector}) == {}
    _facilitate(facilitator, "#next", 2, "open")
    final = dict(first)
    for i, page in enumerate(pages):
        page.locator('body[data-round="2"][data-phase="open"]').wait_for()  # followed live
        cells: dict[str, dict[str, str]] = {}
        for c, k in sorted(disputed, key=lambda cell: (challenges.index(cell[0]), cell)):
            final[(i, c, k)] = cells.setdefault(c, {})[k] = second(i, first[(i, c, k)],
                                                                    yes[(c, k)])
        _rate(page, cells)
    _facilitate(facilitator, "#close", 2, "revealed")
    assert facilitator.locator(".reveal").count() == 1
    facilitator.locator("#finish").click()
    facilitator.locator('body[data-phase="finished"]').wait_for()
    assert room.blocked == []
    _check_files(root, [label for label, _ in links], challenges, criteria, final, disputed)


def _check_files(root: Path, labels: list[str], challenges: list[str], criteria: list[str],
                 final: dict[tuple[int, str, str], str], disputed: set[tuple[str, str]]
                 ) -> None:
    ws = Workspace.open(root)
    files = {str(doc.model.rater): doc.model for doc in ws.bedomningar}
    assert set(labels) <= set(files)
    for i, label in enumerate(labels):
        stored = {a.challenge: a.values for a in files[label].assessments}
        for c in challenges:
            for k in criteria:
                raw = stored[c][k]
                value = getattr(raw, "value", raw)
                assert parse_value("yes-no", value) == parse_value("yes-no", final[(i, c, k)]), (
                    label, c, k)
    record = root / "3-prioritera" / "workshop"
    (path,) = [p for p in record.glob("*.yaml")]
    model = ws.store.read(WORKSHOP, path).model
    first, second_round = model.rounds
    # one ballot per rater and challenge: none lost, none duplicated
    assert Counter((b.seat, b.challenge) for b in first.ballots) == Counter(
        {(f"s{i + 1}", c): 1 for i in range(len(labels)) for c in challenges})
    assert len(second_round.ballots) == len(labels) * len({c for c, _ in disputed})
    assert model.closed is not None and first.counts is not None
    assert first.counts.disputed == len(disputed)
