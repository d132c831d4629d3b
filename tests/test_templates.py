"""Template overrides, the sandbox, and template errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import snapshot
from render_project import make_project

from studsa.errors import InputError
from studsa.report.env import TemplateProblemError
from studsa.workflow.context import Workspace
from studsa.workflow.render import list_templates, render_markdown, render_reports


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def _override(root: Path, name: str, text: str, folder: str = "mallar") -> Path:
    path = root / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_project_template_overrides_builtin(project: Path) -> None:
    _override(project, "strategi.md.j2", "# {{ t.report_strategi }}\n\nEgen mall: "
              "{{ criteria | map(attribute='title') | join(', ') }}\n")
    [item] = render_markdown(Workspace.open(project), ["strategi"])
    assert item.markdown == "# Strategi\n\nEgen mall: Preventive, Evidence based\n"
    sources = {s.report: s for s in list_templates(Workspace.open(project))}
    assert sources["strategi"].origin == "mallar"
    assert sources["strategi"].display == "mallar/strategi.md.j2"
    assert sources["handlingsplan"].origin == "built-in"


def test_override_can_extend_the_builtin_and_macros(project: Path) -> None:
    _override(project, "_macros.md.j2", "{% extends 'builtin/_macros.md.j2' %}")
    _override(project, "uppdragsbeskrivning.md.j2",
              "{% import '_macros.md.j2' as m %}{{ m.title_block(doc, t) }}Extra\n")
    [item] = render_markdown(Workspace.open(project), ["uppdragsbeskrivning"])
    assert item.markdown.startswith("# Uppdragsbeskrivning")
    assert item.markdown.endswith("Extra\n")


def test_templates_folder_named_in_studsa_yaml(project: Path, tmp_path: Path) -> None:
    shared = tmp_path / "kommunens-mallar"
    _override(shared, "lagesbild.md.j2", "Gemensam {{ period.id }}\n", folder=".")
    with (project / "studsa.yaml").open("a", encoding="utf-8") as f:
        f.write(f"templates: {shared.as_posix()}\n")
    [item] = render_markdown(Workspace.open(project), ["lagesbild"])
    assert item.markdown == "Gemensam 2023\n"


def test_missing_templates_folder_is_an_input_error(project: Path) -> None:
    with (project / "studsa.yaml").open("a", encoding="utf-8") as f:
        f.write("templates: finns-inte\n")
    with pytest.raises(InputError, match="finns-inte"):
        render_markdown(Workspace.open(project), ["strategi"])


@pytest.mark.parametrize("body", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ doc.__class__.__init__.__globals__ }}",
    "{{ t.__class__ }}",
    "{% for x in ().__class__.__base__.__subclasses__() %}{{ x }}{% endfor %}",
    "{{ cycler.__init__.__globals__.os }}",
])
def test_sandbox_blocks_python_internals(project: Path, body: str) -> None:
    _override(project, "strategi.md.j2", "line one\n" + body + "\n")
    before = snapshot(project)
    with pytest.raises(TemplateProblemError) as info:
        render_reports(Workspace.open(project))
    assert str(info.value).startswith("mallar/strategi.md.j2:2:")
    assert snapshot(project) == before
    assert not (project / "rapporter").exists()


def test_syntax_error_names_file_and_line(project: Path) -> None:
    _override(project, "handlingsplan.md.j2", "ok\n\n{% for x in %}\n")
    with pytest.raises(TemplateProblemError) as info:
        render_reports(Workspace.open(project))
    assert info.value.path == "mallar/handlingsplan.md.j2"
    assert info.value.line == 3
    assert "syntax" in info.value.message


def test_undefined_name_is_an_error(project: Path) -> None:
    _override(project, "strategi.md.j2", "{{ t.report_strategi }}\n{{ no_such_thing }}\n")
    with pytest.raises(TemplateProblemError, match="no_such_thing") as info:
        render_markdown(Workspace.open(project), ["strategi"])
    assert info.value.line == 2


def test_missing_label_is_an_error(project: Path) -> None:
    _override(project, "strategi.md.j2", "{{ t.no_such_label }}\n")
    with pytest.raises(TemplateProblemError, match="no_such_label"):
        render_markdown(Workspace.open(project), ["strategi"])


def test_error_in_included_template_names_that_file(project: Path) -> None:
    _override(project, "_macros.md.j2", "{% macro title_block(doc, t) %}\n{{ oops }}\n"
              "{% endmacro %}")
    with pytest.raises(TemplateProblemError) as info:
        render_markdown(Workspace.open(project), ["strategi"])
    assert info.value.path == "mallar/_macros.md.j2" and info.value.line == 2


def test_cli_broken_template_exit_2_nothing_written(cli, project: Path) -> None:
    _override(project, "strategi.md.j2", "{{ ''.__class__.__mro__ }}\n")
    before = snapshot(project)
    result = cli("render", "-p", project)
    assert result.exit_code == 2
    assert "mallar/strategi.md.j2:1" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(project) == before


def test_cli_list_templates_shows_override(cli, project: Path) -> None:
    _override(project, "strategi.md.j2", "x\n")
    result = cli("render", "--list-templates", "-p", project)
    assert result.exit_code == 0
    assert "mallar/strategi.md.j2" in result.stdout
