"""The SVG figures: challenge map and timeline."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from studsa.report.svg import MARKER, challenge_map_svg, timeline_svg, wrap

NS = {"s": "http://www.w3.org/2000/svg"}

THEMES = [("skotsel", "Skötsel & drift <av> miljöer"), ("trafik", "Trafik")]
CHALLENGES = [
    ("renhallning", "Renhållning för ökad trygghet i offentliga miljöer och parker", "skotsel"),
    ("klotter", "Klotter", "skotsel"),
    ("fart", "Hastighet <script>alert(1)</script>", "trafik"),
]


def _map(prioritized: set[str] | None = None) -> str:
    return challenge_map_svg(THEMES, CHALLENGES, prioritized or {"renhallning"},
                             title="Utmaningskarta", prioritized_label="Prioriterad")


def _cards(svg: str) -> list[tuple[ET.Element, str]]:
    """(card rect, card text) for every challenge card."""
    root = ET.fromstring(svg)
    cards = []
    for group in root.iterfind("s:g/s:g", NS):
        rect = group.find("s:rect", NS)
        text = " ".join(t.text or "" for t in group.iterfind(".//s:tspan", NS))
        cards.append((rect, text))
    return cards


def test_map_is_valid_svg_with_title_desc_and_role() -> None:
    svg = _map()
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find("s:title", NS).text == "Utmaningskarta"
    desc = root.find("s:desc", NS).text
    assert "Klotter" in desc and "Trafik" in desc
    assert f"({MARKER} Prioriterad)" in desc
    assert root.get("aria-labelledby") == root.find("s:title", NS).get("id")


def test_map_is_deterministic() -> None:
    assert _map() == _map()


def test_prioritized_marked_by_border_and_text_not_colour_only() -> None:
    cards = _cards(_map({"renhallning"}))
    assert len(cards) == 3
    marked = [c for c in cards if c[1].startswith("Renhållning")]
    plain = [c for c in cards if not c[1].startswith("Renhållning")]
    assert marked[0][0].get("stroke-width") == "3"
    assert marked[0][1].endswith(f"{MARKER} Prioriterad")
    for rect, text in plain:
        assert rect.get("stroke-width") == "1"
        assert "Prioriterad" not in text


def test_user_text_is_escaped() -> None:
    svg = _map()
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "&lt;av&gt;" in svg
    ET.fromstring(svg)  # still well-formed


def test_long_titles_wrap_into_lines() -> None:
    cards = _cards(_map())
    root = ET.fromstring(_map())
    first_card = root.find("s:g/s:g", NS)
    lines = [t.text for t in first_card.iterfind(".//s:tspan", NS)]
    assert len(lines) >= 3  # wrapped title + marker line
    assert all(len(line) <= 40 for line in lines)
    assert cards[0][1].startswith("Renhållning för ökad trygghet")


def test_columns_follow_theme_order_and_keep_dangling_challenges() -> None:
    svg = challenge_map_svg(THEMES, [*CHALLENGES, ("x", "Föräldralös", "saknas")], set(),
                            title="T", prioritized_label="P")
    root = ET.fromstring(svg)
    heads = [" ".join(t.text for t in g.find("s:text", NS)) for g in root.iterfind("s:g", NS)
             if g.find("s:text", NS) is not None and g.find("s:g", NS) is not None]
    assert heads[0].startswith("Skötsel") and heads[1] == "Trafik" and heads[2] == "saknas"
    assert "Föräldralös" in svg


def test_no_words_other_than_the_arguments() -> None:
    svg = _map()
    root = ET.fromstring(svg)
    given = " ".join([t for _, t in THEMES] + [c[1] for c in CHALLENGES]
                     + ["Utmaningskarta", "Prioriterad", MARKER])
    for span in root.iter("{http://www.w3.org/2000/svg}tspan"):
        for word in (span.text or "").split():
            assert word in given, word


def test_empty_map_still_renders() -> None:
    svg = challenge_map_svg([], [], set(), title="Tom", prioritized_label="P")
    assert ET.fromstring(svg).find("s:title", NS).text == "Tom"


@pytest.mark.parametrize("width", [40, 120, 400])
def test_wrap_never_loses_words(width: int) -> None:
    text = "Trygghetsfrämjande faktorer i planarbetet för alla stadsdelar"
    assert " ".join(wrap(text, width)).replace(" ", "") == text.replace(" ", "")


def test_timeline_bars_span_their_years() -> None:
    svg = timeline_svg([("Renhållning – Gatu", 2021, 2023), ("Belysning", 2022, 2022),
                        ("Senare", 2031, 2032)], title="Tidslinje", years=(2021, 2024))
    root = ET.fromstring(svg)
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.find("s:title", NS)
            is not None]
    assert len(bars) == 2  # the row outside the years has no bar, but keeps its label
    first, second = (float(b.get("width")) for b in bars)
    assert first > 2.5 * second
    assert bars[0].find("s:title", NS).text == "Renhållning – Gatu: 2021–2023"
    desc = root.find("s:desc", NS).text
    assert "Senare: 2031–2032." in desc and "Belysning: 2022." in desc
    years = [t.text for t in root.iter("{http://www.w3.org/2000/svg}tspan")
             if re.fullmatch(r"\d{4}", t.text or "")]
    assert years == ["2021", "2022", "2023", "2024"]
    assert svg == timeline_svg([("Renhållning – Gatu", 2021, 2023), ("Belysning", 2022, 2022),
                                ("Senare", 2031, 2032)], title="Tidslinje", years=(2021, 2024))
