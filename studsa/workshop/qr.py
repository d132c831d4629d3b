"""QR codes for the printable sheet (segno, an SVG string; no image files, nothing fetched)."""

from __future__ import annotations

import io


def qr_svg(text: str, scale: int = 4) -> str:
    """An inline SVG of a QR code for ``text`` (no XML declaration, no size attributes)."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=scale, xmldecl=False,
                                     svgns=True, nl=False, svgclass="qr", lineclass=None,
                                     omitsize=False)
    return out.getvalue().decode("utf-8")
