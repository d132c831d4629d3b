"""Where each kind of file lives in a project, and which model and schema it has."""

from __future__ import annotations

import importlib
import unicodedata
from dataclasses import dataclass
from typing import Any

from studsa.errors import UsageError

PROJECT_FILE = "studsa.yaml"
REPORTS_DIR = "rapporter"
TEMPLATES_DIR = "mallar"
SCHEMA_DIR = ".studsa/schema"
"""Where `studsa init` / `studsa schema` write the JSON Schemas that files point at."""


@dataclass(frozen=True)
class FileKind:
    """One kind of project file."""

    name: str
    model_path: str
    major: int
    folder: str
    filename: str | None
    phase: str | None = None

    @property
    def schema(self) -> str:
        """The ``schema:`` value files of this kind carry."""
        return f"studsa.{self.name}/{self.major}"

    @property
    def relpath(self) -> str:
        """Path relative to the project root (single-file kinds only)."""
        if self.filename is None:
            raise ValueError(f"{self.name} has one file per item")
        return f"{self.folder}/{self.filename}" if self.folder else self.filename

    def model(self) -> Any:
        """Import and return the pydantic model class."""
        module, _, attr = self.model_path.rpartition(".")
        return getattr(importlib.import_module(module), attr)


PROJECT = FileKind("project", "studsa.models.project.Project", 1, "", PROJECT_FILE)
UPPDRAG = FileKind(
    "uppdragsbeskrivning",
    "studsa.models.uppdrag.Uppdragsbeskrivning",
    1,
    "1-avgransa",
    "uppdragsbeskrivning.yaml",
    "avgransa",
)
KARTA = FileKind(
    "utmaningskarta",
    "studsa.models.utmaningskarta.Utmaningskarta",
    1,
    "2-identifiera",
    "utmaningskarta.yaml",
    "identifiera",
)
STRATEGI = FileKind(
    "strategi", "studsa.models.strategi.Strategi", 1, "3-prioritera", "strategi.yaml", "prioritera"
)
BEDOMNING = FileKind(
    "bedomning", "studsa.models.bedomning.Bedomning", 1, "3-prioritera/bedomningar", None
)
PLAN = FileKind(
    "handlingsplan",
    "studsa.models.handlingsplan.Handlingsplan",
    1,
    "4-placera",
    "handlingsplan.yaml",
    "placera",
)
UPPFOLJNING = FileKind(
    "uppfoljning", "studsa.models.uppfoljning.Uppfoljning", 1, "uppfoljning", None
)
REMISS = FileKind("remiss", "studsa.models.remiss.Remiss", 1, "remiss", None)
"""One file per remiss round, ``remiss/<deliverable>-v<N>.yaml``."""
WORKSHOP = FileKind(
    "workshop", "studsa.models.workshop.WorkshopRecord", 1, "3-prioritera/workshop", None
)
"""One record per workshop session, ``3-prioritera/workshop/<date>.yaml``."""

PHASE_KINDS: tuple[FileKind, ...] = (UPPDRAG, KARTA, STRATEGI, PLAN)
KINDS: dict[str, FileKind] = {
    kind.name: kind
    for kind in (PROJECT, UPPDRAG, KARTA, STRATEGI, BEDOMNING, PLAN, UPPFOLJNING, REMISS,
                 WORKSHOP)
}


def _fold(text: str) -> str:
    normalized = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in normalized if not unicodedata.combining(ch))


def phase_kind(name: str) -> FileKind:
    """Resolve a phase id or deliverable name (``avgränsa``, ``strategi``, ``3``) to its kind."""
    wanted = _fold(name)
    for index, kind in enumerate(PHASE_KINDS, start=1):
        if wanted in {kind.phase, kind.name, str(index), kind.folder}:
            return kind
    choices = ", ".join(f"{k.phase} ({k.name})" for k in PHASE_KINDS)
    raise UsageError(f"unknown phase or deliverable {name!r}; choose one of: {choices}")
