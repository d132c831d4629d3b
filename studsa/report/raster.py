"""SVG → PNG for the figures in Word, with CairoSVG (the optional ``studsa[figures]`` extra).

Word shows SVG only in recent versions and LibreOffice not reliably, so every figure goes in
as a PNG. CairoSVG needs the cairo system library; without it the Word files are written
without their figures and the caller says so once (``missing()``).
"""

from __future__ import annotations

from functools import cache

INSTALL_HINT = "pip install 'studsa[figures]'"
SCALE = 2.0
"""Pixels per SVG px: the map (about 720 px wide) prints sharp at 16 cm (≈ 230 dpi)."""


@cache
def missing() -> str | None:
    """Why SVG cannot be rasterised here (None when CairoSVG loads)."""
    try:
        import cairosvg  # noqa: F401
    except ImportError as exc:
        return str(exc) or type(exc).__name__
    except OSError as exc:  # cairocffi raises OSError when libcairo is missing
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def to_png(svg: str) -> bytes | None:
    """The SVG as PNG bytes at ``SCALE``, or None when CairoSVG is not available."""
    if missing() is not None:
        return None
    import cairosvg

    data = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=SCALE, unsafe=False)
    return bytes(data) if data is not None else None
