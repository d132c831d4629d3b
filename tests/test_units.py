"""The org-unit term (``org_unit:``): every label that names the units uses the project's word."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_project import make_project

from studsa.i18n import CATALOG, labels
from studsa.report.units import term_of, unit_forms, with_units
from studsa.workflow.context import Workspace
from studsa.workflow.render import render_markdown


def _set_org_unit(root: Path, term: str) -> None:
    project = root / "studsa.yaml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("\nlanguage:", f"\norg_unit: {term}\nlanguage:", 1),
                       encoding="utf-8")


def _without_names(text: str) -> str:
    return text.replace("Park department", "").replace("Street department", "").lower()


def _md(root: Path, report: str) -> str:
    [item] = render_markdown(Workspace.open(root), [report], None)
    return item.markdown


@pytest.mark.parametrize(("setting", "term"), [
    (None, "department"), ("", "department"), ("avdelning", "department"),
    ("Nämnd", "committee"), ("committee", "committee"), ("  bolag ", "company"),
    ("förvaltning", "administration"), ("office", "office"), ("sektor", None),
])
def test_term_of_knows_both_languages(setting: str | None, term: str | None) -> None:
    assert term_of(setting, CATALOG) == term


def test_swedish_forms_of_a_known_term() -> None:
    forms = unit_forms("nämnd", labels("sv"), CATALOG)
    assert forms["unit"] == "nämnd" and forms["unit_cap"] == "Nämnd"
    assert forms["units"] == "nämnder" and forms["units_the"] == "nämnderna"
    assert forms["lead_unit_cap"] == "Ansvarig nämnd"
    assert unit_forms("bolag", labels("sv"), CATALOG)["lead_unit"] == "ansvarigt bolag"


def test_english_report_translates_a_swedish_setting() -> None:
    forms = unit_forms("nämnd", labels("en"), CATALOG)
    assert forms["units"] == "committees" and forms["lead_unit_cap"] == "Lead committee"


def test_an_unknown_term_is_used_as_written() -> None:
    forms = unit_forms("stadsdel  sektor", labels("sv"), CATALOG)
    assert forms["unit"] == forms["units"] == "stadsdel sektor"
    assert forms["lead_unit_cap"] == "Ansvarig stadsdel sektor"


def test_every_unit_placeholder_is_filled_and_others_stay() -> None:
    t = with_units(labels("sv"), unit_forms("nämnd", labels("sv"), CATALOG))
    assert not [k for k, v in t.items() if "{unit" in v or "{lead_unit" in v]
    assert t["per_department"] == "Per nämnd"
    assert t["missing_reports_intro"] == "Följande nämnder har inte rapporterat för perioden."
    assert "{placed}" in t["memo_plan_text"] and "nämnderna" in t["memo_plan_text"]


def test_default_reports_say_avdelning(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    text = _md(root, "handlingsplan")
    assert "Ansvarig avdelning" in text and "## Per avdelning" in text


def test_handlingsplan_and_lagesbild_use_the_project_term(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    _set_org_unit(root, "nämnd")
    plan = _md(root, "handlingsplan")
    assert "avdelning" not in _without_names(plan)
    assert "**Ansvarig nämnd:**" in plan and "## Per nämnd" in plan
    assert "| År | Aktivitet | Nämnd |" in plan
    picture = _md(root, "lagesbild")
    assert "## Status per nämnd" in picture
    assert "Följande nämnder har inte rapporterat för perioden." in picture


def test_english_project_with_companies(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", language="en")
    _set_org_unit(root, "company")
    plan = _md(root, "handlingsplan")
    assert "**Lead company:**" in plan and "## By company" in plan
    assert "department" not in _without_names(plan)


def test_handlingsplan_shows_cadence_contact_and_indicator_targets(example_project: Path
                                                                   ) -> None:
    plan = _md(example_project, "handlingsplan")
    gata = plan[plan.index("### Gatuavdelningen"):]
    assert gata.index("- **Rapporterar:** varje tertial") < gata.index("- **Leder:**")
    assert "- **Kontaktperson:** Driftchef, gatuavdelningen" in gata
    assert "överfulla: 30 → 10 procent (2022) |" in gata


def test_source_urls_are_shown_as_links(example_project: Path) -> None:
    karta = _md(example_project, "utmaningskarta")
    assert "(närvärldsanalys, Boverket, 2019) <https://www.boverket.se/>" in karta
    assert "| Inventering av aktuellt material från BRÅ <https://bra.se/> |" in karta


def test_lagesbild_planned_label_names_the_period(example_project: Path) -> None:
    picture = _md(example_project, "lagesbild")
    assert "**Planerad kostnad 2021 för periodens aktiviteter:**" in picture
    assert "Planerat 2021:" not in picture


def test_tertial_lagesbild_also_gives_the_whole_years_plan(example_project: Path) -> None:
    [item] = render_markdown(Workspace.open(example_project), ["lagesbild"], "2021-T2")
    lines = item.markdown.splitlines()
    period = "- **Planerad kostnad 2021 för periodens aktiviteter:** 5\u00a0250\u00a0000\u00a0kr"
    year = "- **Planerad kostnad 2021 i hela handlingsplanen:** 8\u00a0900\u00a0000\u00a0kr"
    assert lines.index(period) + 1 == lines.index(year)
    full = _md(example_project, "lagesbild")
    assert "i hela handlingsplanen" not in full  # the full year asks every department
