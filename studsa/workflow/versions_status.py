"""Versions' contribution to ``studsa status``: hand-edited decided files, broken frozen ones.

Apart from ``versions.py`` (decide, revise, diff, which load more) so that ``studsa status``
loads only ``frozen``; ``versions`` re-exports ``status_notes``.
"""

from __future__ import annotations

from typing import Any

from studsa.workflow.context import Workspace
from studsa.workflow.frozen import decided_drift, verify


def status_notes(ws: Workspace) -> list[Any]:
    """Notes for ``studsa status``: hand-edited decided files and broken frozen versions."""
    from studsa.workflow.status import StatusNote

    notes = [StatusNote("warning", f"{d.doc.display}: {d.message}", "versions")
             for d in decided_drift(ws)]
    broken = verify(ws).broken
    if broken:
        names = ", ".join(f"{f.file} ({f.state})" for f in broken)
        notes.append(StatusNote("warning", f"frozen decided versions were altered: {names}; "
                                "`studsa verify` lists them", "versions"))
    return notes
