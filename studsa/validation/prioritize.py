"""Cross-reference checks of this area (filled in by its feature work)."""

from __future__ import annotations

from typing import Any

from studsa.validation import Findings


def check(ws: Any, findings: Findings) -> None:
    """Add this area's findings for the project open in ``ws``."""
