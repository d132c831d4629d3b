"""`verify` against git tags: what the README promises ("the git tag proves it even if the
log was rewritten") holds when the log's `tag:` line is removed, and a tag the log names
that is gone (deleted, or the project copied without `.git`) is a finding."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_versions import KARTA, decide, said

from studsa.storage.files import sha256_bytes

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
FROZEN = Path("2-identifiera") / "versions" / "utmaningskarta.v1.yaml"


@pytest.fixture
def tagged(cli, new_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project in its own git repository with the utmaningskarta decided with --tag."""
    for key in ("GIT_COMMITTER_NAME", "GIT_AUTHOR_NAME"):
        monkeypatch.setenv(key, "T")
    for key in ("GIT_COMMITTER_EMAIL", "GIT_AUTHOR_EMAIL"):
        monkeypatch.setenv(key, "t@example.org")
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(new_project)], check=True)
    assert decide(cli, new_project, "identifiera", "--tag").exit_code == 0
    assert cli("verify", "-p", new_project).exit_code == 0
    return new_project


def _forge(root: Path, *, drop_tag_line: bool) -> None:
    """Change the frozen file and its sha256 in the log together (a rewritten log)."""
    frozen = root / FROZEN
    forged = frozen.read_bytes().replace("Trafiksäkerhet".encode(), b"Forged")
    assert forged != frozen.read_bytes()
    frozen.write_bytes(forged)
    log = root / "studsa.yaml"
    text = log.read_text("utf-8")
    old_sha = text.split("sha256: ")[1].split()[0]
    text = text.replace(old_sha, sha256_bytes(forged))
    if drop_tag_line:
        lines = [line for line in text.splitlines(keepends=True)
                 if not line.strip().startswith("tag: studsa/")]
        assert len(lines) < len(text.splitlines())
        text = "".join(lines)
    log.write_text(text, "utf-8")


def test_a_rewritten_log_without_its_tag_line_is_caught_by_the_tag(cli, tagged: Path) -> None:
    _forge(tagged, drop_tag_line=True)
    result = cli("verify", "-p", tagged)
    assert result.exit_code == 1 and "differs from its git tag" in said(result)


def test_a_deleted_tag_is_a_finding(cli, tagged: Path) -> None:
    subprocess.run(["git", "-C", str(tagged), "tag", "-d", "studsa/utmaningskarta-v1"],
                   check=True, capture_output=True)
    result = cli("verify", "-p", tagged)
    assert result.exit_code == 1 and "the tag is not there" in said(result)
    _forge(tagged, drop_tag_line=False)
    assert cli("verify", "-p", tagged).exit_code == 1


def test_a_copy_without_git_cannot_prove_a_tagged_decision(
        cli, tagged: Path, tmp_path: Path) -> None:
    copy = tmp_path / "kopia"
    shutil.copytree(tagged, copy, ignore=shutil.ignore_patterns(".git"))
    result = cli("verify", "-p", copy)
    assert result.exit_code == 1 and "copied without .git" in said(result)
    checked = cli("verify", "--json", "-p", copy)
    assert '"tag-missing"' in checked.stdout


def test_an_untagged_decision_in_a_repository_verifies(cli, new_project: Path) -> None:
    (new_project / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(new_project)], check=True)
    assert decide(cli, new_project, "identifiera").exit_code == 0
    assert cli("verify", "-p", new_project).exit_code == 0
