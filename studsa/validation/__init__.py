"""Validation of a whole project: every file against its schema, every cross-reference.

Content problems are returned as findings, never raised. Area modules add their checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from studsa.errors import SchemaError, StudsaError, format_location

if TYPE_CHECKING:
    from studsa.storage.project import Document

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


Checker = Callable[[Any, Findings], None]


def _checkers() -> list[Checker]:
    from studsa.validation import identify, place, prioritize, versions

    return [identify.check, prioritize.check, place.check, versions.check]


def validate_workspace(ws: Any, *, ordered: bool = True) -> Findings:
    """Load every file of the project, then run every cross-reference check.

    The findings come sorted by file and position; with ``ordered=False`` (for callers that
    only count them) they come in the order found and no file is parsed to locate them.
    """
    findings = Findings()
    loaders: list[Callable[[], Any]] = [
        lambda: ws.project,
        lambda: ws.uppdrag,
        lambda: ws.karta,
        lambda: ws.strategi,
        lambda: ws.plan,
    ]
    for load in loaders:
        try:
            load()
        except StudsaError as err:
            findings.from_error(err)
    for kind_name in ("bedomning", "uppfoljning"):
        try:
            # The workspace's own list (read once, reused by the checks); only when a file
            # in it is broken is each file read on its own, so every broken one is named.
            getattr(ws, _LISTS[kind_name])
        except StudsaError:
            _load_each(ws, kind_name, findings)
    for checker in _checkers():
        try:
            checker(ws, findings)
        except StudsaError:
            # A file the checker needs did not load; that problem is already a finding.
            continue
    if not ordered:
        return findings
    return Findings(sorted(findings, key=lambda f: (f.file, f.line or 0, f.column or 0,
                                                    f.message)))



_LISTS = {"bedomning": "bedomningar", "uppfoljning": "uppfoljningar"}


def _load_each(ws: Any, kind_name: str, findings: Findings) -> None:
    from studsa.storage.layout import KINDS

    kind = KINDS[kind_name]
    for path in ws.store.files(kind):
        try:
            ws.store.read(kind, path)
        except StudsaError as err:
            findings.from_error(err)
