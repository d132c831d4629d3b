"""Validation of a whole project: every file against its schema, every cross-reference.

Content problems are returned as findings, never raised. Area modules add their checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from studsa.errors import SchemaError, StudsaError, format_location
from studsa.storage.locate import position
from studsa.storage.project import Document

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem: where it is and what is wrong."""

    severity: Severity
    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = format_location(self.file, self.line, self.column)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        """A JSON-friendly dict."""
        return asdict(self)


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
        line, column = position(doc.data, loc) if doc.data is not None else (None, None)
        self.append(Finding(severity, doc.display, message, line, column))

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


def validate_workspace(ws: Any) -> Findings:
    """Load every file of the project, then run every cross-reference check."""
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
        _load_each(ws, kind_name, findings)
    for checker in _checkers():
        try:
            checker(ws, findings)
        except StudsaError:
            # A file the checker needs did not load; that problem is already a finding.
            continue
    return Findings(sorted(findings, key=lambda f: (f.file, f.line or 0, f.column or 0,
                                                    f.message)))


def _load_each(ws: Any, kind_name: str, findings: Findings) -> None:
    from studsa.storage.layout import KINDS

    kind = KINDS[kind_name]
    for path in ws.store.files(kind):
        try:
            ws.store.read(kind, path)
        except StudsaError as err:
            findings.from_error(err)
