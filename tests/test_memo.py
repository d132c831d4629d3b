"""The tjänsteskrivelse in the standard form: header block, addressing, dated basis, the
remiss round, Ekonomiska konsekvenser, and every ``memo:`` field in the init skeleton."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studsa.models.memo import Memo
from studsa.report.html import to_html
from studsa.report.memo import in_sentence, is_higher
from studsa.resources import templates_dir
from studsa.workflow.context import Workspace
from studsa.workflow.render import render_markdown

UPPDRAG = Path("1-avgransa") / "uppdragsbeskrivning.yaml"


def _md(root: Path, report: str = "tjansteskrivelse") -> str:
    [item] = render_markdown(Workspace.open(root), [report])
    return item.markdown


def _section(text: str, heading: str) -> str:
    """The text of one ``##`` section (up to the next ``##``)."""
    start = text.index(f"## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_header_block_is_a_definition_block_and_the_title_has_no_dnr(
        example_project: Path) -> None:
    text = _md(example_project)
    head, title = text.split("\n# ", 1)
    assert head.startswith("TJÄNSTESKRIVELSE\n\n")
    assert "- **" not in head  # not a bullet list
    for line in ("**Organisation:** Malmö stad\\", "**Förvaltning:** Fastighets- och "
                 "gatukontoret\\", "**Datum:** 1 september 2020\\",
                 "**Diarienummer:** TN-2019-3986\\",
                 "**Handläggare:** Max Hanander, Projektledare/Strateg"):
        assert line in head.splitlines()
    assert title.splitlines()[0] == "Trygghets- och säkerhetsstrategi för Tekniska nämnden"
    page = to_html(text, lang="sv", title="T", figures={})
    assert "<dt>Diarienummer</dt><dd>TN-2019-3986</dd>" in page
    assert "<h1>Trygghets- och säkerhetsstrategi för Tekniska nämnden</h1>" in page


def test_sections_in_the_standard_order(example_project: Path) -> None:
    text = _md(example_project)
    order = ["Sammanfattning", "Förslag till beslut", "Beslutsunderlag", "Beslutsplanering",
             "Ärendet", "Ekonomiska konsekvenser", "Barnets bästa", "Ansvariga",
             "Beslut expedieras till"]
    assert re.findall(r"^## (.+)$", text, flags=re.M) == order


def test_the_committee_decides_its_own_strategy(example_project: Path) -> None:
    proposal = _section(_md(example_project), "Förslag till beslut")
    assert "Tekniska nämnden föreslås besluta" in proposal
    assert "föreslå" not in proposal.replace("föreslås", "")


def test_a_higher_body_decides_so_the_committee_proposes(example_project: Path) -> None:
    _edit(example_project / UPPDRAG, "  strategi: Tekniska nämnden",
          "  strategi: Kommunfullmäktige")
    project = example_project / "studsa.yaml"
    _edit(project, "  proposals:\n    - att godkänna förslag till Trygghets- och "
          "säkerhetsstrategi, samt\n    - att ge förvaltningen i uppdrag att ta fram och "
          "genomföra en handlingsplan utifrån strategin.\n", "")
    proposal = _section(_md(example_project), "Förslag till beslut")
    assert "Tekniska nämnden föreslås besluta" in proposal
    assert ("att föreslå kommunfullmäktige att godkänna förslag till Trygghets- och "
            "säkerhetsstrategi för Tekniska nämnden") in proposal


def test_a_lower_body_gets_the_memo_itself_and_memo_to_overrides(
        example_project: Path) -> None:
    project = example_project / "studsa.yaml"
    _edit(project, "  deliverable: strategi", "  deliverable: handlingsplan")
    _edit(project, "  proposals:\n    - att godkänna", "  proposals: []\n  old:\n    - x")
    _edit(project, "  old:\n    - x förslag till Trygghets- och säkerhetsstrategi, samt\n"
          "    - att ge förvaltningen i uppdrag att ta fram och genomföra en handlingsplan "
          "utifrån strategin.\n", "")
    text = _md(example_project)
    assert "Förvaltningens ledningsgrupp föreslås besluta" in text
    assert "**Nämnd:** Förvaltningens ledningsgrupp\\" in text
    _edit(project, "  deliverable: handlingsplan", "  deliverable: handlingsplan\n"
          "  to: Tekniska nämndens arbetsutskott")
    proposal = _section(_md(example_project), "Förslag till beslut")
    assert "Tekniska nämndens arbetsutskott föreslås besluta" in proposal
    assert "att föreslå förvaltningens ledningsgrupp att godkänna" in proposal


@pytest.mark.parametrize(("body", "higher", "inside"), [
    ("Kommunfullmäktige", True, "kommunfullmäktige"),
    ("Regionfullmäktige i Skåne", True, "regionfullmäktige i Skåne"),
    ("Kommunstyrelsen", True, "kommunstyrelsen"),
    ("Malmö kommunfullmäktige", True, "Malmö kommunfullmäktige"),
    ("Tekniska nämnden", False, "Tekniska nämnden"),
    ("Förvaltningens ledningsgrupp", False, "förvaltningens ledningsgrupp"),
    ("Stadsbyggnadskontoret", False, "stadsbyggnadskontoret"),
    ("Socialnämnden", False, "socialnämnden"),
])
def test_higher_bodies_and_names_inside_a_sentence(body: str, higher: bool,
                                                   inside: str) -> None:
    assert is_higher(body) is higher
    assert in_sentence(body, "sv") == inside
    assert in_sentence(body, "en") == body


def test_basis_lists_each_document_with_its_version_and_date(example_project: Path) -> None:
    _edit(example_project / "studsa.yaml", "memo:\n", "memo:\n  basis:\n"
          "    - Protokoll från presidiets workshop\n"
          "    - {title: Trygghetsmätning 2019, date: 2020-02-01, version: '2'}\n")
    basis = _section(_md(example_project), "Beslutsunderlag")
    assert ("- Tjänsteskrivelse Trygghets- och säkerhetsstrategi för Tekniska nämnden, "
            "1 september 2020") in basis
    assert ("- Förslag till Trygghets- och säkerhetsstrategi för Tekniska nämnden, version 1, "
            "1 september 2020") in basis
    assert "- Bilaga: Utmaningskarta, version 1\n" in basis
    assert "- Protokoll från presidiets workshop\n" in basis
    assert "- Trygghetsmätning 2019, version 2, 1 februari 2020" in basis


def test_the_remiss_round_is_told_and_its_summary_is_in_the_basis(cli, example_project: Path
                                                                   ) -> None:  # type: ignore[no-untyped-def]
    root = example_project
    steps = [
        ("remiss", "open", "strategi", "--to", "Stadsbyggnadsnämnden", "--to",
         "Miljönämnden", "--to", "Servicenämnden", "--deadline", "2020-06-15", "--date",
         "2020-05-04"),
        ("remiss", "answer", "Stadsbyggnadsnämnden", "--date", "2020-06-10", "--point",
         "Olika rapporteringstakt", "--point", "Tydligare om investeringar", "--point", "Bra"),
        ("remiss", "answer", "Miljönämnden", "--date", "2020-06-12", "--point", "Buller"),
        ("remiss", "respond", "p1", "--decision", "accepted", "--why", "Tertial eller år"),
        ("remiss", "respond", "p2", "--decision", "partly", "--why", "Se handlingsplanen"),
        ("remiss", "respond", "p3", "--decision", "noted", "--why", "Tack"),
    ]
    for step in steps:
        result = cli(*step, "-p", root)
        assert result.exit_code == 0, result.stderr
    text = _md(root)
    matter = _section(text, "Ärendet")
    assert "### Remissbehandling" in matter
    assert ("Förslaget (version 1) skickades på remiss till Stadsbyggnadsnämnden, Miljönämnden "
            "och Servicenämnden den 4 maj 2020 med sista svarsdag 15 juni 2020.") in matter
    assert ("2 av 3 remissinstanser har svarat; Servicenämnden har inte svarat. Av de 4 "
            "synpunkterna har 1 tillgodosetts, 1 delvis tillgodosetts, 1 noterats och "
            "1 ännu inte besvarats. Hur varje synpunkt har hanterats framgår av "
            "remissammanställningen.") in matter
    assert "- Remissammanställning, version 1\n" in _section(text, "Beslutsunderlag")


def test_economic_consequences_are_the_plans_costs_per_year(example_project: Path) -> None:
    text = _md(example_project)
    plan = _md(example_project, "handlingsplan")
    economy = _section(text, "Ekonomiska konsekvenser")
    # the same totals as the handlingsplan's own cost table
    for year in ("2021", "2022"):
        [row] = [r for r in plan.splitlines() if r.startswith(f"| **{year}** | **Totalt** |")]
        amounts = row.split("|")[3:6]
        assert f"| {year} | " + " | ".join(a.strip().strip("*") for a in amounts) + " |" in economy
    assert "kostar sammanlagt 13\u00a0500\u00a0000\u00a0kr" in economy
    assert economy.index("Strategin medför inga kostnader") < economy.index("| År |")


def test_without_a_plan_the_economy_is_to_be_written(new_project: Path) -> None:
    economy = _section(_md(new_project), "Ekonomiska konsekvenser")
    assert "[Att skriva: ekonomiska konsekvenser (memo.economy i studsa.yaml)]" in economy


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_memo_field_is_in_the_init_skeleton_with_a_comment(language: str) -> None:
    skeleton = (templates_dir() / "skeleton" / language / "studsa.yaml.j2").read_text(
        encoding="utf-8")
    block = skeleton[skeleton.index("\nmemo:\n"):]
    for field in Memo.model_fields:
        match = re.search(rf"^  {field}:.*?#\s*(\S.+)$", block, flags=re.M)
        assert match, f"memo.{field} is not in the {language} skeleton with a comment"
    swedish = "ärendemeningen" in block
    assert swedish is (language == "sv")


def test_a_new_project_renders_its_memo_with_markers(new_project: Path) -> None:
    text = _md(new_project)
    assert "[Att skriva: datum]" in text
    assert "[Att skriva: handläggare (reference i studsa.yaml)]" in text


def test_the_readme_shows_every_memo_field_in_a_block_that_loads() -> None:
    from ruamel.yaml import YAML

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(memo:\n.*?)```", readme, flags=re.S)
    assert block, "README.md has no memo: example"
    data = YAML(typ="safe").load(block.group(1))
    assert set(data["memo"]) == set(Memo.model_fields)
    Memo.model_validate(data["memo"])
