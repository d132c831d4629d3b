"""The project on disk: discovery, loading files into models, saving them back safely."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studsa.errors import (
    ProjectNotFoundError,
    StudsaError,
    UsageError,
    WriteError,
)
from studsa.storage.document import Document
from studsa.storage.files import (
    RawText,
    atomic_write_bytes,
    encode_text,
    project_lock,
    read_text,
    remove_stale_temp_files,
)
from studsa.storage.gate import resolved, within
from studsa.storage.layout import KINDS, PROJECT, PROJECT_FILE, FileKind
from studsa.storage.locate import check_schema, validate_data
from studsa.storage.reader import parse
from studsa.storage.schemas import schema_pointer
from studsa.storage.together import Write, complete_pending, pending, write_together

if TYPE_CHECKING:
    from pydantic import BaseModel

_BAD_STEM = re.compile(r"[/\\\x00-\x1f\x7f:*?\"<>|]")


_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$",
     *(f"{port}{n}" for port in ("com", "lpt") for n in [*"0123456789", "¹", "²", "³"])])
"""Names Windows reserves for devices, whatever the case or extension (``nul.yaml``)."""


def reserved_name(stem: str) -> bool:
    """Whether a file named ``stem`` (plus any extension) cannot exist on Windows."""
    return stem.split(".", 1)[0].rstrip(" ").casefold() in _RESERVED


def safe_file_stem(name: str) -> str:
    """Return ``name`` if it can be a file name inside its folder, else raise ``UsageError``.

    Refuses path separators, ``..``, a leading dot (hidden files), a trailing dot or space,
    the characters and device names Windows forbids (``CON``, ``aux``, ``nul.``), so a rater
    or period name can never point outside its folder and every checkout can hold it.
    """
    if (not name or name.strip() != name or name.startswith(".") or name.endswith(".")
            or _BAD_STEM.search(name)):
        raise UsageError(
            f"{name!r} cannot be used as a file name: no '/', '\\', leading '.', "
            "trailing '.', control characters or any of : * ? \" < > |"
        )
    if reserved_name(name):
        from studsa.i18n import message

        raise UsageError(message("safety_reserved_name", name=name))
    return name


def find_root(start: Path | None = None) -> Path:
    """Return the nearest folder at or above ``start`` that holds ``studsa.yaml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ProjectNotFoundError(
        f"no {PROJECT_FILE} found in {here} or any folder above it; "
        "run `studsa init` to start a project or pass --project PATH"
    )


class ProjectStore:
    """The only way the rest of studsa reads and writes project files."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._held: contextlib.ExitStack | None = None
        if pending(self.root):  # a set of writes a killed command left: finish it first
            with self.lock():
                pass

    @classmethod
    def discover(cls, project: Path | None = None) -> ProjectStore:
        """Open the project at ``project`` (a folder or its studsa.yaml) or the nearest one."""
        if project is None:
            return cls(find_root())
        path = project.expanduser()
        if path.name == PROJECT_FILE and path.is_file():
            return cls(path.parent)
        if not path.exists():
            raise ProjectNotFoundError(f"the project folder {path} does not exist")
        # A folder inside a project (``-p 3-prioritera``) finds it upwards, as the default.
        return cls(find_root(path if path.is_dir() else path.parent))

    # paths ---------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        """Return ``path`` relative to the project root, for messages."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def path(self, kind: FileKind, name: str | None = None) -> Path:
        """Return the file path of a kind (``name`` for kinds with one file per item)."""
        if kind.filename is not None:
            return self.root / kind.relpath
        if name is None:
            raise ValueError(f"{kind.name} needs a file name")
        return self.root / kind.folder / f"{safe_file_stem(name)}.yaml"

    def inside(self, path: Path) -> Path:
        """Return ``path`` resolved, refusing anything outside the project."""
        resolved = path.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise WriteError("refusing to write outside the project folder", path=str(path))
        return resolved

    def files(self, kind: FileKind) -> list[Path]:
        """Every file of a multi-file kind, sorted by name."""
        folder = self.root / kind.folder
        if not folder.is_dir() or not within(resolved(folder), self.root):
            return []
        # A link out of the project (to a file or a folder) is never read as project data.
        return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith(".")
                      and within(resolved(p), self.root))

    # loading -------------------------------------------------------------------------
    def read(self, kind: FileKind, path: Path | None = None) -> Document[Any]:
        """Load one file into a ``Document``; raises ``InputError`` or ``SchemaError``."""
        path = path or self.path(kind)
        display = self.rel(path)
        raw: RawText = read_text(path, display)
        data = parse(raw.text, display)
        doc: Document[Any] = Document.from_read(kind, path, display, None, raw)
        doc.model = validate_data(kind, data, display, doc.locate)
        doc.original_status = getattr(doc.model, "status", None)
        doc.original_version = getattr(doc.model, "version", None)
        return doc

    def load(self, kind: FileKind | str, name: str | None = None) -> Document[Any]:
        """Load a file of ``kind`` (by kind or name)."""
        kind = KINDS[kind] if isinstance(kind, str) else kind
        return self.read(kind, self.path(kind, name))

    def load_or_new(self, kind: FileKind, model: BaseModel, name: str | None = None
                    ) -> Document[Any]:
        """Load the file if it exists, else a new in-memory document holding ``model``."""
        path = self.path(kind, name)
        if path.exists():
            return self.read(kind, path)
        return self.new(kind, model, path)

    def new(self, kind: FileKind, model: BaseModel, path: Path | None = None,
            header: str | None = None) -> Document[Any]:
        """A document that does not exist on disk yet."""
        path = path or self.path(kind)
        return Document(kind=kind, path=path, display=self.rel(path), model=model,
                        header=header)

    def project(self) -> Document[Any]:
        """Load ``studsa.yaml``."""
        return self.read(PROJECT, self.root / PROJECT_FILE)

    # saving --------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the project's write lock for a whole read-modify-write command."""
        with project_lock(self.root):
            complete_pending(self.root)
            yield

    def hold_lock(self) -> None:
        """Take the write lock now and keep it until ``release_lock`` (a whole command)."""
        if self._held is None:
            stack = contextlib.ExitStack()
            stack.enter_context(self.lock())
            self._held = stack

    def release_lock(self) -> None:
        """Release the lock ``hold_lock`` took (no-op when not held)."""
        held, self._held = self._held, None
        if held is not None:
            held.close()

    def render_text(self, doc: Document[Any], body: str | None = None) -> str:
        """Return the YAML text ``doc`` would be saved as (bumping a decided version).

        ``body``: the text of a new document, made already (``storage.batch``)."""
        text = self._dump(doc, body)
        if (
            doc.original_status == "decided"
            and doc.original_text is not None
            and text != doc.original_text
            and getattr(doc.model, "version", None) == doc.original_version
        ):
            # A change to a decided deliverable starts the next version (a draft, or
            # `review` when the change is sending it on remiss). A caller that sets the
            # version itself (decide, revise) is not bumped again; so this is idempotent.
            doc.model.version = doc.model.version + 1
            if doc.model.status == "decided":
                doc.model.status = "draft"
            text = self._dump(doc)
        return text

    def _schema_line(self, doc: Document[Any]) -> str:
        """The editor's schema pointer every new file starts with (unless its header has one)."""
        if doc.header and "yaml-language-server" in doc.header:
            return ""
        relative = schema_pointer(self.root, doc.kind.name, doc.path)
        return f"# yaml-language-server: $schema={relative}\n"

    def _dump(self, doc: Document[Any], body: str | None = None) -> str:
        from studsa.storage.merge import merge_tree  # ruamel: only to write
        from studsa.storage.yamlio import dump_yaml

        tree = doc.tree
        if tree is None:
            if body is None:
                from studsa.storage.batch import new_text

                body = new_text(_new_item(doc))
            return self._schema_line(doc) + (doc.header or "") + body
        full = doc.model.model_dump(mode="json", by_alias=True)
        lean = doc.model.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        for key in ("schema", "version", "status"):
            if key in full:
                lean[key] = full[key]
        doc._tree = merge_tree(tree, full, lean)
        return dump_yaml(doc._tree)

    def save(self, doc: Document[Any], body: str | None = None) -> bool:
        """Write ``doc`` if it changed; refuse when the file changed since it was read.

        Returns whether anything was written.
        """
        self.inside(doc.path)
        text = self.render_text(doc, body)
        if text == doc.original_text:
            return False
        from studsa.storage.yamlio import check_dumped

        check_dumped(text, doc.display)
        data = encode_text(text, bom=doc.bom, newline=doc.newline)
        with self.lock():
            # Under the lock no other studsa writes, so temp files beside this one are
            # leftovers of a killed writer.
            remove_stale_temp_files(doc.path)
            atomic_write_bytes(
                doc.path, data, expected_digest=doc.digest, check_stale=True,
                display=doc.display, within=[self.root],
            )
        from studsa.storage.files import sha256_bytes

        doc.written(text, sha256_bytes(data))
        return True

    def save_all(self, docs: list[Document[Any]], extra: Sequence[Write] = ()) -> list[str]:
        """Save several documents all or nothing (``storage.together``), checking every one
        for staleness before writing any; ``extra``: more files of the same set (frozen
        copies). Returns the documents written."""
        from studsa.storage.files import file_digest, sha256_bytes
        from studsa.storage.yamlio import check_dumped

        with self.lock():
            for doc in docs:
                if doc.exists and file_digest(doc.path) != doc.digest:
                    from studsa.errors import ConflictError

                    raise ConflictError(
                        "the file changed on disk after studsa read it; nothing was "
                        "written, run the command again",
                        path=doc.display,
                    )
            new = [doc for doc in docs if doc.original_text is None]
            bodies: dict[int, str] = {}
            if len(new) > 1:  # many new files (score import): their texts on every core
                from studsa.storage.batch import new_texts

                texts = new_texts([_new_item(doc) for doc in new])
                bodies = {id(doc): text for doc, text in zip(new, texts, strict=True)}
            changed: list[tuple[Document[Any], str, bytes]] = []
            for doc in docs:
                self.inside(doc.path)
                text = self.render_text(doc, bodies.get(id(doc)))
                if text == doc.original_text:
                    continue
                check_dumped(text, doc.display)
                changed.append((doc, text, encode_text(text, bom=doc.bom,
                                                       newline=doc.newline)))
            write_together(self.root, [*extra, *(
                Write(doc.path, data, doc.display, [self.root], doc.digest, check_stale=True)
                for doc, _, data in changed)])
            for doc, text, data in changed:
                doc.written(text, sha256_bytes(data))
            return [doc.display for doc, _, _ in changed]


def _new_item(doc: Document[Any]) -> tuple[Any, Any]:
    """What a new document holds, and which of its keys it writes (none left empty)."""
    return (doc.model.model_dump(mode="json", by_alias=True),
            doc.model.model_dump(mode="json", by_alias=True, exclude_none=True))


def load_problems(store: ProjectStore, kind: FileKind, path: Path) -> list[StudsaError]:
    """Load a file only to collect its problems (empty when it is fine)."""
    from studsa.errors import SchemaError

    try:
        store.read(kind, path)
    except SchemaError as err:
        return list(err.problems)
    except StudsaError as err:
        return [err]
    return []


__all__ = ["Document", "ProjectStore", "check_schema", "find_root", "load_problems",
           "reserved_name", "safe_file_stem", "validate_data"]
