"""A bytecode cache for report templates, so each template is compiled once per content.

Compiling the seven report templates takes Jinja about 0.2 s, on every ``studsa render``.
Jinja can keep the compiled code of a template and use it again while the template's text
is unchanged (its ``FileSystemBytecodeCache``); this module configures that safely:

- Where: ``jinja-N/`` beside the parse cache, in ``STUDSA_CACHE_DIR`` or
  ``platformdirs.user_cache_dir("studsa")``; ``STUDSA_CACHE=0`` turns it off. Nothing is
  written inside the project.
- Key: the template's name and file, plus a fingerprint of everything that changes the
  compiled code: the Jinja version, the environment's class (the sandbox compiles its
  calls differently), its syntax and whitespace options and its filter names. Python's
  version is in Jinja's own header. An entry is used only when the sha256 of the template's
  text matches, so an edited template is compiled again.
- Safety: entries hold code, so they are read only from a folder owned by this user and
  writable by no one else. Any failure to read or write an entry is a miss, never an error;
  the oldest entries are pruned past ``MAX_ENTRIES``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import Any

from jinja2 import __version__ as jinja_version
from jinja2.bccache import Bucket, FileSystemBytecodeCache

# Bump when the way entries are keyed or written changes.
FORMAT = 1
PATTERN = "%s.jinja"
MAX_ENTRIES = 256
KEEP_AFTER_PRUNE = 192


def cache_dir() -> Path | None:
    """The folder of compiled templates, or None when caching is turned off."""
    from studsa.storage.parsecache import cache_root

    root = cache_root()
    return None if root is None else root / f"jinja-{FORMAT}"


def fingerprint(env: Any) -> str:
    """Everything about ``env`` that changes the code a template compiles to."""
    parts = [
        f"studsa-jinja-{FORMAT}", f"jinja2-{jinja_version}",
        f"{type(env).__module__}.{type(env).__qualname__}", f"sandboxed={env.sandboxed}",
        f"autoescape={env.autoescape!r}", f"optimized={env.optimized}",
        f"async={env.is_async}",
        *(f"{key}={getattr(env, key)!r}" for key in (
            "block_start_string", "block_end_string", "variable_start_string",
            "variable_end_string", "comment_start_string", "comment_end_string",
            "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
            "newline_sequence", "keep_trailing_newline")),
        "extensions=" + ",".join(sorted(env.extensions)),
        "filters=" + ",".join(sorted(env.filters)),
        "tests=" + ",".join(sorted(env.tests)),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


class TemplateCodeCache(FileSystemBytecodeCache):
    """Jinja's file-system bytecode cache, keyed by the environment and failing softly."""

    def __init__(self, folder: Path, env_fingerprint: str) -> None:
        super().__init__(str(folder), PATTERN)
        self.folder = folder
        self.env_fingerprint = env_fingerprint
        self._usable: bool | None = None

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        """The entry of ``name`` (from ``filename``) compiled by this environment."""
        key = hashlib.sha256(self.env_fingerprint.encode("utf-8"))
        key.update(b"\0" + name.encode("utf-8") + b"\0" + (filename or "").encode("utf-8"))
        return key.hexdigest()

    def get_source_checksum(self, source: str) -> str:
        """The sha256 of the template's text; an entry is used only when it matches."""
        return hashlib.sha256(source.encode("utf-8")).hexdigest()

    def _ready(self, create: bool) -> bool:
        if self._usable:
            return True
        if create:
            with contextlib.suppress(OSError):
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        from studsa.storage.parsecache import is_private

        self._usable = is_private(self.folder)
        return self._usable

    def load_bytecode(self, bucket: Bucket) -> None:
        """Fill ``bucket`` from its entry; anything unreadable or foreign is a miss."""
        if not self._ready(create=False):
            return
        try:
            super().load_bytecode(bucket)
        except Exception:  # a partial or foreign entry is a miss
            bucket.reset()
            return
        if bucket.code is not None:
            with contextlib.suppress(OSError):
                os.utime(self._get_cache_filename(bucket))  # recently used: pruned last

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep ``bucket``'s code (best effort, never raises)."""
        if not self._ready(create=True):
            return
        try:
            super().dump_bytecode(bucket)
            _prune(self.folder)
        except Exception:  # the cache is an optimisation only
            return


def _prune(folder: Path) -> None:
    """Remove the least recently used entries when there are more than ``MAX_ENTRIES``."""
    from studsa.storage.parsecache import prune

    prune(folder, PATTERN % "*", MAX_ENTRIES, KEEP_AFTER_PRUNE)


def attach(env: Any) -> None:
    """Give ``env`` a bytecode cache (unless caching is off); call after adding filters."""
    folder = cache_dir()
    if folder is not None:
        env.bytecode_cache = TemplateCodeCache(folder, fingerprint(env))
