"""The compiled-template cache: used again while a template is unchanged, safe otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.sandbox import SandboxedEnvironment
from render_project import make_project

from studsa.report import jinjacache
from studsa.workflow.context import Workspace
from studsa.workflow.render import environment, render_markdown


@pytest.fixture
def cache(cache_home: Path) -> Path:
    return cache_home / f"jinja-{jinjacache.FORMAT}"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p")


def _no_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a template was compiled although it is cached")

    monkeypatch.setattr(SandboxedEnvironment, "compile", refuse)


def test_second_render_uses_the_compiled_templates(
        cache: Path, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_markdown(Workspace.open(project), ["strategi", "utmaningskarta"])
    assert len(list(cache.glob("*.jinja"))) == 3  # two reports and the macros they import
    _no_compiling(monkeypatch)
    again = render_markdown(Workspace.open(project), ["strategi", "utmaningskarta"])
    assert [r.markdown for r in again] == [r.markdown for r in first]


def test_an_edited_template_is_compiled_again(cache: Path, project: Path) -> None:
    template = project / "mallar" / "strategi.md.j2"
    template.parent.mkdir()
    template.write_text("Version 1: {{ t.report_strategi }}\n", encoding="utf-8")
    [one] = render_markdown(Workspace.open(project), ["strategi"])
    template.write_text("Version 2: {{ t.report_strategi }}\n", encoding="utf-8")
    [two] = render_markdown(Workspace.open(project), ["strategi"])
    assert (one.markdown, two.markdown) == ("Version 1: Strategi\n", "Version 2: Strategi\n")


def test_turned_off_by_environment(cache: Path, project: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDSA_CACHE", "off")
    render_markdown(Workspace.open(project), ["strategi"])
    assert environment(Workspace.open(project)).env.bytecode_cache is None
    assert not cache.exists()


def test_a_corrupt_entry_is_a_miss_and_replaced(cache: Path, project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    [first] = render_markdown(Workspace.open(project), ["strategi"])
    for entry in cache.glob("*.jinja"):
        entry.write_bytes(b"j2 not a cache entry")
    [again] = render_markdown(Workspace.open(project), ["strategi"])
    assert again.markdown == first.markdown
    _no_compiling(monkeypatch)  # the broken entries were written anew
    [third] = render_markdown(Workspace.open(project), ["strategi"])
    assert third.markdown == first.markdown


@pytest.mark.skipif(os.name != "posix", reason="folder permissions are POSIX")
def test_a_folder_others_can_write_is_not_used(cache: Path, project: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    [item] = render_markdown(Workspace.open(project), ["strategi"])
    assert item.markdown.startswith("# Strategi")
    assert list(cache.iterdir()) == []


def test_the_key_depends_on_how_the_environment_compiles() -> None:
    sandboxed = SandboxedEnvironment(trim_blocks=True)
    assert jinjacache.fingerprint(sandboxed) == jinjacache.fingerprint(
        SandboxedEnvironment(trim_blocks=True))
    others = [Environment(trim_blocks=True), SandboxedEnvironment(),
              SandboxedEnvironment(trim_blocks=True, keep_trailing_newline=True)]
    with_filter = SandboxedEnvironment(trim_blocks=True)
    with_filter.filters["extra"] = str
    others.append(with_filter)
    prints = {jinjacache.fingerprint(env) for env in others}
    assert jinjacache.fingerprint(sandboxed) not in prints
    assert len(prints) == len(others)


def test_old_entries_are_pruned(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinjacache, "MAX_ENTRIES", 4)
    monkeypatch.setattr(jinjacache, "KEEP_AFTER_PRUNE", 2)
    env = SandboxedEnvironment()
    jinjacache.attach(env)
    for i in range(6):
        bucket = env.bytecode_cache.get_bucket(env, f"t{i}", None, f"text {i}")
        bucket.code = compile("x = 1", "<t>", "exec")
        env.bytecode_cache.set_bucket(bucket)
        os.utime(cache / (jinjacache.PATTERN % bucket.key), (1000 + i, 1000 + i))
    assert len(list(cache.glob("*.jinja"))) <= 4
