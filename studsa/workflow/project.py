"""Creating a project: commented skeleton files, or a copy of a bundled example."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from studsa.errors import UsageError
from studsa.resources import example_dir, example_names, templates_dir
from studsa.storage.files import atomic_write_bytes, encode_text
from studsa.storage.layout import (
    BEDOMNING,
    KARTA,
    PLAN,
    PROJECT_FILE,
    SCHEMA_DIR,
    STRATEGI,
    UPPDRAG,
)
from studsa.storage.schemas import write_schemas

SKELETON_FILES = {
    PROJECT_FILE: "studsa.yaml.j2",
    UPPDRAG.relpath: "uppdragsbeskrivning.yaml.j2",
    KARTA.relpath: "utmaningskarta.yaml.j2",
    STRATEGI.relpath: "strategi.yaml.j2",
    PLAN.relpath: "handlingsplan.yaml.j2",
}
EXTRA_FOLDERS = (BEDOMNING.folder, "uppfoljning")
GITIGNORE = ".studsa.lock\n.*.tmp\n"
# Decided versions are proved by the sha256 of their exact bytes: git must never rewrite
# their line endings (core.autocrlf on Windows would make `studsa verify` fail).
GITATTRIBUTES = "*.yaml -text\n"


@dataclass(frozen=True)
class InitOptions:
    """What ``studsa init`` was asked for."""

    path: Path
    name: str | None = None
    organisation: str | None = None
    committee: str | None = None
    dnr: str | None = None
    language: str = "sv"
    start_year: int | None = None
    example: str | None = None


@dataclass(frozen=True)
class InitResult:
    """What ``studsa init`` created."""

    root: Path
    files: list[str]
    example: str | None


def _yaml_scalar(value: object) -> str:
    # A JSON string is a valid YAML double-quoted scalar; empty stays empty (null).
    if value is None or value == "":
        return ""
    return json.dumps(str(value), ensure_ascii=False)


def _check_target(root: Path) -> None:
    if (root / PROJECT_FILE).exists():
        raise UsageError(
            f"{root / PROJECT_FILE} already exists; studsa never overwrites a project. "
            "Choose another folder"
        )
    if root.exists() and not root.is_dir():
        raise UsageError(f"{root} exists and is not a folder")


def init_project(options: InitOptions) -> InitResult:
    """Create a new project folder with commented skeleton files in the project language."""
    root = options.path.expanduser().resolve()
    _check_target(root)
    if options.example:
        return _copy_example(root, options.example)
    if options.language not in {"sv", "en"}:
        raise UsageError(f"language {options.language!r} is not supported; use sv or en")
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "skeleton" / options.language),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["yaml"] = _yaml_scalar
    values = {
        "name": options.name or root.name.replace("-", " ").replace("_", " ").capitalize(),
        "organisation": options.organisation,
        "committee": options.committee,
        "dnr": options.dnr,
        "language": options.language,
        "start_year": options.start_year or "",
    }
    written: list[str] = []
    for relpath, template in SKELETON_FILES.items():
        text = env.get_template(template).render(values)
        atomic_write_bytes(root / relpath, encode_text(text), check_stale=True)
        written.append(relpath)
    _write_support_files(root, options.language)
    return InitResult(root=root, files=written, example=None)


def _copy_example(root: Path, name: str) -> InitResult:
    source = example_dir(name)
    if not (source / PROJECT_FILE).is_file():
        choices = ", ".join(example_names()) or "none"
        raise UsageError(f"there is no bundled example {name!r}; available: {choices}")
    root.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if any(part.startswith(".") or part == "rapporter" for part in relative.parts):
            continue
        target = root / relative
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        if target.exists():
            raise UsageError(f"{target} already exists; studsa does not overwrite it")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(relative.as_posix())
    _write_support_files(root, _example_language(root))
    return InitResult(root=root, files=written, example=name)


def _example_language(root: Path) -> str:
    """The language of a copied example (its studsa.yaml, read as every command reads it)."""
    from studsa.storage.project import ProjectStore

    return str(ProjectStore(root).project().model.language)


def _write_support_files(root: Path, language: str) -> None:
    """Folders, git settings and JSON Schemas (described in ``language``) every project gets."""
    for folder in EXTRA_FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    for name, text in ((".gitignore", GITIGNORE), (".gitattributes", GITATTRIBUTES)):
        if not (root / name).exists():
            atomic_write_bytes(root / name, encode_text(text))
    # JSON Schemas for editors: the skeleton files point at them ($schema comment line).
    write_schemas(root / SCHEMA_DIR, language)
