"""Hostile user templates: budgets, links out, pipes, files that are not templates, and
characters no report can hold. Each is one sentence with the template's name, exit 2,
nothing written."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import snapshot
from render_project import make_project

from studsa.report.budget import Budget
from studsa.report.env import TemplateProblemError, make_environment


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def _template(root: Path, text: str, name: str = "strategi.md.j2") -> Path:
    path = root / "mallar" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _refused(cli, root: Path, phrase: str, *options: str) -> str:
    before = snapshot(root)
    start = time.monotonic()
    result = cli("render", "strategi", *options, "-p", root)
    spent = time.monotonic() - start
    message = " ".join(result.stderr.split())
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert phrase in message, message
    assert message.count("error:") == 1, message
    assert snapshot(root) == before, "a refused render wrote something"
    assert spent < 10, f"the refusal took {spent:.1f} s"
    return message


@pytest.mark.parametrize(("body", "phrase"), [
    ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
     "loops more than 2,000,000 times"),
    ("a\n{% for i in range(10**9) %}{% endfor %}\n", "loops more than"),
    ("a\n{{ 'x' * 10**12 }}\n", "more than 50,000,000 characters"),
    ("a\n{{ 10 ** 1000000 }}\n", "a number too big"),
])
def test_a_render_that_would_never_end_is_refused_at_its_line(
        cli, project: Path, body: str, phrase: str) -> None:
    _template(project, body)
    message = _refused(cli, project, phrase)
    line = body.count("\n", 0, body.index("{")) + 1
    assert f"mallar/strategi.md.j2:{line}:" in message


def test_the_time_budget_stops_a_slow_render(project: Path) -> None:
    from studsa.workflow.context import Workspace

    _template(project, "{% for i in range(1500000) %}{{ i }}{% endfor %}\n")
    ws = Workspace.open(project)
    env = make_environment(ws.root, ws.language, None)
    with pytest.raises(TemplateProblemError, match="seconds to render"):
        env.render("strategi", {}, Budget(seconds=0.05))


@pytest.mark.parametrize("fmt", ["md", "docx"])
@pytest.mark.parametrize(("char", "code"), [("\\x00", "U+0000"), ("\\udc80", "U+DC80")])
def test_a_character_no_report_can_hold_is_one_sentence(
        cli, project: Path, fmt: str, char: str, code: str) -> None:
    _template(project, f'# Rubrik\n\nText {{{{ "{char}" }}}}\n')
    message = _refused(cli, project, code, "--format", fmt)
    assert "mallar/strategi.md.j2" in message and "line 3" in message


def test_a_link_out_of_the_template_folder_is_not_read(
        cli, project: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md.j2"
    secret.write_text("HEMLIGT\n", encoding="utf-8")
    (project / "mallar").mkdir()
    (project / "mallar" / "strategi.md.j2").symlink_to(secret)
    _refused(cli, project, "outside its template folder")
    _template(project, "{% include 'inre.md.j2' %}\n")
    (project / "mallar" / "inre.md.j2").symlink_to(secret)
    _refused(cli, project, "outside its template folder")


def test_a_template_folder_that_links_out_of_the_project_is_not_read(
        cli, project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "utanfor"
    outside.mkdir()
    (outside / "strategi.md.j2").write_text("HEMLIGT\n", encoding="utf-8")
    (project / "mallar").symlink_to(outside, target_is_directory=True)
    _refused(cli, project, "outside its template folder")


def test_a_shared_folder_gives_templates_not_other_files(
        cli, project: Path, tmp_path: Path) -> None:
    """`templates: /etc` with an include of passwd: a file that is not a .j2 template is
    never read into a report."""
    shared = tmp_path / "etc"
    shared.mkdir()
    (shared / "passwd").write_text("root:x:0:0\n", encoding="utf-8")
    (shared / "strategi.md.j2").write_text("{% include 'passwd' %}\n", encoding="utf-8")
    with (project / "studsa.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"templates: {shared}\n")
    message = _refused(cli, project, "is not a template")
    assert "root:x" not in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_in_place_of_a_template_is_refused(cli, project: Path) -> None:
    (project / "mallar").mkdir()
    os.mkfifo(project / "mallar" / "strategi.md.j2")
    _refused(cli, project, "expected a regular file")
