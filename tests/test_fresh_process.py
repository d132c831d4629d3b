"""Each main command run as the console script does: a fresh interpreter, lazy imports.

In-process tests share one interpreter in which everything is already imported; a real
run (one command, nothing loaded yet) is checked here: it works, it reads each file once,
and it leaves nothing behind outside the project (no cache folder anywhere).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

COMMANDS = [
    ["status"], ["validate"], ["score"], ["score", "--json", "--sensitivity"],
    ["render", "--format", "md", "--out", "out"], ["render", "--format", "docx", "--out", "out"],
    ["render", "--format", "html", "--out", "out"], ["export", "--format", "json"],
    ["history"], ["verify"],
]

# Count every file the command opens (Python's audit hook, no patching), then run it.
RUN = """
import collections, json, os, sys
opened = collections.Counter()
here = os.getcwd() + os.sep
def hook(event, args):
    if (event == "open" and isinstance(args[0], str) and args[1] in (None, "r", "rb")
            and os.path.abspath(args[0]).startswith(here) and os.path.isfile(args[0])):
        opened[os.path.relpath(args[0])] += 1
sys.addaudithook(hook)
sys.argv = ["studsa", *json.loads(sys.argv[1])]
from studsa.__main__ import main
try:
    main()
finally:
    sys.stderr.write("\\nOPENED " + json.dumps(opened) + "\\n")
"""


def _run(argv: list[str], cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
           "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-c", RUN, json.dumps(argv)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: " ".join(argv))
def test_command_in_a_fresh_interpreter_reads_each_file_once(
        example_project: Path, tmp_path: Path, argv: list[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    result = _run(argv, example_project, home)
    said = result.stderr.rpartition("OPENED ")[0]
    assert result.returncode in (0, 1), said
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    opened = json.loads(result.stderr.rpartition("OPENED ")[2])
    assert opened, "the command read no project file"
    assert {path: n for path, n in opened.items() if n > 1} == {}
    assert list(home.rglob("*")) == []  # no cache or anything else in the user's home
