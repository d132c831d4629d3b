"""The one YAML reader (``storage.reader``, libyaml) held against ruamel's round trip.

ruamel is what studsa writes with, so what the reader gives for any text the writer
writes, and for every bundled file, must be what ruamel reads back: the same values (plain
scalars kept as text) and the same line and column for every key and item.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import run_python
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from studsa.errors import InputError
from studsa.storage import positions, reader
from studsa.storage.merge import to_tree
from studsa.storage.reader import PlainScalar
from studsa.storage.yamlio import dump_yaml, parse_tree

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted([*(ROOT / "examples").rglob("*.yaml"), *(ROOT / "tests").rglob("*.yaml")])


def _plain(value: Any) -> Any:
    """A tree as comparable data: text marked as PlainScalar or not, dicts, lists."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return (isinstance(value, PlainScalar), str(value))
    return value


def _ruamel_positions(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, Any]]:
    """(path, (line, column)) of every key and item, as ruamel's tree records them."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            try:
                line, column = node.lc.key(key)
            except KeyError:  # a key a merge (<<) brought in has no place of its own
                continue
            yield (*path, key), (line + 1, column + 1)
            yield from _ruamel_positions(value, (*path, key))
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            line, column = node.lc.item(i)
            yield (*path, i), (line + 1, column + 1)
            yield from _ruamel_positions(value, (*path, i))


def _agrees(text: str) -> None:
    tree = parse_tree(text)
    assert _plain(reader.parse(text)) == _plain(tree)
    index = positions.positions(text)
    for path, where in _ruamel_positions(tree):
        assert positions.locate(index, path) == where, path


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_bundled_file_reads_as_ruamel_reads_it(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    if "&" in text and path.name == "cases.yaml":
        pytest.skip("the corpus describes hostile files; it is not one itself")
    _agrees(text)


@pytest.mark.parametrize("text", [
    "a: yes\nb: no\nc: on\nd: y",
    "a: 0o17\nb: 017\nc: 0x1F\nd: 1_000\ne: .inf\nf: .5\ng: 1e3\nh: 0090\ni: 1.10",
    "a: ~\nb: null\nc:\nd: Null\ne: 'null'",
    "a: 2020-01-01\nb: 2020-01-01T10:00:00\nc: '2020-01-01'",
    "a: '1'\nb: \"true\"\nc: |\n  x\n  y\nd: >-\n  folded\n  text\n",
    "a: [1, 2, {b: c}]\nb: {}\nc: []",
    "a: x #c\nb: \"a #b\"\nc: value with * star",
    "a: 1:20\nb: 190:20:30\nc: \"\\x41\\u00e9\"",
    "%YAML 1.2\n---\na: 1\n",
    "<<: {a: 1}\nb: 2",
])
def test_plain_scalars_stay_text_as_in_the_round_trip(text: str) -> None:
    _agrees(text)


@pytest.mark.parametrize(("text", "message", "where"), [
    ("a: &x 1\nb: *x", "anchors and aliases", (1, 4)),
    ("a: 1\na: 2", 'duplicate key "a"', (2, 1)),
    ("a: !!str 5", "YAML tags like !!str", (1, 4)),
    ("a: b\n---\nc: d", "second YAML document", (2, 1)),
    ("a: [b\n", "expected ',' or ']', but got the end of the file", (2, 1)),
    ("a:\n\tb: 1\n", "a tab character is used for indentation", (2, 1)),
    ("a: b: c\n", "a ':' is not allowed here", (1, 5)),
    ("- " * 100 + "x\n", "limit of 64 levels", None),
    ("? [a, b]\n: x\n", "keys should be strings", None),
])
def test_what_studsa_files_may_not_hold_is_refused_where_it_is(
        text: str, message: str, where: tuple[int, int] | None) -> None:
    with pytest.raises(InputError) as caught:
        reader.parse(text, "f.yaml")
    assert message in caught.value.message
    if where is not None:
        assert (caught.value.line, caught.value.column) == where


_SCALARS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["ja", "yes", "true", "0090", "1.10", "2020-01-01", "a: b", "- x", "#c",
                     "x #y", "", " ", "null", "~", "it's", '"q"', "[a]", "@x", "é", "a\tb",
                     "two\nlines", "\u2028", "<<x", "1e3", ".inf"]),
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
def test_whatever_studsa_writes_the_reader_reads_as_ruamel_does(data: dict[str, Any]) -> None:
    _agrees(dump_yaml(to_tree(data)))


def test_python_parser_reads_what_libyaml_reads() -> None:
    text = (ROOT / "examples" / "malmo" / "2-identifiera" / "utmaningskarta.yaml").read_text(
        encoding="utf-8")
    builder = reader._Builder(reader.yaml.SafeLoader(text).get_event, None)
    assert builder.run() == reader.parse(text)


def test_read_only_commands_never_import_ruamel(example_project: Path) -> None:
    code = (
        "import sys\n"
        "from studsa.cli import app\n"
        "for argv in (['status'], ['validate'], ['score'], ['render', '--format', 'md']):\n"
        "    try:\n        app(argv, standalone_mode=False)\n"
        "    except SystemExit:\n        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('ruamel')}))\n"
    )
    assert run_python(code, cwd=example_project).strip().splitlines()[-1] == "[]"


_HOSTILE = {
    # a 9 MiB line, an 8.5 MB block scalar, a 140,000-item flow list and block list
    "long-line": ("a: b\n# " + "x" * (9 * 1024 * 1024) + "\n", "the line is", (2, 100_001)),
    "long-block-scalar": ("a: b\nc: |\n" + ("  " + "y" * 80 + "\n") * 105_000,
                          "over the limit of 1,000,000", (2, 4)),
    "wide-flow-list": ("a: [" + ",".join(["1"] * 140_000) + "]\n", "the line is", (1, 100_001)),
    "long-block-list": ("a:\n" + "- x\n" * 140_000, "the list holds 140,000 items", (2, 1)),
}


@pytest.mark.parametrize("name", list(_HOSTILE))
def test_hostile_sizes_are_refused_quickly_where_they_are(name: str) -> None:
    import time

    text, phrase, where = _HOSTILE[name]
    start = time.process_time()
    with pytest.raises(InputError) as caught:
        reader.parse(text, "f.yaml")
    spent = time.process_time() - start
    assert phrase in caught.value.message
    assert (caught.value.line, caught.value.column) == where
    assert spent < 0.5, f"{name} took {spent:.2f} s of CPU to refuse"
