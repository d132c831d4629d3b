"""Remiss's contribution to ``studsa status``: answers still missing, points not responded to.

A project without a remiss round gets no notes, so the remiss use cases (and the models of a
round) are loaded only when a round file exists.
"""

from __future__ import annotations

from typing import Any

from studsa.models.remiss_kind import REMISS


def status_notes(ws: Any) -> list[Any]:
    """The notes of ``workflow.remiss.status_notes``; none without a round file."""
    if not ws.store.files(REMISS):
        return []
    from studsa.workflow.remiss import status_notes as notes

    return notes(ws)
