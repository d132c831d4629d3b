"""Schema migrations, proved with a fake older schema (every real schema is still /1)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from studsa.storage import layout, migrate
from studsa.storage.project import ProjectStore
from tests.conftest import snapshot
from tests.test_versions import said

OLD_KARTA = """\
# Utmaningskartan, skriven för en äldre studsa
schema: studsa.utmaningskarta/1
version: 1
status: draft
themes:
  - id: trafikmiljo
    title: Trafikmiljö
utmaningar:    # det gamla namnet
  - id: trafik
    title: Trafik
    theme: trafikmiljo
"""


@pytest.fixture
def fake_major(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this studsa reads utmaningskarta/2, where `utmaningar` became `challenges`."""
    monkeypatch.setitem(layout.KINDS, "utmaningskarta",
                        dataclasses.replace(layout.KARTA, major=2))

    def step(tree: Any) -> list[str]:
        return ["`utmaningar` renamed to `challenges`"] if migrate.rename_key(
            tree, "utmaningar", "challenges") else []

    monkeypatch.setitem(migrate.STEPS, ("utmaningskarta", 1),
                        migrate.Step("utmaningskarta", 1, "rename", step))


@pytest.fixture
def old_project(new_project: Path) -> Path:
    """A project whose challenge map uses the (fake) older schema."""
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(OLD_KARTA, "utf-8")
    return new_project


def karta(root: Path) -> Path:
    return root / "2-identifiera" / "utmaningskarta.yaml"


def test_migrate_upgrades_with_backup(cli, old_project: Path, fake_major: None) -> None:
    result = cli("migrate", "-p", old_project)
    assert result.exit_code == 0, result.stderr
    text = said(result)
    assert "2-identifiera/utmaningskarta.yaml: upgraded studsa.utmaningskarta/1 → " \
           "studsa.utmaningskarta/2" in text
    assert "utmaningskarta/1 → /2: `utmaningar` renamed to `challenges`" in text
    new = karta(old_project).read_text(encoding="utf-8")
    assert "schema: studsa.utmaningskarta/2\n" in new
    assert "challenges:    # det gamla namnet\n  - id: trafik" in new
    assert new.startswith("# Utmaningskartan, skriven för en äldre studsa\n")
    backup = old_project / ".studsa/backup/2-identifiera/utmaningskarta.yaml.schema1"
    assert backup.read_text(encoding="utf-8") == OLD_KARTA
    # the upgraded file loads with the (fake) current schema
    store = ProjectStore.discover(old_project)
    model = store.read(layout.KINDS["utmaningskarta"], karta(old_project)).model
    assert [c.id for c in model.challenges] == ["trafik"]
    again = cli("migrate", "-p", old_project)
    assert again.exit_code == 0 and "already use the current schemas" in said(again)


def test_dry_run_changes_nothing(cli, old_project: Path, fake_major: None) -> None:
    before = snapshot(old_project)
    result = cli("migrate", "--dry-run", "--json", "-p", old_project)
    assert result.exit_code == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["dry_run"] is True
    assert [m["file"] for m in data["migrated"]] == ["2-identifiera/utmaningskarta.yaml"]
    assert snapshot(old_project) == before


def test_loader_tells_older_files_to_migrate(cli, old_project: Path, fake_major: None) -> None:
    store = ProjectStore.discover(old_project)
    from studsa.errors import InputError

    with pytest.raises(InputError, match="run `studsa migrate`"):
        store.read(layout.KINDS["utmaningskarta"], karta(old_project))


def test_missing_step_is_an_error(cli, old_project: Path, fake_major: None,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(migrate.STEPS, ("utmaningskarta", 1))
    before = snapshot(old_project)
    result = cli("migrate", "-p", old_project)
    assert result.exit_code == 2
    assert "no migration of utmaningskarta files from schema /1 to /2" in said(result)
    assert snapshot(old_project) == before


def test_invalid_result_writes_nothing(cli, old_project: Path, fake_major: None) -> None:
    karta(old_project).write_text(OLD_KARTA.replace("theme: trafikmiljo", "tema: x"), "utf-8")
    before = snapshot(old_project)
    result = cli("migrate", "-p", old_project)
    assert result.exit_code == 2
    assert "utmaningskarta.yaml" in said(result) and "tema" in said(result)
    assert snapshot(old_project) == before


def test_newer_schema_is_refused(cli, new_project: Path) -> None:
    path = new_project / "3-prioritera" / "strategi.yaml"
    path.write_text(path.read_text("utf-8").replace("strategi/1", "strategi/7"), "utf-8")
    before = snapshot(new_project)
    result = cli("migrate", "-p", new_project)
    assert result.exit_code == 2
    assert "newer than this studsa" in said(result)
    assert snapshot(new_project) == before


def test_current_project_needs_nothing(cli, new_project: Path) -> None:
    result = cli("migrate", "-p", new_project)
    assert result.exit_code == 0
    assert "already use the current schemas" in said(result)


def test_frozen_versions_are_read_upgraded_never_rewritten(
    cli, old_project: Path, fake_major: None
) -> None:
    frozen = old_project / "2-identifiera" / "versions" / "utmaningskarta.v1.yaml"
    frozen.parent.mkdir()
    frozen.write_text(OLD_KARTA.replace("status: draft", "status: decided"), "utf-8")
    before = frozen.read_bytes()
    assert cli("migrate", "-p", old_project).exit_code == 0
    assert frozen.read_bytes() == before
    store = ProjectStore.discover(old_project)
    model = migrate.read_upgraded(store, layout.KINDS["utmaningskarta"], frozen)
    assert model.status == "decided" and model.challenges[0].id == "trafik"


def test_backups_never_overwrite_each_other(cli, old_project: Path, fake_major: None) -> None:
    backup = old_project / ".studsa/backup/2-identifiera/utmaningskarta.yaml.schema1"
    backup.parent.mkdir(parents=True)
    backup.write_text("an older backup\n", "utf-8")
    assert cli("migrate", "-p", old_project).exit_code == 0
    assert backup.read_text("utf-8") == "an older backup\n"
    assert backup.with_name(backup.name + ".2").read_text("utf-8") == OLD_KARTA
