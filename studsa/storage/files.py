"""Reading and writing project files safely: limits, encodings, atomic replace, locking."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studsa.errors import ConflictError, InputError, WriteError
from studsa.storage.gate import check_write

MAX_FILE_BYTES = 10 * 1024 * 1024
LOCK_NAME = ".studsa.lock"
LOCK_TIMEOUT_SECONDS = 30.0
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RawText:
    """A text file as read: decoded text with ``\\n`` newlines, and how to write it back."""

    text: str
    digest: str
    bom: bool = False
    newline: str = "\n"


def sha256_bytes(data: bytes) -> str:
    """Return the hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """Return the sha256 of a file's bytes, or None when it does not exist."""
    try:
        return sha256_bytes(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as err:
        raise WriteError(
            f"cannot read the file to check that it did not change ({_reason(err)}); "
            "nothing was written",
            path=path,
        ) from None


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def read_bytes(path: Path, display: str | Path | None = None) -> bytes:
    """Read a file's bytes, refusing folders, unreadable and oversized files."""
    shown = display if display is not None else path
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", path=shown) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror}", path=shown) from None
    if path.is_dir():
        raise InputError("expected a file but found a folder", path=shown)
    if not path.is_file():
        # A FIFO or a device would block or never end; only regular files are read.
        raise InputError("expected a regular file (this is a pipe or a device)", path=shown)
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"the file is {size:,} bytes, over the size limit of "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB ({MAX_FILE_BYTES:,} bytes)",
            path=shown,
        )
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError("cannot read the file: permission denied", path=shown) from None
    except OSError as err:
        raise InputError(f"cannot read the file: {err.strerror}", path=shown) from None


def decode_text(data: bytes, display: str | Path | None) -> RawText:
    """Decode UTF-8 bytes (with or without BOM, LF or CRLF) into ``RawText``."""
    digest = sha256_bytes(data)
    bom = data.startswith(_BOM)
    body = data[len(_BOM) :] if bom else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _line_col(body, err.start)
        raise InputError(
            "the file is not valid UTF-8 (save it as UTF-8 in your editor)",
            path=display,
            line=line,
            column=column,
        ) from None
    if "\x00" in text:
        raise InputError("the file contains NUL bytes; it is not a text file", path=display)
    newline = "\r\n" if "\r\n" in text else "\n"
    if newline == "\r\n":
        text = text.replace("\r\n", "\n")
    return RawText(text=text, digest=digest, bom=bom, newline=newline)


def read_text(path: Path, display: str | Path | None = None) -> RawText:
    """Read and decode a text file with every safety check."""
    shown = display if display is not None else path
    return decode_text(read_bytes(path, shown), shown)


def encode_text(text: str, *, bom: bool = False, newline: str = "\n") -> bytes:
    """Encode text for writing, restoring the file's BOM and line endings."""
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode("utf-8")
    return _BOM + data if bom else data


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk, so a rename survives a power cut (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _temp_pattern(name: str) -> re.Pattern[str]:
    # The names ``tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")`` makes.
    return re.compile(rf"^\.{re.escape(name)}\.[A-Za-z0-9_]{{8}}\.tmp$")


def stale_temp_files(path: Path) -> list[Path]:
    """Temporary files a killed writer of ``path`` left beside it (``.<name>.XXXXXXXX.tmp``)."""
    pattern = _temp_pattern(path.name)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    return sorted(
        Path(entry.path)
        for entry in entries
        if pattern.match(entry.name) and entry.is_file(follow_symlinks=False)
    )


def remove_stale_temp_files(path: Path) -> list[Path]:
    """Remove what ``stale_temp_files`` finds; call it only while holding the project lock."""
    removed = []
    for tmp in stale_temp_files(path):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def _reason(err: OSError) -> str:
    if err.errno in {errno.ENOSPC, errno.EDQUOT}:
        return "the disk is full"
    if isinstance(err, PermissionError) or err.errno in {errno.EACCES, errno.EPERM}:
        return "permission denied"
    if err.errno == errno.EROFS:
        return "the file system is read-only"
    return err.strerror or str(err)


def stage_bytes(
    path: Path,
    data: bytes,
    *,
    expected_digest: str | None = None,
    check_stale: bool = False,
    display: str | Path | None = None,
    within: Sequence[Path] | None = None,
) -> Path:
    """The first half of an atomic write: ``data`` in a temporary file beside ``path``.

    The write gate and the stale check (see ``atomic_write_bytes``) run first; the
    temporary (``.<name>.XXXXXXXX.tmp``, a name every loader ignores) is flushed to disk
    and given the file's mode. Returns its path; on any failure no temporary is left.
    """
    shown = display if display is not None else path
    check_write(path, within or (), shown)
    if path.is_dir():
        raise WriteError("cannot write the file: a folder has its name", path=shown)
    if check_stale:
        check_not_stale(path, expected_digest, shown)
    folder = path.parent
    existed = path.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise WriteError(write_failure(err, existed), path=shown) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(path.stat().st_mode) if existed else 0o644
            tmp.chmod(mode)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteError(write_failure(err, existed), path=shown) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def write_failure(err: OSError, existed: bool) -> str:
    """The sentence for a failed write: why, and that nothing changed."""
    unchanged = "the old content is unchanged" if existed else "nothing was written"
    return f"cannot write the file ({_reason(err)}); {unchanged}"


def atomic_write_bytes(
    path: Path,
    data: bytes,
    *,
    expected_digest: str | None = None,
    check_stale: bool = False,
    display: str | Path | None = None,
    within: Sequence[Path] | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically: temp file, fsync, ``os.replace``, fsync folder.

    ``within``: the folders the file must lie in, links resolved (the project, an ``--out``
    folder); the write gate (``storage.gate``) refuses anything else before a byte is written.

    With ``check_stale``, the file's current hash must equal ``expected_digest`` (None means
    the file must not exist yet); otherwise ``ConflictError`` and nothing is written. A
    symbolic link is never written through. On any failure the old file is left as it was.
    Several files that must change together go through ``storage.together`` instead.
    """
    shown = display if display is not None else path
    existed = path.exists()
    tmp = stage_bytes(path, data, expected_digest=expected_digest, check_stale=check_stale,
                      display=display, within=within)
    try:
        if check_stale:
            # Once more just before replacing: an editor may have saved meanwhile.
            check_not_stale(path, expected_digest, shown)
        os.replace(tmp, path)  # noqa: PTH105
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise WriteError(write_failure(err, existed), path=shown) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def check_not_stale(path: Path, expected_digest: str | None, shown: str | Path) -> None:
    """Refuse (``ConflictError``) when ``path`` is no longer what was read (None: absent)."""
    current = file_digest(path)
    if current != expected_digest:
        what = "was created" if expected_digest is None else "changed on disk"
        raise ConflictError(
            f"the file {what} after studsa read it (another program or person saved "
            "it); nothing was written, run the command again",
            path=shown,
        )


@contextlib.contextmanager
def project_lock(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the project's write lock (re-entrant within a process)."""
    from filelock import FileLock, Timeout

    lock = _locks.get(root)
    if lock is None:
        lock = FileLock(str(root / LOCK_NAME), timeout=timeout)
        _locks[root] = lock
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise ConflictError(
            f"another studsa command is writing to this project (waited {timeout:.0f} s); "
            "try again when it has finished",
            path=root / LOCK_NAME,
        ) from None
    except OSError as err:
        raise WriteError(
            f"cannot take the project's write lock ({_reason(err)}); nothing was written",
            path=root / LOCK_NAME,
        ) from None
    try:
        yield
    finally:
        lock.release()


_locks: dict[Path, Any] = {}
