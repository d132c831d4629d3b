"""Decisions and frozen versions: decide, revise, verify, history, diff through the CLI."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from studsa.storage.files import sha256_bytes
from studsa.storage.project import ProjectStore
from studsa.workflow.context import Workspace
from studsa.workflow.versions import decided_drift, history
from tests.conftest import snapshot

KARTA = """\
# Utmaningskartan (kommentar som ska finnas kvar)
schema: studsa.utmaningskarta/1
version: 1
status: draft
themes:
  - id: trafikmiljo
    title: Trafikmiljö
  - id: renhallning
    title: Renhållning
sources:
  - id: bra
    title: BRÅ
    kind: narvarld
challenges:
  - id: trafik   # viktig
    title: Trafiksäkerhet
    theme: trafikmiljo
  - id: skrap
    title: Nedskräpning
    theme: renhallning
"""

BEDOMNING = """\
schema: studsa.bedomning/1
rater: anna
assessments:
  - challenge: trafik
    values: {forebyggande: ja, evidens: ja, sarbara: nej, snabb_effekt: ja}
"""


@pytest.fixture
def project(new_project: Path) -> Path:
    """A new project with a small challenge map."""
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    return new_project


def decide(cli, root: Path, phase: str = "identifiera", *extra: str):  # type: ignore[no-untyped-def]
    return cli("decide", phase, "--by", "Tekniska nämnden", "--date", "2021-03-24",
               "--paragraph", "§ 45", "-p", root, *extra)


def said(result) -> str:  # type: ignore[no-untyped-def]
    """Stderr with rich's line wrapping undone."""
    return " ".join(result.stderr.split())


def karta(root: Path) -> Path:
    return root / "2-identifiera" / "utmaningskarta.yaml"


def test_decide_freezes_and_logs(cli, project: Path) -> None:
    result = decide(cli, project)
    assert result.exit_code == 0, said(result)
    frozen = project / "2-identifiera" / "versions" / "utmaningskarta.v1.yaml"
    assert frozen.read_bytes() == karta(project).read_bytes()
    text = frozen.read_text(encoding="utf-8")
    assert "status: decided" in text and "# viktig" in text
    log = (project / "studsa.yaml").read_text(encoding="utf-8")
    assert "by: Tekniska nämnden" in log and "paragraph: § 45" in log
    assert sha256_bytes(frozen.read_bytes()) in log
    assert "2-identifiera/versions/utmaningskarta.v1.yaml" in said(result)


def test_decide_accepts_swedish_phase_spelling(cli, new_project: Path) -> None:
    result = decide(cli, new_project, "avgränsa")
    assert result.exit_code == 0, said(result)
    assert (new_project / "1-avgransa" / "versions" / "uppdragsbeskrivning.v1.yaml").is_file()


def test_decide_twice_is_refused_and_changes_nothing(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    before = snapshot(project)
    result = decide(cli, project)
    assert result.exit_code == 1
    assert "already decided" in said(result) and "Tekniska nämnden" in said(result)
    assert snapshot(project) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "--by", "X", "--date", "2021-01-01"], "unknown phase"),
        (["identifiera", "--by", "X", "--date", "24/3 2021"], "YYYY-MM-DD"),
        (["identifiera", "--by", " ", "--date", "2021-01-01"], "deciding body"),
    ],
)
def test_decide_bad_usage(cli, project: Path, args: list[str], message: str) -> None:
    before = snapshot(project)
    result = cli("decide", *args, "-p", project)
    assert result.exit_code == 2
    assert message in said(result)
    assert snapshot(project) == before


def test_decide_refuses_a_phase_with_problems(cli, project: Path) -> None:
    text = KARTA.replace("theme: renhallning", "theme: finns-inte")
    karta(project).write_text(text, encoding="utf-8")
    before = snapshot(project)
    result = decide(cli, project)
    assert result.exit_code == 1
    assert "cannot decide the utmaningskarta while it has problems" in said(result)
    assert snapshot(project) == before


def test_change_through_cli_starts_next_version(cli, project: Path) -> None:
    from studsa.models.utmaningskarta import Theme

    assert decide(cli, project).exit_code == 0
    ws = Workspace(ProjectStore.discover(project))
    ws.karta.model.themes.append(Theme(id="ny", title="Nytt tema"))
    ws.save(ws.karta)
    text = karta(project).read_text(encoding="utf-8")
    assert "version: 2\nstatus: draft\n" in text
    assert "# viktig" in text
    # the frozen copy is untouched
    assert cli("verify", "-p", project).exit_code == 0


def test_hand_edit_detected_then_revise(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    path = karta(project)
    path.write_text(path.read_text(encoding="utf-8").replace("Trafiksäkerhet", "Trafik"),
                    encoding="utf-8")
    result = cli("validate", "-p", project)
    assert result.exit_code == 1
    assert "changed by hand after version 1 was decided" in said(result)
    assert "studsa revise identifiera" in said(result)
    drifts = decided_drift(Workspace(ProjectStore.discover(project)))
    assert [d.kind.name for d in drifts] == ["utmaningskarta"]
    entries = history(Workspace(ProjectStore.discover(project)), "identifiera")
    assert [(e.version, e.status) for e in entries] == [(1, "decided"), (1, "changed")]
    result = cli("revise", "identifiera", "-p", project)
    assert result.exit_code == 0, said(result)
    assert "version: 2\nstatus: draft\n" in path.read_text(encoding="utf-8")
    assert cli("validate", "-p", project).exit_code == 0
    # revising a draft is refused
    before = snapshot(project)
    result = cli("revise", "identifiera", "-p", project)
    assert result.exit_code == 2 and "nothing to revise" in said(result)
    assert snapshot(project) == before


def test_comment_only_hand_edit_is_a_warning(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    with karta(project).open("a", encoding="utf-8") as handle:
        handle.write("# en ny kommentar\n")
    result = cli("validate", "-p", project)
    assert result.exit_code == 0
    assert "only comments or formatting" in said(result)


def test_decide_hand_edited_file_becomes_next_version(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    path = karta(project)
    path.write_text(path.read_text(encoding="utf-8").replace("Nedskräpning", "Skräp"),
                    encoding="utf-8")
    result = decide(cli, project)
    assert result.exit_code == 0, said(result)
    assert "decided as version 2" in said(result)
    v2 = project / "2-identifiera" / "versions" / "utmaningskarta.v2.yaml"
    assert "version: 2\nstatus: decided" in v2.read_text(encoding="utf-8")
    assert v2.read_bytes() == path.read_bytes()


def test_verify_names_changed_and_missing_files(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    assert decide(cli, project, "avgransa").exit_code == 0
    ok = cli("verify", "-p", project)
    assert ok.exit_code == 0 and "2 decided versions" in said(ok)
    frozen = project / "2-identifiera" / "versions" / "utmaningskarta.v1.yaml"
    frozen.write_text(frozen.read_text(encoding="utf-8").replace("Trafik", "Tr"),
                      encoding="utf-8")
    (project / "1-avgransa" / "versions" / "uppdragsbeskrivning.v1.yaml").unlink()
    result = cli("verify", "-p", project)
    assert result.exit_code == 1
    assert "2-identifiera/versions/utmaningskarta.v1.yaml: utmaningskarta version 1 has " \
           "changed" in said(result)
    assert "uppdragsbeskrivning.v1.yaml: uppdragsbeskrivning version 1 is missing" in \
           said(result)
    data = json.loads(cli("verify", "--json", "-p", project).stdout)
    assert data["ok"] is False
    assert sorted(f["state"] for f in data["files"]) == ["changed", "missing"]
    assert cli("validate", "-p", project).exit_code == 1


def test_verify_with_no_decisions(cli, project: Path) -> None:
    result = cli("verify", "-p", project)
    assert result.exit_code == 0
    assert "0 frozen files" in said(result)


def test_strategi_decision_freezes_assessments(cli, project: Path) -> None:
    folder = project / "3-prioritera" / "bedomningar"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "anna.yaml").write_text(BEDOMNING, encoding="utf-8")
    result = decide(cli, project, "strategi", "--force")
    assert result.exit_code == 0, said(result)
    frozen = project / "3-prioritera" / "versions" / "bedomningar" / "anna.v1.yaml"
    assert frozen.read_text(encoding="utf-8") == BEDOMNING
    assert "also frozen" in said(result)
    frozen.write_text(BEDOMNING.replace("sarbara: nej", "sarbara: ja"), encoding="utf-8")
    result = cli("verify", "-p", project)
    assert result.exit_code == 1 and "anna.v1.yaml" in said(result)


def test_history_lists_versions(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    path = karta(project)
    path.write_text(path.read_text(encoding="utf-8").replace("Nedskräpning", "Skräp"),
                    encoding="utf-8")
    assert cli("revise", "identifiera", "-p", project).exit_code == 0
    result = cli("history", "utmaningskarta", "--json", "-p", project)
    assert result.exit_code == 0, said(result)
    entries = json.loads(result.stdout)
    assert [(e["id"], e["status"]) for e in entries] == [
        ("utmaningskarta.v1", "decided"), ("utmaningskarta.v2", "draft")]
    first = entries[0]
    assert (first["by"], first["date"], first["paragraph"], first["intact"]) == (
        "Tekniska nämnden", "2021-03-24", "§ 45", True)
    table = cli("history", "-p", project)
    assert table.exit_code == 0 and "Tekniska nämnden" in table.stdout
    ws = Workspace(ProjectStore.discover(project))
    assert [e.version for e in history(ws, "identifiera")] == [1, 2]


def test_history_unknown_deliverable(cli, project: Path) -> None:
    result = cli("history", "budget", "-p", project)
    assert result.exit_code == 2 and "unknown phase" in said(result)


def test_diff_in_domain_terms(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    path = karta(project)
    text = path.read_text(encoding="utf-8")
    text = text.replace("    theme: renhallning\n", "    theme: trafikmiljo\n")
    text = text.replace("title: Trafiksäkerhet", "title: Säkra gator")
    text += "  - id: belysning\n    title: Belysning\n    theme: trafikmiljo\n"
    path.write_text(text, encoding="utf-8")
    result = cli("diff", "identifiera", "-p", project)
    assert result.exit_code == 0, said(result)
    assert "challenge `belysning` added in theme `trafikmiljo`" in result.stdout
    assert "challenge `skrap` moved from theme `renhallning` to `trafikmiljo`" in result.stdout
    assert "challenge `trafik` retitled 'Trafiksäkerhet' → 'Säkra gator'" in result.stdout
    data = json.loads(cli("diff", "identifiera", "v1", "working", "--json", "-p",
                          project).stdout)
    assert data["from"] == "v1"
    assert {(c["id"], c["action"]) for c in data["changes"]} == {
        ("belysning", "added"), ("skrap", "moved"), ("trafik", "retitled")}


def test_diff_between_two_decided_versions(cli, project: Path) -> None:
    assert decide(cli, project).exit_code == 0
    path = karta(project)
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: skrap\n    title: Nedskräpning\n    theme: renhallning\n", ""),
        encoding="utf-8")
    assert cli("revise", "identifiera", "-p", project).exit_code == 0
    assert decide(cli, project).exit_code == 0
    result = cli("diff", "utmaningskarta", "v1", "v2", "-p", project)
    assert result.exit_code == 0, said(result)
    assert "- challenge `skrap` removed" in result.stdout
    same = cli("diff", "utmaningskarta", "-p", project)
    assert "no changes in content" in same.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["identifiera"], "no decided version yet"),
        (["identifiera", "v3"], "no decided version 3"),
        (["identifiera", "senaste"], "is not a version"),
    ],
)
def test_diff_errors(cli, project: Path, args: list[str], message: str) -> None:
    result = cli("diff", *args, "-p", project)
    assert result.exit_code == 2
    assert message in said(result)


def test_frozen_file_already_there_is_refused(cli, project: Path) -> None:
    stray = project / "2-identifiera" / "versions" / "utmaningskarta.v1.yaml"
    stray.parent.mkdir()
    stray.write_text("not mine", encoding="utf-8")
    before = snapshot(project)
    result = decide(cli, project)
    assert result.exit_code == 1 and "not in the decisions log" in said(result)
    assert snapshot(project) == before
    warned = cli("verify", "-p", project)
    assert warned.exit_code == 0 and "not in the decisions log" in said(warned)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_decide_tag_creates_an_annotated_tag_not_a_commit(
    cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
                       "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.org"}.items():
        monkeypatch.setenv(key, value)
    no_repo = decide(cli, project, "identifiera", "--tag")
    assert no_repo.exit_code == 2 and "not in a git repository" in said(no_repo)
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    result = decide(cli, project, "identifiera", "--tag")
    assert result.exit_code == 0, said(result)
    git = ["git", "-C", str(project)]
    kind = subprocess.run([*git, "cat-file", "-t", "studsa/utmaningskarta-v1"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert kind == "tag"
    content = subprocess.run([*git, "show", "studsa/utmaningskarta-v1^{}"],
                             capture_output=True, check=True).stdout
    frozen = project / "2-identifiera" / "versions" / "utmaningskarta.v1.yaml"
    assert content == frozen.read_bytes()
    head = subprocess.run([*git, "rev-parse", "-q", "--verify", "HEAD"], capture_output=True)
    assert head.returncode != 0  # no commit was made
    assert "tag: studsa/utmaningskarta-v1" in (project / "studsa.yaml").read_text("utf-8")
    assert cli("verify", "-p", project).exit_code == 0


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_tag_catches_a_rewritten_log(cli, project: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME"):
        monkeypatch.setenv(key, "T")
    for key in ("GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL"):
        monkeypatch.setenv(key, "t@example.org")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    assert decide(cli, project, "identifiera", "--tag").exit_code == 0
    frozen = project / "2-identifiera" / "versions" / "utmaningskarta.v1.yaml"
    forged = frozen.read_bytes().replace("Trafiksäkerhet".encode(), b"Forged")
    frozen.write_bytes(forged)
    log = project / "studsa.yaml"
    text = log.read_text("utf-8")
    old_sha = text.split("sha256: ")[1].split()[0]
    log.write_text(text.replace(old_sha, sha256_bytes(forged)), "utf-8")
    result = cli("verify", "-p", project)
    assert result.exit_code == 1
    assert "differs from its git tag" in said(result)
