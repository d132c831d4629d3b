"""Optional git: an annotated tag for a decision, never a commit.

The tag points at the frozen file's content (a git blob, stored with ``hash-object -w``),
so ``git show studsa/strategi-v2`` shows who decided what, and the exact decided text,
without studsa making a commit the user did not ask for.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studsa.errors import UsageError, WriteError
from studsa.i18n import message

TAG_PREFIX = "studsa/"


def _git(root: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True,
                              check=False, timeout=60)
    except FileNotFoundError:
        raise UsageError(message("err_git_missing")) from None


def _first_line(raw: bytes) -> str:
    lines = raw.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else message("err_unknown_error")


def tag_name(decision: Any) -> str:
    """The tag of a decision: ``studsa/<deliverable>-v<N>``."""
    return f"{TAG_PREFIX}{decision.deliverable}-v{decision.version}"


def tag_decision(root: Path, decision: Any, data: bytes) -> str:
    """Create an annotated tag on the frozen content ``data``; return the tag's name."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != b"true":
        raise UsageError(message("err_git_no_repo", root=root),
                         hint=message("err_git_no_repo_hint"))
    name = tag_name(decision)
    if _git(root, "rev-parse", "-q", "--verify", f"refs/tags/{name}").returncode == 0:
        raise UsageError(message("err_git_tag_exists", name=name),
                         hint=message("err_git_tag_exists_hint", name=name))
    blob = _git(root, "hash-object", "-w", "--stdin", data=data)
    if blob.returncode != 0:
        raise WriteError(message("err_git_store", reason=_first_line(blob.stderr)))
    paragraph = f" {decision.paragraph}" if decision.paragraph else ""
    # The tag's text is a record in git, not terminal output: it stays as written.
    note = (f"{decision.deliverable} version {decision.version} decided by {decision.by} "
            f"on {decision.date}{paragraph}\n\nfile: {decision.file}\n"
            f"sha256: {decision.sha256}\n")
    made = _git(root, "tag", "-a", name, blob.stdout.decode().strip(), "-F", "-",
                data=note.encode("utf-8"))
    if made.returncode != 0:
        raise WriteError(message("err_git_tag", name=name, reason=_first_line(made.stderr)),
                         hint=message("err_git_tag_hint"))
    return name


def delete_tag(root: Path, name: str) -> None:
    """Remove a tag this command created (when writing the decision failed after it)."""
    _git(root, "tag", "-d", name)


@dataclass(frozen=True)
class Tags:
    """The studsa tags of the git repository a project is in."""

    toplevel: Path
    """The repository's top folder (the project's own repository when it is the project)."""
    targets: dict[str, str]
    """Tag name → the object it points at (the frozen file's blob)."""


def read_tags(root: Path) -> Tags | None:
    """Every ``studsa/…`` tag of the repository ``root`` is in, in one call (None: git is
    not installed or ``root`` is not in a repository)."""
    try:
        top = _git(root, "rev-parse", "--show-toplevel")
    except UsageError:
        return None
    if top.returncode != 0:
        return None
    refs = _git(root, "for-each-ref", "--format=%(refname:strip=2) %(*objectname) %(objectname)",
                f"refs/tags/{TAG_PREFIX}")
    targets: dict[str, str] = {}
    for line in refs.stdout.decode("utf-8", "replace").splitlines():
        name, peeled, obj = [*line.split(" "), "", ""][:3]
        targets[name] = peeled or obj
    return Tags(Path(top.stdout.decode("utf-8", "replace").strip()).resolve(), targets)


def blob_ids(root: Path, paths: list[Path]) -> list[str]:
    """The git object ids the files' contents have (one ``hash-object`` call)."""
    if not paths:
        return []
    done = _git(root, "hash-object", "--", *(str(p) for p in paths))
    ids = done.stdout.decode().split()
    return ids if done.returncode == 0 and len(ids) == len(paths) else [""] * len(paths)
