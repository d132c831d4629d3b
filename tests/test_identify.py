"""Phase 2 commands (theme, challenge, source), their checks in validate, and status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studsa.ids import slugify
from studsa.storage.reader import parse as parse_yaml
from tests.conftest import snapshot

KARTA = "2-identifiera/utmaningskarta.yaml"


def karta(root: Path) -> dict:
    """The utmaningskarta as plain data."""
    return parse_yaml((root / KARTA).read_text(encoding="utf-8"))


def ok(cli, *args):
    """Run a command that must succeed."""
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    return result


def fails(cli, root: Path, code: int, *args) -> str:
    """Run a command that must fail with ``code`` and change nothing; return stderr."""
    before = snapshot(root)
    result = cli(*args, "-p", root)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert snapshot(root) == before
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    return result.stderr


@pytest.fixture
def mapped(cli, new_project: Path) -> Path:
    """A project with two themes, two sources and two challenges."""
    p = new_project
    ok(cli, "theme", "add", "Skötsel och drift", "--id", "skotsel", "-p", p)
    ok(cli, "theme", "add", "Trafikmiljö", "-p", p)
    ok(cli, "source", "add", "Nationella trygghetsundersökningen", "--kind", "narvarld",
       "--id", "ntu", "--organisation", "Brå", "--year", "2020", "-p", p)
    ok(cli, "source", "add", "Djupintervjuer", "--kind", "invarld", "-p", p)
    ok(cli, "challenge", "add", "Renhållning för ökad trygghet", "--theme", "skotsel",
       "--source", "ntu", "--source", "Djupintervjuer", "-d", "Nedskräpning", "-p", p)
    ok(cli, "challenge", "add", "Trafikbeteende", "--theme", "TRAFIKMILJÖ", "--id", "trafik",
       "-p", p)
    return p


# --- ids -------------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "expected"), [
    ("Renhållning för ökad trygghet", "renhallning-for-okad-trygghet"),
    ("Trafikmiljö", "trafikmiljo"),
    ("  Rätt åtgärder – i befintlig stad! ", "ratt-atgarder-i-befintlig-stad"),
])
def test_ids_are_derived_from_titles(cli, new_project: Path, title: str, expected: str) -> None:
    ok(cli, "theme", "add", title, "-p", new_project)
    assert [t["id"] for t in karta(new_project)["themes"]] == [expected]
    assert slugify(title) == expected


def test_add_writes_the_map(mapped: Path) -> None:
    data = karta(mapped)
    assert [t["id"] for t in data["themes"]] == ["skotsel", "trafikmiljo"]
    assert [(s["id"], s["kind"]) for s in data["sources"]] == [
        ("ntu", "narvarld"), ("djupintervjuer", "invarld")]
    first = data["challenges"][0]
    assert first["id"] == "renhallning-for-okad-trygghet"
    assert first["theme"] == "skotsel"
    assert list(first["sources"]) == ["ntu", "djupintervjuer"]
    assert first["description"] == "Nedskräpning"
    assert data["challenges"][1]["theme"] == "trafikmiljo"


def test_derived_id_that_is_taken_gets_a_suffix(cli, mapped: Path) -> None:
    ok(cli, "theme", "add", "Trafikmiljö", "-p", mapped)
    assert [t["id"] for t in karta(mapped)["themes"]][-1] == "trafikmiljo-2"


def test_add_prints_on_stderr_only(cli, new_project: Path) -> None:
    result = ok(cli, "theme", "add", "Trafikmiljö", "-p", new_project)
    assert result.stdout == ""
    assert "trafikmiljo" in result.stderr


# --- failures of writing commands --------------------------------------------------------
@pytest.mark.parametrize(("args", "code", "needle"), [
    (("theme", "add", "Stad", "--id", "skotsel"), 2, "'skotsel' is already used"),
    (("theme", "add", "Stad", "--id", "Bad Id"), 2, "is not valid"),
    (("theme", "add", "   "), 2, "title is empty"),
    (("theme", "add", "!!!"), 2, "cannot derive"),
    (("theme", "edit", "nope", "--title", "X"), 2, "unknown theme 'nope'"),
    (("theme", "edit", "skotsel"), 2, "nothing to change"),
    (("theme", "remove", "skotsel"), 1, "renhallning-for-okad-trygghet"),
    (("challenge", "add", "X", "--theme", "nope"), 2, "unknown theme 'nope'"),
    (("challenge", "add", "X", "--theme", "skotsel", "--source", "nope"), 2,
     "unknown source 'nope'"),
    (("challenge", "add", "X", "--theme", "skotsel", "--id", "trafik"), 2, "already used"),
    (("challenge", "edit", "nope", "--title", "X"), 2, "unknown challenge 'nope'"),
    (("challenge", "edit", "trafik"), 2, "nothing to change"),
    (("challenge", "edit", "trafik", "--out-of-scope", " "), 2, "needs the reason"),
    (("challenge", "edit", "trafik", "--out-of-scope", "x", "--in-scope"), 2, "contradict"),
    (("challenge", "edit", "trafik", "--theme", "nope"), 2, "unknown theme"),
    (("challenge", "edit", "trafik", "--remove-source", "ntu"), 2, "does not cite"),
    (("challenge", "remove", "nope"), 2, "unknown challenge"),
    (("source", "add", "X", "--kind", "extern"), 2, "unknown source kind"),
    (("source", "list", "--kind", "extern"), 2, "unknown source kind"),
    (("challenge", "list", "--theme", "nope"), 2, "unknown theme"),
    (("challenge", "show", "nope"), 2, "unknown challenge"),
])
def test_bad_input_changes_nothing(cli, mapped: Path, args, code: int, needle: str) -> None:
    assert needle in fails(cli, mapped, code, *args)


def test_missing_required_option_is_a_usage_error(cli, mapped: Path) -> None:
    before = snapshot(mapped)
    result = cli("challenge", "add", "X", "-p", mapped)
    assert result.exit_code == 2
    assert "--theme" in result.stderr
    assert snapshot(mapped) == before


def test_broken_map_is_reported_with_its_location(cli, mapped: Path) -> None:
    path = mapped / KARTA
    path.write_text(path.read_text(encoding="utf-8").replace("kind: narvarld", "kind: extern"),
                    encoding="utf-8")
    stderr = fails(cli, mapped, 2, "theme", "add", "Ny")
    assert stderr.startswith(f"error: {KARTA}:")
    assert "kind" in stderr


def test_theme_title_matches_case_insensitively_but_ambiguity_is_refused(
        cli, mapped: Path) -> None:
    ok(cli, "theme", "add", "Trafikmiljö", "--id", "trafik2", "-p", mapped)
    assert "several themes" in fails(cli, mapped, 2, "challenge", "add", "Y", "--theme",
                                     "trafikmiljö ")


# --- edit / remove ---------------------------------------------------------------------
def test_theme_edit_and_remove(cli, mapped: Path) -> None:
    ok(cli, "theme", "edit", "trafikmiljo", "--title", "Trafik och rörelse", "-d", "Gator",
       "-p", mapped)
    assert karta(mapped)["themes"][1]["title"] == "Trafik och rörelse"
    assert karta(mapped)["themes"][1]["description"] == "Gator"
    ok(cli, "challenge", "edit", "trafik", "--theme", "skotsel", "-p", mapped)
    ok(cli, "theme", "remove", "trafikmiljo", "-p", mapped)
    assert [t["id"] for t in karta(mapped)["themes"]] == ["skotsel"]


def test_challenge_edit_every_field(cli, mapped: Path) -> None:
    cid = "renhallning-for-okad-trygghet"
    ok(cli, "challenge", "edit", cid, "--title", "Renhållning", "--theme", "trafikmiljo",
       "-d", "", "--remove-source", "ntu", "--add-source", "ntu", "--add-source",
       "djupintervjuer", "-p", mapped)
    item = karta(mapped)["challenges"][0]
    assert item["id"] == cid
    assert item["title"] == "Renhållning"
    assert item["theme"] == "trafikmiljo"
    assert not item.get("description")
    assert list(item["sources"]) == ["djupintervjuer", "ntu"]
    ok(cli, "challenge", "edit", cid, "--out-of-scope", "Fungerar redan väl", "-p", mapped)
    assert karta(mapped)["challenges"][0]["out_of_scope"] == "Fungerar redan väl"
    ok(cli, "challenge", "edit", cid, "--in-scope", "-p", mapped)
    assert karta(mapped)["challenges"][0].get("out_of_scope") is None


def test_challenge_remove(cli, mapped: Path) -> None:
    ok(cli, "challenge", "remove", "trafik", "-p", mapped)
    assert [c["id"] for c in karta(mapped)["challenges"]] == ["renhallning-for-okad-trygghet"]


def test_remove_refuses_a_challenge_in_use(cli, mapped: Path) -> None:
    bedomning = mapped / "3-prioritera" / "bedomningar" / "anna.yaml"
    bedomning.parent.mkdir(parents=True, exist_ok=True)
    bedomning.write_text(
        "schema: studsa.bedomning/1\nrater: Anna\nassessments:\n"
        "  - challenge: trafik\n    values: {evidens: ja}\n", encoding="utf-8")
    stderr = fails(cli, mapped, 1, "challenge", "remove", "trafik")
    assert "3-prioritera/bedomningar/anna.yaml" in stderr
    assert "--out-of-scope" in stderr
    show = json.loads(ok(cli, "challenge", "show", "trafik", "--json", "-p", mapped).stdout)
    assert show["references"] == [
        {"file": "3-prioritera/bedomningar/anna.yaml", "what": "assessment by Anna"}]


def test_remove_refuses_a_challenge_in_the_selection_and_plan(
        cli, example_project: Path) -> None:
    stderr = fails(cli, example_project, 1, "challenge", "remove", "renhallning")
    assert "3-prioritera/strategi.yaml" in stderr
    assert "4-placera/handlingsplan.yaml" in stderr


def test_remove_refuses_when_a_referring_file_is_broken(cli, mapped: Path) -> None:
    (mapped / "4-placera" / "handlingsplan.yaml").write_text("schema: [\n", encoding="utf-8")
    assert "handlingsplan.yaml" in fails(cli, mapped, 2, "challenge", "remove", "trafik")


# --- comments survive every writing command ----------------------------------------------
def test_comments_survive_every_writing_command(cli, mapped: Path) -> None:
    path = mapped / KARTA
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - id: trafik\n", "  # hand-written note about trafik\n  - id: trafik\n")
    text = text.replace("title: Trafikbeteende", "title: Trafikbeteende  # from the workshop")
    path.write_text(text, encoding="utf-8")
    commands = [
        ("theme", "add", "Planering"),
        ("theme", "edit", "planering", "-d", "Planarbete"),
        ("source", "add", "Workshop", "--kind", "invarld"),
        ("challenge", "add", "Planarbetet", "--theme", "planering", "--source", "workshop"),
        ("challenge", "edit", "planarbetet", "--out-of-scope", "Annan nämnd"),
        ("challenge", "edit", "renhallning-for-okad-trygghet", "--add-source", "workshop"),
        ("challenge", "remove", "planarbetet"),
        ("theme", "remove", "planering"),
    ]
    for command in commands:
        ok(cli, *command, "-p", mapped)
        after = path.read_text(encoding="utf-8")
        assert "# Fas 2, Identifiera" in after, command
        assert "# hand-written note about trafik\n  - id: trafik\n" in after, command
        assert "title: Trafikbeteende  # from the workshop" in after, command


def test_comment_before_an_item_stays_when_the_item_before_is_removed(cli, mapped: Path) -> None:
    ok(cli, "challenge", "add", "Ny", "--theme", "skotsel", "-p", mapped)
    path = mapped / KARTA
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: ny\n", "  # about ny\n  - id: ny\n"), encoding="utf-8")
    ok(cli, "challenge", "remove", "trafik", "-p", mapped)
    text = path.read_text(encoding="utf-8")
    assert "  # about ny\n  - id: ny\n" in text
    assert "trafik" not in text.split("challenges:")[1]


# --- read commands ---------------------------------------------------------------------
def test_list_json_shapes(cli, mapped: Path) -> None:
    themes = json.loads(ok(cli, "theme", "list", "--json", "-p", mapped).stdout)
    assert themes == [
        {"id": "skotsel", "title": "Skötsel och drift", "description": None, "challenges": 1},
        {"id": "trafikmiljo", "title": "Trafikmiljö", "description": None, "challenges": 1},
    ]
    challenges = json.loads(ok(cli, "challenge", "list", "--json", "-p", mapped).stdout)
    assert [c["id"] for c in challenges] == ["renhallning-for-okad-trygghet", "trafik"]
    assert set(challenges[0]) >= {"id", "title", "theme", "sources", "out_of_scope"}
    only = json.loads(ok(cli, "challenge", "list", "--json", "--theme", "Trafikmiljö",
                         "-p", mapped).stdout)
    assert [c["id"] for c in only] == ["trafik"]
    sources = json.loads(ok(cli, "source", "list", "--json", "-p", mapped).stdout)
    assert [(s["id"], s["title"], s["cited_by"]) for s in sources] == [
        ("ntu", "Nationella trygghetsundersökningen", 1), ("djupintervjuer", "Djupintervjuer", 1)]
    assert sources[0]["organisation"] == "Brå" and sources[0]["year"] == "2020"
    inner = json.loads(ok(cli, "source", "list", "--json", "--kind", "invärld", "-p",
                          mapped).stdout)
    assert [s["id"] for s in inner] == ["djupintervjuer"]


def test_empty_lists_are_empty_arrays(cli, new_project: Path) -> None:
    for group in ("theme", "challenge", "source"):
        assert json.loads(ok(cli, group, "list", "--json", "-p", new_project).stdout) == []


def test_tables(cli, mapped: Path) -> None:
    out = ok(cli, "challenge", "list", "-p", mapped).stdout
    assert "renhallning-for-okad-trygghet" in out and "Trafikbeteende" in out
    assert "trafikmiljo" in ok(cli, "theme", "list", "-p", mapped).stdout
    assert "narvarld" in ok(cli, "source", "list", "-p", mapped).stdout


def test_show(cli, mapped: Path) -> None:
    cid = "renhallning-for-okad-trygghet"
    data = json.loads(ok(cli, "challenge", "show", cid, "--json", "-p", mapped).stdout)
    assert data["theme"] == "skotsel" and data["theme_title"] == "Skötsel och drift"
    assert data["sources"] == [
        {"id": "ntu", "title": "Nationella trygghetsundersökningen", "kind": "narvarld"},
        {"id": "djupintervjuer", "title": "Djupintervjuer", "kind": "invarld"},
    ]
    assert data["references"] == []
    text = ok(cli, "challenge", "show", cid, "-p", mapped).stdout
    assert "Skötsel och drift" in text and "invarld" in text and "in scope" in text


# --- validate and status -----------------------------------------------------------------
def test_validate_finds_phase_two_problems(cli, mapped: Path) -> None:
    path = mapped / KARTA
    path.write_text(path.read_text(encoding="utf-8") + (
        "  - id: trafik\n    title: Igen\n    theme: saknas\n    sources: [okand]\n"
        "    out_of_scope: ja\n"), encoding="utf-8")
    ok(cli, "theme", "add", "Tom", "-p", mapped)  # an empty theme: a warning
    result = cli("validate", "--json", "-p", mapped)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    messages = {(f["severity"], f["message"].split(" ")[0], f["line"]) for f in findings}
    lines = path.read_text(encoding="utf-8").splitlines()
    dup_line = next(i for i, line in enumerate(lines, 1) if "title: Igen" in line) - 1
    assert ("error", "duplicate", dup_line) in messages
    texts = " | ".join(f["message"] for f in findings)
    assert "'saknas', which is not among the themes" in texts
    assert "'okand', which is not among the sources" in texts
    assert "out of scope without a reason" in texts
    assert any(f["severity"] == "warning" and "'tom' has no challenges" in f["message"]
               for f in findings)
    assert all(f["file"] == KARTA for f in findings)


def test_validate_passes_a_clean_map(cli, mapped: Path) -> None:
    ok(cli, "validate", "-p", mapped)


def test_status_next_step(cli, new_project: Path) -> None:
    from studsa.workflow.context import Workspace
    from studsa.workflow.identify import next_step

    assert "theme add" in next_step(Workspace.open(new_project))
    ok(cli, "theme", "add", "Trafik", "-p", new_project)
    assert "challenge add" in next_step(Workspace.open(new_project))
    ok(cli, "challenge", "add", "Fart", "--theme", "trafik", "-p", new_project)
    assert next_step(Workspace.open(new_project)) is None
    status = json.loads(ok(cli, "status", "--json", "-p", new_project).stdout)
    assert any("no source" in n["message"] for n in status["notes"])


def test_a_decided_map_starts_a_new_draft(cli, mapped: Path) -> None:
    path = mapped / KARTA
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: decided"),
                    encoding="utf-8")
    result = ok(cli, "theme", "add", "Ny", "-p", mapped)
    assert "version 2 as a draft" in result.stderr
    data = karta(mapped)
    assert (str(data["version"]), data["status"]) == ("2", "draft")


def test_help_teaches(cli) -> None:
    for group in ("theme", "challenge", "source"):
        result = cli(group, "--help")
        assert result.exit_code == 0
    assert "--out-of-scope" in cli("challenge", "remove", "--help").stdout
