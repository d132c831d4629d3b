"""Start-up stays light, and the fast YAML paths give exactly what the round-trip ones do.

No timing assertions: the benchmark (benchmarks/run.py) measures time; these tests check
what is imported and what is read or written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import run_python
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studsa.storage.fastdump import fast_dump
from studsa.storage.fastload import fast_parse
from studsa.storage.merge import to_tree
from studsa.storage.yamlio import PlainScalar, dump_yaml, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ["jinja2", "ruamel", "pydantic", "openpyxl", "docx", "babel", "markdown_it", "yaml",
         "studsa.models", "studsa.storage", "studsa.workflow", "studsa.report"]


@pytest.mark.parametrize(("argv", "heavy"), [
    # Typer's rich help formatter imports rich.markdown, and with it markdown_it.
    (["--help"], [h for h in HEAVY if h != "markdown_it"]),
    (["--version"], HEAVY),
], ids=["help", "version"])
def test_start_up_does_not_import_heavy_modules(argv: list[str], heavy: list[str]) -> None:
    code = (
        "import sys\n"
        "from studsa.cli import app\n"
        f"try:\n    app({argv!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        f"heavy = {heavy!r}\n"
        "print(sorted(h for h in heavy if any(m == h or m.startswith(h + '.') "
        "for m in sys.modules)))\n"
    )
    stdout = run_python(code)
    assert stdout.strip().splitlines()[-1] == "[]"


def _plain(value: Any) -> Any:
    """A tree as comparable data: text marked as PlainScalar or not, dicts, lists."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return (isinstance(value, PlainScalar), str(value))
    return value


def _same_as_round_trip(text: str) -> bool:
    """Whether the fast path gives the round-trip result, or declines (None)."""
    fast = fast_parse(text)
    if fast is None:
        return True
    return _plain(fast) == _plain(parse_yaml(text))


def test_fast_read_of_every_example_file_equals_the_round_trip() -> None:
    files = sorted((ROOT / "examples").rglob("*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert fast_parse(text) is not None, f"{path} took the slow path"
        assert _same_as_round_trip(text), path


@pytest.mark.parametrize("text", [
    "a: yes\nb: no\nc: on\nd: y",
    "a: 0o17\nb: 017\nc: 0x1F\nd: 1_000\ne: .inf\nf: .5\ng: 1e3\nh: 0090\ni: 1.10",
    "a: ~\nb: null\nc:\nd: Null\ne: 'null'",
    "a: 2020-01-01\nb: 2020-01-01T10:00:00\nc: '2020-01-01'",
    "a: '1'\nb: \"true\"\nc: |\n  x\n  y\nd: >-\n  folded\n  text\n",
    "a: [1, 2, {b: c}]\nb: {}\nc: []",
    "a: x #c\nb: \"a #b\"\nc: value with * star",
    "a: 1:20\nb: 190:20:30\nc: \"\\x41\\u00e9\"",
])
def test_fast_read_keeps_plain_scalars_as_text(text: str) -> None:
    assert fast_parse(text) is not None
    assert _same_as_round_trip(text)


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x",            # anchors and aliases: refused by the round-trip path
    "a: 1\na: 2",                # duplicate key: named with its line by that path
    "<<: {a: 1}\nb: 2",          # merge key
    "a: !!str 5\nb: !foo x",     # explicit tags
    "%YAML 1.1\n---\na: yes",    # a directive changes how scalars resolve
    "a: b\n---\nc: d",           # two documents
    "a: [b\n",                   # malformed
    "a:\n\t- b\n",               # a tab
    "- " * 100 + "x\n",          # nesting over the limit
])
def test_fast_read_leaves_the_unusual_to_the_round_trip_path(text: str) -> None:
    assert fast_parse(text) is None


_SCALARS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["ja", "yes", "true", "0090", "1.10", "2020-01-01", "a: b", "- x", "#c",
                     "x #y", "", " ", "null", "~", "it's", '"q"', "[a]", "@x", "é", "a\tb",
                     "two\nlines", "\u2028", "=", "<<"]),
    st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
)
_KEYS = st.one_of(st.text(max_size=8), st.sampled_from(["id", "in", "yes", "1", "null", "-x"]))
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner,
                                                                         max_size=3)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(_KEYS, _TREES, min_size=1, max_size=5))
def test_fast_dump_writes_what_the_round_trip_emitter_writes(data: dict[str, Any]) -> None:
    tree = to_tree(data)
    text = dump_yaml(tree)
    fast = fast_dump(tree)
    assert fast is None or fast == text
    assert _same_as_round_trip(text)
