"""SVG figures for the reports: the challenge map and the action-plan timeline.

Pure functions: plain data in, SVG text out, the same bytes every time. Every visible word
comes from the arguments (the caller takes labels from the i18n catalog). Each figure has a
``<title>`` and ``<desc>`` with ids prefixed ``studsa-svg-``; ``to_html`` renames them per
figure so several figures can share a page.
"""

from __future__ import annotations

import textwrap
from html import escape

SVG_NS = "http://www.w3.org/2000/svg"
ID_PREFIX = "studsa-svg-"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"

# Colours: text and borders at least 4.5:1 (text) or 3:1 (graphics) against their background.
INK = "#1a1a1a"
MUTED = "#4a4a4a"
COLUMN_BG = "#eef2f6"
CARD_BG = "#ffffff"
CARD_BORDER = "#6b7785"
PRIORITY_BORDER = "#0b3d6b"
PRIORITY_BG = "#e3eefa"
BAR = "#1f5f8b"
GRID = "#8a95a3"

MARKER = "★"

# Layout of the challenge map (px in the viewBox).
PAD = 16
COL_W = 220
COL_GAP = 16
CARD_PAD = 10
CARD_GAP = 10
FONT_SIZE = 13
HEAD_SIZE = 14
LINE_H = 17
CHAR_W = 0.56  # average glyph width in em, for wrapping without a font engine


def _text(value: str) -> str:
    """Escape user text for XML content and attributes."""
    return escape(value, quote=True)


def wrap(text: str, width_px: float, font_size: float = FONT_SIZE) -> list[str]:
    """Wrap ``text`` into lines that fit ``width_px`` at ``font_size`` (estimated widths)."""
    chars = max(4, int(width_px / (font_size * CHAR_W)))
    words = text.split()
    if "-" not in text and all(len(word) <= chars for word in words):
        return _greedy(words, chars) or [""]
    lines = textwrap.wrap(" ".join(words), width=chars, break_on_hyphens=True)
    return lines or [""]


def _greedy(words: list[str], width: int) -> list[str]:
    """``textwrap.wrap`` of single-spaced words that all fit, none with a hyphen.

    Without hyphens textwrap splits only at spaces, and with no word longer than the width
    it never breaks a word: it fills each line with as many words as fit, one space apart.
    """
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for word in words:
        if line and used + 1 + len(word) > width:
            lines.append(" ".join(line))
            line, used = [], 0
        used += len(word) + (1 if line else 0)
        line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


def _lines(x: float, y: float, lines: list[str], *, size: float, weight: str = "normal",
           fill: str = INK, anchor: str = "start") -> str:
    """A ``<text>`` element with one ``<tspan>`` per line, first baseline at ``y``."""
    spans = "".join(
        f'<tspan x="{x:g}" y="{y + i * LINE_H:g}">{_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    anchored = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return (f'<text font-size="{size:g}" font-weight="{weight}" fill="{fill}"{anchored}>'
            f"{spans}</text>")


def _svg_open(width: float, height: float) -> str:
    return (
        f'<svg xmlns="{SVG_NS}" role="img" viewBox="0 0 {width:g} {height:g}" '
        f'width="{width:g}" height="{height:g}" font-family="{_text(FONT)}" '
        f'aria-labelledby="{ID_PREFIX}title" aria-describedby="{ID_PREFIX}desc">'
    )


def _head(title: str, desc: str) -> str:
    return (
        f'<title id="{ID_PREFIX}title">{_text(title)}</title>'
        f'<desc id="{ID_PREFIX}desc">{_text(desc)}</desc>'
    )


def _columns(
    themes: list[tuple[str, str]], challenges: list[tuple[str, str, str]]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Group challenges under their themes, in the given order; unknown themes go last."""
    order = [theme_id for theme_id, _ in themes]
    titles = dict(themes)
    grouped: dict[str, list[tuple[str, str]]] = {theme_id: [] for theme_id in order}
    for challenge_id, title, theme_id in challenges:
        if theme_id not in grouped:
            # A dangling reference (validate reports it): show it under its id, never drop it.
            grouped[theme_id] = []
            order.append(theme_id)
            titles[theme_id] = theme_id
        grouped[theme_id].append((challenge_id, title))
    return [(titles[theme_id], grouped[theme_id]) for theme_id in order]


def challenge_map_svg(
    themes: list[tuple[str, str]],
    challenges: list[tuple[str, str, str]],
    prioritized: set[str],
    *,
    title: str,
    prioritized_label: str,
) -> str:
    """The utmaningskarta: themes as columns, challenges as cards, prioritized ones marked."""
    columns = _columns(themes, challenges)
    text_w = COL_W - 2 * CARD_PAD - 2 * 8
    body: list[str] = []
    desc_parts: list[str] = []
    bottom = PAD
    for index, (theme_title, cards) in enumerate(columns):
        x = PAD + index * (COL_W + COL_GAP)
        head_lines = wrap(theme_title, COL_W - 2 * CARD_PAD, HEAD_SIZE)
        y = PAD + CARD_PAD
        column: list[str] = [
            _lines(x + CARD_PAD, y + HEAD_SIZE, head_lines, size=HEAD_SIZE, weight="bold")
        ]
        y += len(head_lines) * LINE_H + CARD_GAP
        names: list[str] = []
        for challenge_id, challenge_title in cards:
            marked = challenge_id in prioritized
            lines = wrap(challenge_title, text_w)
            if marked:
                lines = [*lines, f"{MARKER} {prioritized_label}"]
            height = len(lines) * LINE_H + 2 * CARD_PAD - (LINE_H - FONT_SIZE)
            stroke = 3 if marked else 1
            column.append(
                f'<g><rect x="{x + 8:g}" y="{y:g}" width="{COL_W - 16:g}" height="{height:g}" '
                f'rx="4" fill="{PRIORITY_BG if marked else CARD_BG}" '
                f'stroke="{PRIORITY_BORDER if marked else CARD_BORDER}" '
                f'stroke-width="{stroke}"/>'
                + _lines(x + 8 + CARD_PAD, y + CARD_PAD + FONT_SIZE - 2, lines, size=FONT_SIZE,
                         weight="bold" if marked else "normal")
                + "</g>"
            )
            y += height + CARD_GAP
            names.append(f"{challenge_title} ({MARKER} {prioritized_label})" if marked
                         else challenge_title)
        column_h = y - PAD + CARD_PAD - CARD_GAP
        body.append(
            f'<g><rect x="{x:g}" y="{PAD:g}" width="{COL_W:g}" height="{column_h:g}" rx="6" '
            f'fill="{COLUMN_BG}" stroke="{CARD_BORDER}" stroke-width="1"/>{"".join(column)}</g>'
        )
        bottom = max(bottom, PAD + column_h)
        desc_parts.append(f"{theme_title}: {'; '.join(names)}." if names else f"{theme_title}.")
    width = PAD * 2 + max(1, len(columns)) * (COL_W + COL_GAP) - COL_GAP
    legend_y = bottom + PAD
    legend = (
        f'<g><rect x="{PAD:g}" y="{legend_y:g}" width="28" height="18" rx="3" '
        f'fill="{PRIORITY_BG}" stroke="{PRIORITY_BORDER}" stroke-width="3"/>'
        + _lines(PAD + 38, legend_y + 14, [f"{MARKER} {prioritized_label}"], size=FONT_SIZE,
                 weight="bold")
        + "</g>"
    )
    height = legend_y + 18 + PAD
    return (
        _svg_open(width, height)
        + _head(title, " ".join(desc_parts))
        + f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>'
        + "".join(body)
        + legend
        + "</svg>\n"
    )


# Layout of the timeline.
LABEL_W = 260
YEAR_W = 64
ROW_PAD = 8
BAR_H = 16
AXIS_H = 28


def timeline_svg(rows: list[tuple[str, int, int]], *, title: str, years: tuple[int, int]) -> str:
    """A year timeline: one bar per row (label, start year, end year), years inclusive."""
    first, last = min(years), max(years)
    span = last - first + 1
    width = PAD * 2 + LABEL_W + span * YEAR_W
    x0 = PAD + LABEL_W
    parts: list[str] = []
    y = PAD + AXIS_H
    desc: list[str] = []
    for label, start, end in rows:
        start, end = min(start, end), max(start, end)
        lines = wrap(label, LABEL_W - 12)
        row_h = max(1, len(lines)) * LINE_H + 2 * ROW_PAD
        parts.append(_lines(PAD, y + ROW_PAD + FONT_SIZE - 2, lines, size=FONT_SIZE))
        shown_start, shown_end = max(start, first), min(end, last)
        period = f"{start}–{end}" if end != start else f"{start}"
        if shown_start <= shown_end:
            bx = x0 + (shown_start - first) * YEAR_W + 4
            bw = (shown_end - shown_start + 1) * YEAR_W - 8
            parts.append(
                f'<rect x="{bx:g}" y="{y + ROW_PAD:g}" width="{bw:g}" '
                f'height="{BAR_H:g}" rx="3" fill="{BAR}">'
                f"<title>{_text(label)}: {period}</title></rect>"
            )
        parts.append(
            f'<line x1="{PAD:g}" x2="{width - PAD:g}" y1="{y + row_h:g}" y2="{y + row_h:g}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        desc.append(f"{label}: {period}.")
        y += row_h
    height = y + PAD
    axis: list[str] = []
    for offset in range(span):
        x = x0 + offset * YEAR_W
        axis.append(
            f'<line x1="{x:g}" x2="{x:g}" y1="{PAD:g}" y2="{y:g}" stroke="{GRID}" '
            f'stroke-width="0.5"/>'
            + _lines(x + YEAR_W / 2, PAD + FONT_SIZE + 2, [str(first + offset)],
                     size=FONT_SIZE, weight="bold", fill=MUTED, anchor="middle")
        )
    return (
        _svg_open(width, height)
        + _head(title, " ".join(desc))
        + f'<rect width="{width:g}" height="{height:g}" fill="#ffffff"/>'
        + "".join(axis)
        + "".join(parts)
        + "</svg>\n"
    )
