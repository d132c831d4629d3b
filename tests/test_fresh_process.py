"""Each main command run as the console script does: a fresh interpreter, lazy imports.

In-process tests share one interpreter in which everything is already imported; the lazy
imports of a real run (one command, nothing loaded yet) are checked here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("argv", [
    ["status"], ["validate"], ["score"], ["score", "--json", "--sensitivity"],
    ["render", "--format", "md", "--out", "out"], ["export", "--format", "json"],
], ids=lambda argv: " ".join(argv))
def test_command_in_a_fresh_interpreter(example_project: Path, argv: list[str]) -> None:
    for _ in range(2):  # the second run reads what the first left in the parse cache
        result = subprocess.run([sys.executable, "-m", "studsa", *argv], cwd=example_project,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode in (0, 1), result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
