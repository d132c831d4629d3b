"""The append-only ballot journal: whole entries survive, a torn last line is dropped."""

from __future__ import annotations

from pathlib import Path

from studsa.storage.journal import append_entry, read_journal


def test_entries_come_back_in_order(tmp_path: Path) -> None:
    path = tmp_path / "j" / "a.jsonl"
    for n in range(5):
        append_entry(path, {"n": n, "text": "åäö"})
    assert [e["n"] for e in read_journal(path)] == [0, 1, 2, 3, 4]


def test_a_torn_last_line_is_dropped_and_the_file_repaired(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    append_entry(path, {"n": 1})
    append_entry(path, {"n": 2})
    whole = path.read_bytes()
    path.write_bytes(whole + b'{"n": 3, "te')
    assert [e["n"] for e in read_journal(path)] == [1, 2]
    assert path.read_bytes() == whole
    append_entry(path, {"n": 3})
    assert [e["n"] for e in read_journal(path)] == [1, 2, 3]


def test_no_journal_is_empty(tmp_path: Path) -> None:
    assert read_journal(tmp_path / "none.jsonl") == []
