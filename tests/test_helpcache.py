"""`studsa --help` replayed: the same bytes as drawn, and drawn afresh when anything differs."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest
from conftest import run_python

from studsa import helpcache

_HELP = (
    "import sys\n"
    "sys.argv = ['studsa', '--help']\n"
    "from studsa.__main__ import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "sys.stdout.flush()\n"
    "print('LOADED', [m for m in ('typer', 'rich') if m in sys.modules])\n"
)


def _help(cache: Path, columns: int = 100, cache_on: bool = True) -> tuple[str, str]:
    code = (f"import os\nos.environ['STUDSA_CACHE_DIR'] = {str(cache)!r}\n"
            f"os.environ['COLUMNS'] = '{columns}'\n"
            + ("" if cache_on else "os.environ['STUDSA_CACHE'] = '0'\n") + _HELP)
    out = run_python(code)
    text, _, loaded = out.rpartition("LOADED ")
    return text, loaded.strip()


def test_the_second_help_is_the_same_bytes_without_typer_or_rich(tmp_path: Path) -> None:
    first, loaded_first = _help(tmp_path)
    second, loaded_second = _help(tmp_path)
    assert "Usage: studsa" in first
    assert second == first
    assert loaded_first == "['typer', 'rich']"
    assert loaded_second == "[]"
    assert _help(tmp_path, cache_on=False)[0] == first


def test_another_terminal_width_is_drawn_afresh(tmp_path: Path) -> None:
    wide, _ = _help(tmp_path, columns=100)
    narrow, loaded = _help(tmp_path, columns=60)
    assert narrow != wide
    assert loaded == "['typer', 'rich']"
    assert narrow == _help(tmp_path, columns=60, cache_on=False)[0]
    assert _help(tmp_path, columns=100)[1] == "[]"


def test_turned_off_by_environment(tmp_path: Path) -> None:
    _help(tmp_path, cache_on=False)
    assert not (tmp_path / f"help-{helpcache.FORMAT}").exists()


@pytest.fixture
def help_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STUDSA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("STUDSA_CACHE", raising=False)
    return tmp_path / f"help-{helpcache.FORMAT}"


class _Stream(io.StringIO):
    """A text stream with a binary buffer, as sys.stdout has."""

    def __init__(self) -> None:
        super().__init__()
        self.buffer = io.BytesIO()

    def isatty(self) -> bool:
        return False


def _record(monkeypatch: pytest.MonkeyPatch, body: object) -> _Stream:
    out = _Stream()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    try:
        with helpcache.recording(["--help"]):
            body()  # type: ignore[operator]
    except SystemExit:
        pass
    return out


@pytest.mark.skipif(os.name == "nt", reason="not used on Windows")
@pytest.mark.parametrize("outcome", ["ok", "exit 0", "exit 2", "stderr", "error", "nothing"])
def test_only_a_help_that_ended_well_is_kept(help_cache: Path, outcome: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def body() -> None:
        if outcome != "nothing":
            sys.stdout.write("the help\n")
        if outcome == "stderr":
            sys.stderr.write("a warning\n")
        if outcome.startswith("exit"):
            raise SystemExit(int(outcome[-1]))
        if outcome == "error":
            raise RuntimeError("boom")

    try:
        out = _record(monkeypatch, body)
    except RuntimeError:
        out = None
    kept = help_cache.exists() and any(help_cache.glob("*.out"))
    assert kept == (outcome in ("ok", "exit 0"))
    if kept:
        assert out is not None and out.getvalue() == "the help\n"
        replayed = _Stream()
        monkeypatch.setattr(sys, "stdout", replayed)
        assert helpcache.replay(["--help"])
        assert replayed.buffer.getvalue() == b"the help\n"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_replayed(help_cache: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _record(monkeypatch, lambda: sys.stdout.write("the help\n"))
    help_cache.chmod(0o777)
    monkeypatch.setattr(sys, "stdout", _Stream())
    assert not helpcache.replay(["--help"])
