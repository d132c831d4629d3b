"""Phase 2's contribution to ``studsa status``: the next step and notes.

Apart from ``identify.py`` so that ``studsa status`` loads only what it asks
(``identify`` re-exports both).
"""

from __future__ import annotations

from typing import Any


def next_step(ws: Any) -> str | None:
    """The next thing to do in phase 2, or None when the map has themes and challenges."""
    karta = ws.karta.model
    if not karta.themes:
        return ("add the themes of the challenge map (phase 2, identifiera) with "
                "`studsa theme add TITLE`")
    if not karta.challenges:
        return ("add challenges with `studsa challenge add TITLE --theme THEME` or import "
                "them with `studsa challenge import FILE.csv`")
    return None


def status_notes(ws: Any) -> list[Any]:
    """Notes for ``studsa status``: challenges with no evidence behind them."""
    from studsa.workflow.status import StatusNote

    karta = ws.karta.model
    bare = [c.id for c in karta.challenges if not c.sources and c.out_of_scope is None]
    if not karta.challenges or not bare:
        return []
    shown = ", ".join(bare[:5]) + (", …" if len(bare) > 5 else "")
    return [StatusNote(
        "info",
        f"{len(bare)} challenge(s) cite no source ({shown}); add the evidence with "
        "`studsa challenge edit ID --add-source SRC`",
        "identify",
    )]
