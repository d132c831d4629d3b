"""Exit codes and the domain exceptions that carry them.

Exceptions never print: the CLI layer turns them into one line on stderr and an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    """Process exit codes, as documented in the spec."""

    OK = 0
    PROBLEMS = 1
    USAGE = 2
    BUG = 3
    INTERRUPTED = 130


def format_location(
    path: Path | str | None, line: int | None = None, column: int | None = None
) -> str:
    """Return ``file:line:column`` (1-based) for whatever parts are known."""
    if path is None:
        return ""
    text = str(path)
    if line is not None:
        text += f":{line}"
        if column is not None:
            text += f":{column}"
    return text


class StudsaError(Exception):
    """Base of every expected error; ``exit_code`` says how the process ends."""

    exit_code: ExitCode = ExitCode.PROBLEMS

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column
        self.hint = hint

    def __str__(self) -> str:
        where = format_location(self.path, self.line, self.column)
        return f"{where}: {self.message}" if where else self.message


class UsageError(StudsaError):
    """Wrong arguments: an unknown id, a bad value on the command line."""

    exit_code = ExitCode.USAGE


class InputError(StudsaError):
    """A file that cannot be read or parsed: bad YAML, bad encoding, limits, bad CSV."""

    exit_code = ExitCode.USAGE


class SchemaError(InputError):
    """A file parsed but does not match its schema; carries every problem found."""

    def __init__(self, problems: list[StudsaError]) -> None:
        first = problems[0]
        extra = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        super().__init__(
            first.message + extra, path=first.path, line=first.line, column=first.column
        )
        self.problems = problems


class ProjectNotFoundError(StudsaError):
    """No ``studsa.yaml`` in the folder or above it."""

    exit_code = ExitCode.USAGE


class ConflictError(StudsaError):
    """The project's state refuses the change (a challenge not prioritized, a lead already
    set, an id still used, a version already decided), a file changed on disk after it was
    read, or another process holds the lock: exit 1, as every refusal of that kind."""

    exit_code = ExitCode.PROBLEMS


class ProblemsFoundError(StudsaError):
    """A check ran and found problems (validate, verify, missing assessments)."""

    exit_code = ExitCode.PROBLEMS


class WriteError(StudsaError):
    """The disk refused a write (space, permission); nothing was changed."""

    exit_code = ExitCode.PROBLEMS
