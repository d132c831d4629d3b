"""A project file as studsa holds it: its model, and the text and bytes it was read from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from studsa.storage.files import RawText
from studsa.storage.layout import FileKind
from studsa.storage.positions import Index, Location, locate, positions

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

_UNPARSED: Any = object()


@dataclass
class Document(Generic[M]):
    """A loaded (or new) file: its model, the text and bytes it was read from.

    Line and column of a node come from the reader's index of the text read (built on the
    first ``locate``); the round-trip tree that keeps comments is parsed only to save.
    """

    kind: FileKind
    path: Path
    display: str
    model: M
    digest: str | None = None
    bom: bool = False
    newline: str = "\n"
    original_text: str | None = None
    original_status: str | None = None
    original_version: int | None = None
    header: str | None = field(default=None, repr=False)
    _tree: Any = field(default=_UNPARSED, init=False, repr=False, compare=False)
    _index: Index | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def exists(self) -> bool:
        """Whether the document was read from disk (not created in memory)."""
        return self.digest is not None

    @property
    def tree(self) -> Any:
        """The round-trip tree of the text read (None for a new document), to save into."""
        if self._tree is _UNPARSED:
            if self.original_text is None:
                self._tree = None
            else:
                from studsa.storage.yamlio import parse_tree  # ruamel: only to write

                self._tree = parse_tree(self.original_text)
        return self._tree

    def written(self, text: str, digest: str) -> None:
        """Remember that ``text`` (of ``digest``) is now the file's content."""
        self.original_text, self.digest = text, digest
        self._tree, self._index = _UNPARSED, None

    def locate(self, loc: Sequence[str | int]) -> Location:
        """The 1-based (line, column) of the deepest node of ``loc`` in this file."""
        if self.original_text is None:
            return None, None
        if self._index is None:
            self._index = positions(self.original_text)
        return locate(self._index, loc)

    @classmethod
    def from_read(cls, kind: FileKind, path: Path, display: str, model: Any,
                  raw: RawText) -> Any:
        """A document read from disk: remembers the bytes, status and version as read."""
        return cls(
            kind=kind,
            path=path,
            display=display,
            model=model,
            digest=raw.digest,
            bom=raw.bom,
            newline=raw.newline,
            original_text=raw.text,
            original_status=getattr(model, "status", None),
            original_version=getattr(model, "version", None),
        )
