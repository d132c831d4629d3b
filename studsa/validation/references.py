"""Checks of the paths ``studsa.yaml`` names: ``reference_docx:`` and ``templates:``.

``workflow.validate`` looks at the paths (``PathState``); these checks only read what it
found, so ``validate`` says what ``render`` would refuse, before a report is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from studsa.i18n import message
from studsa.models.project import Project
from studsa.storage.document import Document
from studsa.validation.findings import Findings

PathKind = Literal["missing", "file", "folder", "other"]


@dataclass(frozen=True)
class PathState:
    """What is at a path ``studsa.yaml`` names, as ``workflow`` found it."""

    kind: PathKind
    word: bool = False
    """For a file: whether it is a Word package (a .docx or .dotx: a zip holding
    ``word/document.xml``), the only thing a reference document can be."""


def check_paths(project: Document[Project], reference: PathState | None,
                templates: PathState | None, findings: Findings) -> None:
    """Findings for a ``reference_docx:`` that is not a Word document and a ``templates:``
    that is not a folder (None: the key is not set)."""
    model: Any = project.model
    if reference is not None:
        name = model.reference_docx
        key = {"missing": "safety_reference_missing", "folder": "safety_reference_folder",
               "other": "safety_reference_not_word",
               "file": None if reference.word else "safety_reference_not_word"}[reference.kind]
        if key is not None:
            findings.at(project, ["reference_docx"], message(key, name=name))
    if templates is not None and templates.kind != "folder":
        findings.at(project, ["templates"],
                    message("safety_templates_not_folder", name=model.templates))


__all__ = ["PathState", "check_paths"]
