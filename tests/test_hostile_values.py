"""Values the method cannot mean, in files and on the command line: refused with one
sentence (exit 1 or 2), never an internal error, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import snapshot


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _one_sentence(result, phrase: str) -> str:
    message = " ".join(result.stderr.split())
    assert result.exit_code in (1, 2), result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in message, message
    assert phrase in message, message
    return message


@pytest.mark.parametrize(("file", "old", "new", "phrase"), [
    ("uppfoljning/2021.yaml", 'period: "2021"', 'period: "２０２１"', "period"),
    ("uppfoljning/2021.yaml", 'period: "2021"', 'period: "٢٠٢١"', "period"),
    ("uppfoljning/2021.yaml", "activity: klottersanering", "activity: finns-inte",
     "finns-inte"),
    ("uppfoljning/2021.yaml", "spent: 610000", "spent: 1000000000000000000000000000000",
     "spent"),
    ("3-prioritera/bedomningar/strateg.yaml", "forebyggande: ja", "forebyggande: .nan",
     ".nan"),
])
def test_a_value_the_method_cannot_mean_is_refused_where_it_is(
        cli, example_project: Path, file: str, old: str, new: str, phrase: str) -> None:
    _edit(example_project / file, old, new)
    result = cli("validate", "-p", example_project)
    message = _one_sentence(result, phrase)
    assert f"{file}:" in message


def test_two_weights_whose_sum_overflows_never_reach_the_score(
        cli, example_project: Path) -> None:
    strategi = example_project / "3-prioritera" / "strategi.yaml"
    _edit(strategi, "  - id: forebyggande\n", "  - id: forebyggande\n    weight: 1.7e308\n")
    _edit(strategi, "  - id: evidens\n", "  - id: evidens\n    weight: 1.7e308\n")
    before = snapshot(example_project)
    for command in (("score", "--method", "weighted"), ("validate",)):
        _one_sentence(cli(*command, "-p", example_project), "weight")
    assert snapshot(example_project) == before


@pytest.mark.parametrize(("args", "phrase"), [
    (["theme", "add", "X", "--id", "abc\n"], "is not valid"),
    (["theme", "add", "X\udcff"], "not valid UTF-8"),
    (["challenge", "add", "Ny", "--theme", "skotsel", "--description", "a\udc80b"],
     "not valid UTF-8"),
    (["criterion", "add", "Tungt", "--weight", "1.7e308"], "over the limit"),
    (["activity", "add", "renhallning", "Ny", "--department", "gatu", "--year", "2022",
      "--cost", "1000000000000000000000000000000"], "cost"),
    (["activity", "add", "renhallning", "Ny", "--department", "gatu", "--year", "2022",
      "--baseline", "1e999"], "finite"),
    (["activity", "add", "renhallning", "Ny", "--department", "gatu", "--year", "2022",
      "--target", "nan"], "finite"),
    (["activity", "add", "renhallning", "Ny", "--department", "gatu", "--year", "２０２２"],
     "year"),
    (["followup", "new", "２０２２"], "２０２２"),
])
def test_a_command_line_value_is_refused_before_anything_is_written(
        cli, example_project: Path, args: list[str], phrase: str) -> None:
    before = snapshot(example_project)
    _one_sentence(cli(*args, "-p", example_project), phrase)
    assert snapshot(example_project) == before


def test_thousands_of_problems_print_the_first_and_say_how_many_more(
        cli, example_project: Path) -> None:
    import json
    import time

    karta = example_project / "2-identifiera" / "utmaningskarta.yaml"
    text = karta.read_text(encoding="utf-8")
    old = "    sources: [bra, skr, mau, djupintervjuer, workshop]\n"
    assert old in text
    karta.write_text(text.replace(old, "    sources:\n" + "".join(
        f"      - saknas{i}\n" for i in range(9_000)), 1), encoding="utf-8")
    start = time.process_time()
    shown = cli("validate", "-p", example_project)
    assert time.process_time() - start < 3.0
    assert shown.exit_code == 1
    errors = [line for line in shown.stderr.splitlines() if line.startswith("error: ")]
    assert 0 < len(errors) <= 200
    assert "more problems and warnings not shown" in " ".join(shown.stderr.split())
    every = json.loads(cli("validate", "--json", "-p", example_project).stdout)["findings"]
    assert sum("saknas" in f["message"] for f in every) == 9_000
