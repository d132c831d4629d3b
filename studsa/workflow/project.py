"""Creating a project: commented skeleton files, or a copy of a bundled example."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from studsa.errors import UsageError
from studsa.i18n import message
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
    language: str | None = None
    """``sv`` (the default) or ``en``."""
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
        raise UsageError(message("err_project_exists", file=root / PROJECT_FILE))
    if root.exists() and not root.is_dir():
        raise UsageError(message("err_not_a_folder", root=root))


def init_project(options: InitOptions) -> InitResult:
    """Create a new project folder with commented skeleton files in the project language."""
    root = options.path.expanduser().resolve()
    _check_target(root)
    if options.example:
        _refuse_example_options(options)
        return _copy_example(root, options.example)
    language = options.language or "sv"
    if language not in {"sv", "en"}:
        raise UsageError(message("err_language", language=language))
    env = Environment(
        loader=FileSystemLoader(templates_dir() / "skeleton" / language),
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
        "language": language,
        "start_year": options.start_year or "",
    }
    written: list[str] = []
    for relpath, template in SKELETON_FILES.items():
        text = env.get_template(template).render(values)
        atomic_write_bytes(root / relpath, encode_text(text), check_stale=True,
                           within=[root])
        written.append(relpath)
    _write_support_files(root, language)
    return InitResult(root=root, files=written, example=None)


def _refuse_example_options(options: InitOptions) -> None:
    """An example is copied as it is: options that would shape a new project are refused
    rather than silently ignored (the Malmö example is Swedish; it cannot be made English)."""
    given = [flag for flag, value in (
        ("--name", options.name), ("--organisation", options.organisation),
        ("--committee", options.committee), ("--dnr", options.dnr),
        ("--language", options.language if options.language not in (None, "sv") else None),
        ("--start-year", options.start_year)) if value is not None]
    if given:
        raise UsageError(message("method_init_example_options", example=options.example,
                                 options=", ".join(given)))


def _copy_example(root: Path, name: str) -> InitResult:
    source = example_dir(name)
    if not (source / PROJECT_FILE).is_file():
        choices = ", ".join(example_names()) or message("err_none")
        raise UsageError(message("err_no_example", name=name, choices=choices))
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
            raise UsageError(message("err_no_overwrite", target=target))
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
            atomic_write_bytes(root / name, encode_text(text), within=[root])
    # JSON Schemas for editors: the skeleton files point at them ($schema comment line).
    write_schemas(root / SCHEMA_DIR, language, root=root)
