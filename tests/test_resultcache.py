"""The result cache: an answer is read back only for the same files, options and code."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest
from conftest import run_python

from studsa.storage import resultcache
from studsa.validation import Findings, validate_workspace
from studsa.workflow.context import Workspace


class Counter:
    """A compute function that counts its calls."""

    def __init__(self, answer: object = "answer") -> None:
        self.calls = 0
        self.answer = answer

    def __call__(self) -> object:
        self.calls += 1
        return self.answer


def _memo(root: Path, compute: Counter, options: tuple[object, ...] = ()) -> object:
    return resultcache.memo(root, "test", options, compute)


def test_the_same_state_computes_once(cache_home: Path, example_project: Path) -> None:
    compute = Counter({"ranking": [1, 2, 3]})
    assert _memo(example_project, compute) == {"ranking": [1, 2, 3]}
    assert _memo(example_project, compute) == {"ranking": [1, 2, 3]}
    assert compute.calls == 1


@pytest.mark.parametrize("change", ["edit", "add", "remove", "other_file"])
def test_any_change_to_an_input_file_computes_again(
        cache_home: Path, example_project: Path, change: str) -> None:
    compute = Counter()
    _memo(example_project, compute)
    strategi = example_project / "3-prioritera" / "strategi.yaml"
    if change == "edit":
        strategi.write_text(strategi.read_text(encoding="utf-8") + "# a comment\n",
                            encoding="utf-8")
    elif change == "add":
        (example_project / "3-prioritera" / "bedomningar" / "ny.yaml").write_text(
            "schema: studsa.bedomning/1\nrater: Ny\nassessments: []\n", encoding="utf-8")
    elif change == "remove":
        next((example_project / "3-prioritera" / "bedomningar").glob("*.yaml")).unlink()
    else:
        note = example_project / "notes.txt"
        note.write_text("one", encoding="utf-8")
        _memo(example_project, compute)
        os.utime(note, ns=(1, 1))
    _memo(example_project, compute)
    assert compute.calls == (3 if change == "other_file" else 2)


def test_output_and_hidden_folders_are_not_inputs(cache_home: Path,
                                                  example_project: Path) -> None:
    compute = Counter()
    _memo(example_project, compute)
    for folder in ("rapporter", ".git", ".studsa"):
        (example_project / folder).mkdir(exist_ok=True)
        (example_project / folder / "x.yaml").write_text("a: 1\n", encoding="utf-8")
    _memo(example_project, compute)
    assert compute.calls == 1


def test_options_are_part_of_the_key(cache_home: Path, example_project: Path) -> None:
    compute = Counter()
    _memo(example_project, compute, ("count", 4))
    _memo(example_project, compute, ("weighted", 4))
    _memo(example_project, compute, ("count", 4))
    assert compute.calls == 2


def test_errors_are_never_kept(cache_home: Path, example_project: Path) -> None:
    def broken() -> object:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        resultcache.memo(example_project, "test", (), broken)
    compute = Counter()
    _memo(example_project, compute)
    assert compute.calls == 1


def test_an_answer_is_not_kept_when_files_change_while_computing(
        cache_home: Path, example_project: Path) -> None:
    strategi = example_project / "3-prioritera" / "strategi.yaml"
    original = strategi.read_text(encoding="utf-8")

    def racing() -> str:
        strategi.write_text(original + "# changed meanwhile\n", encoding="utf-8")
        return "answer of the changed file"

    resultcache.memo(example_project, "test", (), racing)
    strategi.write_text(original, encoding="utf-8")
    compute = Counter()
    _memo(example_project, compute)
    assert compute.calls == 1


def test_turned_off_by_environment(cache_home: Path, example_project: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDSA_CACHE", "0")
    compute = Counter()
    _memo(example_project, compute)
    _memo(example_project, compute)
    assert compute.calls == 2
    assert not cache_home.exists()


@pytest.mark.parametrize("content", [b"not a pickle", pickle.dumps(("0" * 64, "foreign"))],
                         ids=["damaged", "another-key"])
def test_a_damaged_or_foreign_entry_is_a_miss(cache_home: Path, example_project: Path,
                                              content: bytes) -> None:
    compute = Counter()
    _memo(example_project, compute)
    folder = resultcache.results_dir()
    assert folder is not None
    for entry in folder.glob("*.pickle"):
        entry.write_bytes(content)
    assert _memo(example_project, compute) == "answer"
    assert compute.calls == 2


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_read(cache_home: Path, example_project: Path) -> None:
    compute = Counter()
    _memo(example_project, compute)
    folder = resultcache.results_dir()
    assert folder is not None
    folder.chmod(0o777)
    _memo(example_project, compute)
    assert compute.calls == 2


def test_a_kept_finding_is_located_from_its_file(cache_home: Path,
                                                 example_project: Path) -> None:
    karta = example_project / "2-identifiera" / "utmaningskarta.yaml"
    text = karta.read_text(encoding="utf-8")
    karta.write_text(text.replace("theme: ", "theme: nosuchtheme", 1), encoding="utf-8")
    direct = validate_workspace(Workspace.open(example_project))
    assert direct, "the edit should make a finding"
    unresolved = validate_workspace(Workspace.open(example_project), ordered=False)
    kept = pickle.loads(pickle.dumps(unresolved))
    assert isinstance(kept, Findings)
    assert sorted(kept, key=str) == sorted(direct, key=str)
    assert all(f.line is not None for f in kept if f.file.endswith("utmaningskarta.yaml"))


def test_cli_answers_follow_the_files(cache_home: Path, example_project: Path, cli) -> None:
    first = cli("status", "-p", example_project)
    again = cli("status", "-p", example_project)
    assert first.exit_code == again.exit_code == 0
    assert first.stdout == again.stdout
    strategi = example_project / "3-prioritera" / "strategi.yaml"
    strategi.write_text(strategi.read_text(encoding="utf-8").replace(
        "status: draft", "status: review", 1), encoding="utf-8")
    changed = cli("status", "-p", example_project)
    assert "review" in changed.stdout and changed.stdout != first.stdout


def test_score_follows_a_changed_assessment(cache_home: Path, example_project: Path,
                                            cli) -> None:
    before = cli("score", "--json", "-p", example_project)
    assert before.exit_code == 0, before.output
    assert cli("score", "--json", "-p", example_project).stdout == before.stdout
    rater = next((example_project / "3-prioritera" / "bedomningar").glob("*.yaml"))
    text = rater.read_text(encoding="utf-8")
    flipped = text.replace(": true", ": false") if ": true" in text else text.replace(
        ": ja", ": nej")
    assert flipped != text
    rater.write_text(flipped, encoding="utf-8")
    after = cli("score", "--json", "-p", example_project)
    assert after.exit_code == 0, after.output
    assert after.stdout != before.stdout
    # and the same as computed with the cache off
    os.environ["STUDSA_CACHE"] = "0"
    try:
        assert cli("score", "--json", "-p", example_project).stdout == after.stdout
    finally:
        del os.environ["STUDSA_CACHE"]


def test_validate_reads_back_located_problems(cache_home: Path, example_project: Path,
                                              cli) -> None:
    plan = example_project / "4-placera" / "handlingsplan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("department: ", "department: nosuchdept", 1), encoding="utf-8")
    first = cli("validate", "-p", example_project)
    again = cli("validate", "-p", example_project)
    assert first.exit_code == again.exit_code != 0
    assert first.output == again.output
    assert "handlingsplan.yaml:" in first.output


@pytest.mark.parametrize("command", ["score", "status", "validate"])
def test_a_kept_answer_loads_no_models(cache_home: Path, example_project: Path,
                                       command: str) -> None:
    code = (
        "import os, sys\n"
        f"os.environ['STUDSA_CACHE_DIR'] = {str(cache_home)!r}\n"
        f"sys.argv = ['studsa', {command!r}]\n"
        "from studsa.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', sorted(m for m in ('pydantic', 'ruamel.yaml', 'yaml') "
        "if m in sys.modules))\n"
    )
    first = run_python(code, cwd=example_project)
    second = run_python(code, cwd=example_project)
    assert "LOADED ['pydantic'" in first  # computed: the models were read
    assert second.splitlines()[-1] == "LOADED []"
    assert first.split("LOADED")[0] == second.split("LOADED")[0]


def test_a_copied_project_is_its_own_entry(cache_home: Path, example_project: Path,
                                           tmp_path: Path) -> None:
    compute = Counter()
    _memo(example_project, compute)
    copy = tmp_path / "copy"
    shutil.copytree(example_project, copy)
    _memo(copy, compute)
    assert compute.calls == 2
