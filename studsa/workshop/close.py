"""Closing a session: the ``studsa select`` command the revealed ranking offers."""

from __future__ import annotations

import shlex
from pathlib import Path

from studsa.workflow.minutes import made_at_text
from studsa.workshop.reveal import Reveal


def shortlist(shown: Reveal) -> list[str]:
    """The challenges inside the cut line of the last reveal, in ranking order."""
    return [line.id for line in shown.ranking if line.inside]


def select_command(stem: str, shown: Reveal, project: Path | None = None) -> str:
    """``studsa select a b c --made-at 'workshop 2026-06-16'``: the room's shortlist,
    recorded as made at this session (``project``: the ``-p`` folder, when not here)."""
    words = ["studsa", "select", *shortlist(shown), "--made-at", made_at_text(stem)]
    if project is not None:
        words += ["-p", str(project)]
    return shlex.join(words)
