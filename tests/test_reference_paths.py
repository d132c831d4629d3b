"""`validate` checks the paths studsa.yaml names: reference_docx and templates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _name(root: Path, key: str, value: str) -> None:
    with (root / "studsa.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"{key}: {value}\n")


def _errors(cli, root: Path) -> list[str]:
    result = cli("validate", "-p", root)
    assert "Traceback" not in result.stderr
    return [" ".join(line.split()) for line in result.stderr.split("error: ")[1:]]


@pytest.mark.parametrize("suffix", [".docx", ".dotx"])
def test_a_word_document_or_template_passes(cli, new_project: Path, suffix: str) -> None:
    import docx

    docx.Document().save(str(new_project / f"brev{suffix}"))
    _name(new_project, "reference_docx", f"brev{suffix}")
    assert _errors(cli, new_project) == []


def test_a_text_file_named_docx_fails(cli, new_project: Path) -> None:
    (new_project / "brev.docx").write_text("inte ett Word-dokument\n", encoding="utf-8")
    _name(new_project, "reference_docx", "brev.docx")
    [error] = _errors(cli, new_project)
    assert error.startswith("studsa.yaml:") and "is not a Word document" in error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_as_reference_is_never_opened(cli, new_project: Path) -> None:
    os.mkfifo(new_project / "brev.docx")
    _name(new_project, "reference_docx", "brev.docx")
    [error] = _errors(cli, new_project)
    assert "is not a Word document" in error


def test_a_templates_line_naming_a_file_fails(cli, new_project: Path) -> None:
    _name(new_project, "templates", "studsa.yaml")
    [error] = _errors(cli, new_project)
    assert "templates" in error and "is not a folder" in error
