"""libyaml's events place a node exactly where the round-trip tree places it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studsa.resources import example_dir
from studsa.storage.fastlocate import fast_position
from studsa.storage.locate import position
from studsa.storage.yamlio import dump_yaml, parse_yaml


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path in ``node``, plus paths that leave it (a missing key, an index too far)."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, str(key)))
        found += [(*prefix, "no-such-key"), (*prefix, 0)]
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
        found += [(*prefix, len(node)), (*prefix, "key")]
    else:
        found.append((*prefix, "below-a-scalar"))
    return found


def _same_everywhere(text: str) -> None:
    tree = parse_yaml(text)
    for loc in _paths(tree):
        fast = fast_position(text, list(loc))
        assert fast is not None, loc
        assert fast == position(tree, list(loc)), loc


_KEYS = st.sampled_from(["id", "title", "år", "2021", "ja", "values", "a b", "x"])
_SCALARS = st.one_of(
    st.sampled_from(["ja", "nej", "0090", "1.10", "2020-06-10", "", "true", "~", "Å ä ö"]),
    st.text(alphabet="abcåäö :#-'\"\n", max_size=12),
    st.integers(-5, 3000),
)
_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS, _TREES, min_size=1, max_size=5))
def test_every_path_of_a_dumped_file_is_placed_alike(data: dict[str, Any]) -> None:
    _same_everywhere(dump_yaml(data))


@pytest.mark.parametrize("text", [
    "a: 1\nb:\n- x\n- y: 2\n  z: [1, {q: 3}]\nc: {d: e, f: [g]}\n",
    "# comment\n\nroot:\n  # note\n  list:\n    - one   # trailing\n    -   two\n",
    "s: |\n  block\n  text\nt: >\n  folded\nu: 'quoted: x'\nv: \"dq\\n\"\n",
    "- a\n- - b\n  - c\n- {k: v}\n",
    "plain scalar\n",
    "",
    "# only a comment\n",
    "k: ~\nnull: 1\n? complex\n: value\n",
    "år: Övrigt – ”citat”\nnästa: ✓ 3/3\n",
])
def test_hand_written_layouts_are_placed_alike(text: str) -> None:
    _same_everywhere(text)


def test_every_file_of_the_example_is_placed_alike() -> None:
    files = sorted(Path(example_dir("malmo")).rglob("*.yaml"))
    assert files
    for path in files:
        _same_everywhere(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",          # anchors and aliases: the round-trip loader judges them
    "a: !!str 1\n",              # a tag
    "? [a, b]\n: c\n",           # a collection as a key
    "a: [1, 2\n",                # malformed
])
def test_what_it_does_not_take_is_left_to_the_tree(text: str) -> None:
    assert fast_position(text, ["b", 0]) is None


def test_a_finding_is_located_without_the_round_trip_tree(example_project: Path) -> None:
    from studsa.storage.fastload import _UNPARSED, LazyDocument
    from studsa.validation import Findings
    from studsa.workflow.context import Workspace

    ws = Workspace.open(example_project)
    doc = ws.karta
    assert isinstance(doc, LazyDocument)
    findings = Findings()
    findings.at(doc, ["challenges", 2, "theme"], "a test finding")
    line, column = findings[0].line, findings[0].column
    assert doc.__dict__.get("_tree", _UNPARSED) is _UNPARSED  # no tree was parsed
    assert (line, column) == position(parse_yaml(doc.original_text or ""),
                                      ["challenges", 2, "theme"])
    assert line is not None and line > 1
