"""The README's tour runs as written: every block, in order, in a fresh folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def tour_blocks() -> list[str]:
    """The bash blocks of the README's section "A tour", in order."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## A tour")
    end = text.index("\n## ", start + 1)
    return re.findall(r"```bash\n(.*?)```", text[start:end], flags=re.S)


def test_the_tour_has_blocks() -> None:
    blocks = tour_blocks()
    assert len(blocks) >= 5
    assert "studsa init" in blocks[0]
    assert any("studsa decide" in b for b in blocks)


def _shim(folder: Path) -> Path:
    """A ``studsa`` on PATH that runs this checkout with this interpreter."""
    bin_dir = folder / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "studsa"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -c "
                    "'import sys; from studsa.cli import main; sys.argv[0] = \"studsa\"; main()' "
                    '"$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    return bin_dir


@pytest.mark.skipif(sys.platform == "win32", reason="the tour is a bash session")
def test_readme_tour_runs_block_by_block(tmp_path: Path) -> None:
    bin_dir = _shim(tmp_path)
    here = tmp_path / "fresh"
    here.mkdir()
    cwd_file = tmp_path / "cwd"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONPATH": str(README.parent), "COLUMNS": "100", "NO_COLOR": "1"}
    env.pop("STUDSA_LANG", None)
    for number, block in enumerate(tour_blocks(), start=1):
        # One shell per block, stopping at its first failing command; the folder it ends
        # in (after `cd skolvag`) is where the next block starts.
        script = f"set -eu\n{block}\npwd > {cwd_file}\n"
        done = subprocess.run(["bash", "-c", script], cwd=here, env=env, capture_output=True,
                              text=True, timeout=300, check=False)
        assert done.returncode == 0, (
            f"README tour block {number} failed (exit {done.returncode}):\n{block}\n"
            f"--- stdout\n{done.stdout[-2000:]}\n--- stderr\n{done.stderr[-2000:]}")
        here = Path(cwd_file.read_text(encoding="utf-8").strip())
    assert (here / "studsa.yaml").is_file()
    assert (here / "3-prioritera" / "versions" / "strategi.v1.yaml").is_file()
