"""``StatusNote``: something the user should know or do, as each phase reports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class StatusNote:
    """Something the user should know or do, shown under the phase table of ``status``."""

    level: Literal["todo", "warning", "info"]
    message: str
    area: str = ""
