"""``studsa schema`` and the schema files ``studsa init`` writes for editors."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from studsa.storage.layout import KINDS
from studsa.storage.schemas import SCHEMA_DIR, all_schemas, kind_schema
from studsa.workflow.project import InitOptions, init_project

SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def test_every_kind_has_a_schema() -> None:
    schemas = all_schemas()
    assert set(schemas) == set(KINDS)
    assert {"project", "utmaningskarta", "strategi", "bedomning", "handlingsplan",
            "uppfoljning", "uppdragsbeskrivning"} <= set(schemas)
    for name, schema in schemas.items():
        assert schema["$schema"].endswith("2020-12/schema")
        assert schema["properties"]["schema"]["const"] == KINDS[name].schema
        assert schema["additionalProperties"] is False  # a typo in a key is flagged


def test_schema_uses_aliases_and_strict_ids() -> None:
    karta = kind_schema(KINDS["utmaningskarta"])
    challenge = karta["$defs"]["Challenge"]
    assert challenge["properties"]["id"]["pattern"].startswith("^[a-z0-9]")
    assert challenge["additionalProperties"] is False
    uppdrag = kind_schema(KINDS["uppdragsbeskrivning"])
    assert "in" in uppdrag["$defs"]["Scope"]["properties"]  # alias, not in_


def test_free_text_also_accepts_numbers_like_studsa_does() -> None:
    karta = kind_schema(KINDS["utmaningskarta"])
    source_year = karta["$defs"]["Source"]["properties"]["year"]["anyOf"][0]
    assert source_year["type"] == ["string", "number"]


def _first_schema_line(path: Path) -> str | None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = SCHEMA_LINE.match(first)
    return match.group(1) if match else None


@pytest.mark.parametrize("language", ["sv", "en"])
def test_init_writes_the_schemas_its_files_point_at(tmp_path: Path, language: str) -> None:
    root = tmp_path / "p"
    init_project(InitOptions(path=root, language=language))
    files = sorted(root.rglob("*.yaml"))
    assert files
    for path in files:
        target = _first_schema_line(path)
        assert target is not None, path
        schema_file = (path.parent / target).resolve()
        assert schema_file.is_file(), f"{path} points at missing {target}"
        assert schema_file.parent == (root / SCHEMA_DIR).resolve()


def _check_against(schema: dict[str, Any], data: dict[str, Any], where: str) -> None:
    """A small structural check: known top-level keys only, required ones present."""
    assert set(data) <= set(schema["properties"]), where
    assert set(schema.get("required", [])) <= set(data), where


def test_example_files_match_their_schemas(example_project: Path) -> None:
    from studsa.storage.project import ProjectStore

    store = ProjectStore.discover(example_project)
    schemas = all_schemas()
    checked = 0
    for kind in KINDS.values():
        paths = [example_project / kind.relpath] if kind.filename else store.files(kind)
        for path in paths:
            if not path.is_file():
                continue
            doc = store.read(kind, path)
            data = doc.model.model_dump(mode="json", by_alias=True, exclude_unset=True)
            _check_against(schemas[kind.name], data, str(path))
            checked += 1
    assert checked >= 5


def test_schema_command_writes_into_the_project(new_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    folder = new_project / SCHEMA_DIR
    for path in folder.iterdir():
        path.unlink()
    result = cli("schema", "-p", new_project)
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in folder.iterdir())
    assert written == sorted(f"{kind}.schema.json" for kind in all_schemas())
    assert ".studsa/schema/project.schema.json" in result.stdout.splitlines()
    data = json.loads((folder / "strategi.schema.json").read_text(encoding="utf-8"))
    assert data["title"] == "Strategi"


def test_schema_command_out_and_json(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "scheman"
    assert cli("schema", "--out", out).exit_code == 0
    assert (out / "handlingsplan.schema.json").is_file()
    result = cli("schema", "--json")
    assert result.exit_code == 0
    assert set(json.loads(result.stdout)) == set(all_schemas())
    outside = cli("schema")
    assert outside.exit_code == 2
    assert "--out" in outside.stderr
    assert "Traceback" not in outside.stderr


def test_schema_output_is_stable(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    cli("schema", "--out", tmp_path / "a")
    cli("schema", "--out", tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def _properties(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    models = [(schema["title"], schema), *schema.get("$defs", {}).items()]
    return [(model, name, prop) for model, spec in models
            for name, prop in spec.get("properties", {}).items()]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_property_has_a_description_in_the_language(language: str) -> None:
    missing = []
    swedish = 0
    for kind, schema in all_schemas(language).items():
        for model, name, prop in _properties(schema):
            text = prop.get("description", "")
            if not text.strip():
                missing.append(f"{kind}: {model}.{name}")
            swedish += any(ch in text for ch in "åäö")
    assert not missing, missing
    assert (swedish > 50) == (language == "sv")


def test_init_writes_schemas_in_the_projects_language(tmp_path: Path) -> None:
    init_project(InitOptions(path=tmp_path / "en", language="en"))
    data = json.loads((tmp_path / "en" / SCHEMA_DIR / "project.schema.json").read_text(
        encoding="utf-8"))
    assert data["properties"]["dnr"]["description"].startswith("The matter's reference")


def _decide_all(cli, root: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("schema", "-p", root).exit_code == 0  # the fixture's copy has no .studsa/
    for phase in ("uppdragsbeskrivning", "utmaningskarta", "strategi", "handlingsplan"):
        result = cli("decide", phase, "--by", "Tekniska nämnden", "--date", "2020-09-24",
                     "-p", root)
        assert result.exit_code == 0, result.stderr


def test_frozen_versions_point_at_the_schemas(example_project: Path, cli) -> None:  # type: ignore[no-untyped-def]
    _decide_all(cli, example_project)
    frozen = sorted(example_project.glob("*/versions/**/*.yaml"))
    assert len(frozen) >= 4 + 3  # the four deliverables and the three raters' assessments
    for path in frozen:
        target = _first_schema_line(path)
        assert target is not None, path
        schema_file = (path.parent / target).resolve()
        assert schema_file.is_file(), f"{path} points at missing {target}"
        assert schema_file.parent == (example_project / SCHEMA_DIR).resolve()
    assert cli("verify", "-p", example_project).exit_code == 0


def test_every_file_validates_against_the_schema_it_points_at(example_project: Path, cli
                                                              ) -> None:  # type: ignore[no-untyped-def]
    jsonschema = pytest.importorskip("jsonschema")
    from studsa.storage.project import ProjectStore

    _decide_all(cli, example_project)
    store = ProjectStore.discover(example_project)
    checked = 0
    for kind in KINDS.values():
        paths = [example_project / kind.relpath] if kind.filename else store.files(kind)
        paths += sorted(example_project.glob(f"*/versions/**/{kind.name}.v*.yaml"))
        if kind.name == "bedomning":
            paths += sorted(example_project.glob("*/versions/bedomningar/*.yaml"))
        for path in paths:
            if not path.is_file():
                continue
            schema = json.loads((path.parent / _first_schema_line(path)).read_text(  # type: ignore[operator]
                encoding="utf-8"))
            data = store.read(kind, path).model.model_dump(mode="json", by_alias=True,
                                                           exclude_unset=True)
            errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
            assert not errors, f"{path}: {errors[0].message}"
            checked += 1
    assert checked >= 15
