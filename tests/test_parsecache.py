"""The YAML parse cache: same content gives the same data, anything odd is a miss."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studsa.storage import fastload, parsecache
from studsa.storage.files import read_text
from studsa.storage.layout import KINDS
from studsa.storage.project import ProjectStore


def _big_rater_file(challenges: int = 400) -> str:
    lines = ["schema: studsa.bedomning/1", "rater: Anna", "assessments:"]
    for i in range(challenges):
        lines += [f"  - challenge: c{i:04d}", "    values:", "      k1: ja", "      k2: 2",
                  "    sources: []"]
    return "\n".join(lines) + "\n"


def _write_rater_file(project: Path) -> Path:
    folder = project / "3-prioritera" / "bedomningar"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "anna.yaml"
    path.write_text(_big_rater_file(), encoding="utf-8")
    return path


@pytest.fixture
def cache(cache_home: Path) -> Path:
    return cache_home / f"yaml-{parsecache.FORMAT}"


def test_a_big_text_is_cached_and_read_back_equal(cache: Path) -> None:
    text = _big_rater_file()
    data = fastload.fast_parse(text)
    parsecache.put("d" * 64, len(text), data)
    assert (cache / f"{'d' * 64}.pickle").exists()
    again = parsecache.get("d" * 64, len(text))
    assert again == data
    # typed plain scalars keep their kind (PlainScalar), not only their value
    value = again["assessments"][0]["values"]["k2"]
    assert type(value) is type(data["assessments"][0]["values"]["k2"])


def test_texts_under_the_size_limit_are_not_cached(cache: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsecache, "MIN_BYTES", 1000)
    parsecache.put("a" * 64, 100, {"x": "y"})
    assert parsecache.get("a" * 64, 100) is None
    assert not cache.exists()


def test_turned_off_by_environment(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDSA_CACHE", "0")
    parsecache.put("b" * 64, 10**6, {"x": "y"})
    assert not cache.exists()
    assert parsecache.cache_dir() is None


def test_a_corrupt_or_foreign_entry_is_a_miss(cache: Path) -> None:
    parsecache.put("c" * 64, 10**6, {"x": "y"})
    entry = cache / f"{'c' * 64}.pickle"
    entry.write_bytes(b"not a pickle")
    assert parsecache.get("c" * 64, 10**6) is None
    # an entry stored under another digest (renamed by hand) is not trusted
    parsecache.put("e" * 64, 10**6, {"x": "y"})
    (cache / f"{'e' * 64}.pickle").rename(entry)
    assert parsecache.get("c" * 64, 10**6) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_used(cache: Path) -> None:
    parsecache.put("f" * 64, 10**6, {"x": "y"})
    cache.chmod(0o777)
    try:
        assert parsecache.get("f" * 64, 10**6) is None
    finally:
        cache.chmod(0o700)
    assert parsecache.get("f" * 64, 10**6) == {"x": "y"}


def test_pruning_keeps_the_most_recent(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsecache, "MAX_ENTRIES", 6)
    monkeypatch.setattr(parsecache, "KEEP_AFTER_PRUNE", 3)
    for i in range(7):
        parsecache.put(f"{i:064d}", 10**6, {"i": str(i)})
        os.utime(cache / f"{i:064d}.pickle", (1000 + i, 1000 + i))
    parsecache.put("9" * 64, 10**6, {"i": "9"})
    left = sorted(p.stem for p in cache.glob("*.pickle"))
    assert len(left) <= 6
    assert "9" * 64 in left and f"{0:064d}" not in left


def test_reading_a_project_file_uses_and_fills_the_cache(cache: Path, tmp_path: Path,
                                                         new_project: Path) -> None:
    path = _write_rater_file(new_project)
    store = ProjectStore(new_project)

    first = store.read(KINDS["bedomning"], path)
    key = parsecache.model_key(read_text(path).digest, "bedomning")
    assert (cache / f"{key}.pickle").exists()
    second = store.read(KINDS["bedomning"], path)
    assert second.model == first.model
    assert second.model is not first.model  # each read gets its own objects to change
    # an edit is a new digest: the new text is parsed, never the old entry
    path.write_text(_big_rater_file().replace("k1: ja", "k1: nej", 1), encoding="utf-8")
    third = store.read(KINDS["bedomning"], path)
    assert third.model != first.model


def test_the_key_changes_with_the_code_and_the_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    key = parsecache.model_key("a" * 64, "bedomning")
    assert key != parsecache.model_key("a" * 64, "utmaningskarta")
    assert key != parsecache.model_key("b" * 64, "bedomning")
    monkeypatch.setattr(parsecache, "_FINGERPRINT", ["other code"])
    assert key != parsecache.model_key("a" * 64, "bedomning")


def test_an_entry_of_the_wrong_type_is_not_used(cache: Path, new_project: Path) -> None:
    path = _write_rater_file(new_project)
    key = parsecache.model_key(read_text(path).digest, "bedomning")
    parsecache.put(key, 10**6, {"not": "a model"})

    doc = ProjectStore(new_project).read(KINDS["bedomning"], path)
    assert doc.model.rater == "Anna"
    assert type(parsecache.get(key, 10**6)).__name__ == "Bedomning"  # replaced


def test_a_cached_model_is_unpickled_only_when_asked_for(cache: Path, new_project: Path
                                                         ) -> None:
    path = _write_rater_file(new_project)

    store = ProjectStore(new_project)
    first = store.read(KINDS["bedomning"], path)
    again = store.read(KINDS["bedomning"], path)
    assert again.__dict__["_model"] is fastload._UNPARSED  # header only, so far
    assert again.original_text == first.original_text and again.digest == first.digest
    assert again.model == first.model


def test_a_damaged_payload_behind_a_good_header_reads_the_text(cache: Path, new_project: Path
                                                               ) -> None:
    path = _write_rater_file(new_project)

    store = ProjectStore(new_project)
    first = store.read(KINDS["bedomning"], path)
    key = parsecache.model_key(read_text(path).digest, "bedomning")
    header = {"model": KINDS["bedomning"].model_path, "status": None, "version": None}
    parsecache.put(key, 10**6, ["not", "a", "model"], header)
    assert store.read(KINDS["bedomning"], path).model == first.model

