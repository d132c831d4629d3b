"""Ids: short slugs derived from titles, unique within a project."""

from __future__ import annotations

import re
import unicodedata

from studsa.errors import UsageError
from studsa.models.base import SLUG_PATTERN

_SLUG_RE = re.compile(SLUG_PATTERN)
MAX_SLUG = 64


def slugify(title: str) -> str:
    """Derive an id from a title.

    ``Renhållning för ökad trygghet`` → ``renhallning-for-okad-trygghet``.
    """
    text = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > MAX_SLUG:
        text = text[:MAX_SLUG].rsplit("-", 1)[0] or text[:MAX_SLUG]
    return text


def check_id(value: str, what: str = "id") -> str:
    """Return ``value`` if it is a valid id, else raise a ``UsageError`` that says why."""
    if not _SLUG_RE.fullmatch(value):  # `$` alone would let 'abc\n' through
        raise UsageError(
            f"{what} {value!r} is not valid: use lowercase letters a-z, digits, '-' and '_' "
            f"(at most {MAX_SLUG} characters, starting with a letter or digit)"
        )
    return value


def new_id(title: str, given: str | None, taken: set[str], what: str = "id") -> str:
    """Return the given id (checked) or one derived from ``title``, unique among ``taken``."""
    if given is not None:
        check_id(given, what)
        if given in taken:
            raise UsageError(f"{what} {given!r} is already used; choose another with --id")
        return given
    base = slugify(title)
    if not base:
        raise UsageError(f"cannot derive an {what} from {title!r}; give one with --id")
    candidate, n = base, 2
    while candidate in taken:
        suffix = f"-{n}"
        candidate = base[: MAX_SLUG - len(suffix)] + suffix
        n += 1
    return candidate
