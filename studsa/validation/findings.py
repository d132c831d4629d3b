"""Findings: a problem's severity, file, line, column and message; never raised for content."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from studsa.errors import SchemaError, StudsaError, format_location
from studsa.storage.document import Document

Severity = Literal["error", "warning"]


_UNRESOLVED: Any = object()


class Finding:
    """One problem: where it is and what is wrong.

    A finding added at a node of a document (``Findings.at``) resolves its line and column
    only when they are read, so counting problems never parses a file's round-trip tree.
    """

    __slots__ = ("_column", "_doc", "_line", "_loc", "file", "message", "severity")

    def __init__(
        self,
        severity: Severity,
        file: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.severity: Severity = severity
        self.file = file
        self.message = message
        self._line: Any = line
        self._column: Any = column
        self._doc: Document[Any] | None = None
        self._loc: tuple[str | int, ...] = ()

    @classmethod
    def at(
        cls, severity: Severity, doc: Document[Any], loc: Sequence[str | int], message: str
    ) -> Finding:
        """A finding at ``loc`` inside ``doc``, located (line:column) when first asked."""
        finding = cls(severity, doc.display, message)
        finding._line = finding._column = _UNRESOLVED
        finding._doc, finding._loc = doc, tuple(loc)
        return finding

    def _resolve(self) -> None:
        if self._line is _UNRESOLVED:
            doc, self._doc = self._doc, None
            self._line, self._column = (
                doc.locate(self._loc) if doc is not None else (None, None))

    @property
    def line(self) -> int | None:
        """The 1-based line, or None."""
        self._resolve()
        return self._line  # type: ignore[no-any-return]

    @property
    def column(self) -> int | None:
        """The 1-based column, or None."""
        self._resolve()
        return self._column  # type: ignore[no-any-return]

    def _key(self) -> tuple[Any, ...]:
        return (self.severity, self.file, self.message, self.line, self.column)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Finding) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Finding(severity={self.severity!r}, file={self.file!r}, "
                f"message={self.message!r}, line={self.line!r}, column={self.column!r})")

    def __str__(self) -> str:
        where = format_location(self.file, self.line, self.column)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict."""
        return {"severity": self.severity, "file": self.file, "message": self.message,
                "line": self.line, "column": self.column}


class Findings(list[Finding]):
    """A list of findings with helpers to add one at a node of a document."""

    def at(
        self,
        doc: Document[Any],
        loc: Sequence[str | int],
        message: str,
        severity: Severity = "error",
    ) -> None:
        """Add a finding located at ``loc`` inside ``doc``'s YAML tree."""
        self.append(Finding.at(severity, doc, loc, message))

    def from_error(self, err: StudsaError) -> None:
        """Add every problem carried by a load error."""
        problems = err.problems if isinstance(err, SchemaError) else [err]
        for problem in problems:
            self.append(
                Finding(
                    "error",
                    str(problem.path or ""),
                    problem.message,
                    problem.line,
                    problem.column,
                )
            )
