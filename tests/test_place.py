"""Phase 4 (placera): departments, assign, activities, validation, overview and load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import snapshot

from studsa.workflow.context import Workspace

KARTA = """\
schema: studsa.utmaningskarta/1
version: 1
status: draft
themes:
  - id: stad
    title: Stadsmiljö
  - id: trafik
    title: Trafikmiljö
challenges:
  - id: renhallning
    title: Renhållning för ökad trygghet
    theme: stad
  - id: planarbete
    title: Trygghetsfrämjande faktorer i planarbetet
    theme: stad
  - id: trafikbeteende
    title: Trafikbeteende och otrygghet i trafikmiljön
    theme: trafik
  - id: befintlig-stad
    title: Rätt åtgärder för ökad trygghet i befintlig stad
    theme: stad
  - id: belysning
    title: Belysning i parker
    theme: stad
"""

SELECTION = """\
selection:
  challenges: [renhallning, planarbete, trafikbeteende, befintlig-stad]
  rationale: Presidiets workshop.
"""


def write_prioritized(root: Path) -> None:
    """Give a fresh project a challenge map and a selection of four challenges."""
    (root / "2-identifiera" / "utmaningskarta.yaml").write_text(KARTA, encoding="utf-8")
    strategi = root / "3-prioritera" / "strategi.yaml"
    lines = strategi.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [SELECTION if line.startswith("selection:") else line for line in lines]
    strategi.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def project(new_project: Path) -> Path:
    """A fresh project (start year 2021) with four prioritized challenges."""
    write_prioritized(new_project)
    return new_project


def run_ok(cli, *args: str | Path) -> str:
    """Run a command that must succeed; return its stdout."""
    result = cli(*args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return result.stdout


def build_placed(project: Path) -> Path:
    """Two departments with different cadences, three challenges placed, one without lead."""
    from studsa.workflow.activities import IndicatorInput, add_activity
    from studsa.workflow.place import add_department, assign

    ws = Workspace.open(project)
    add_department(ws, "Gatuavdelningen", "gatu", "tertial", "Anna Andersson")
    add_department(ws, "Parkavdelningen", "park")
    assign(ws, "renhallning", "gatu", goal="Rena gator", horizon="mandate")
    assign(ws, "renhallning", "park", role="contributes")
    assign(ws, "planarbete", "park", horizon="10y")
    assign(ws, "trafikbeteende", "gatu", horizon="1y")
    add_activity(ws, "renhallning", "Fler papperskorgar", "gatu", 2021, cost=2_500_000,
                 investment=True, indicator=IndicatorInput(kolada="N07403", baseline=62,
                                                           target=70, target_year=2022))
    add_activity(ws, "renhallning", "Städrundor i parker", "park", 2021, end_year=2022,
                 cost=300_000)
    add_activity(ws, "planarbete", "Trygghetsvandringar", "park", 2021,
                 indicator=IndicatorInput(text="Antal vandringar"))
    add_activity(ws, "trafikbeteende", "Hastighetskameror", "gatu", 2021, cost=100_000)
    return project


@pytest.fixture
def placed(project: Path) -> Path:
    """The ``build_placed`` project."""
    return build_placed(project)


def test_the_whole_placement_through_the_cli(cli, project: Path, tmp_path: Path) -> None:
    p = ("-p", project)
    run_ok(cli, "department", "add", "Gatuavdelningen", "--id", "gatu", "--cadence", "tertial",
           "--contact", "Anna Andersson", *p)
    run_ok(cli, "department", "add", "Parkavdelningen", "--id", "park", *p)
    run_ok(cli, "assign", "renhallning", "--department", "gatu", "--goal", "Rena gator",
           "--horizon", "mandate", *p)
    run_ok(cli, "assign", "renhallning", "-d", "park", "--role", "contributes", *p)
    run_ok(cli, "assign", "planarbete", "-d", "Parkavdelningen", "--horizon", "10y", *p)
    run_ok(cli, "assign", "trafikbeteende", "-d", "gatu", "--horizon", "1y", *p)
    run_ok(cli, "activity", "add", "renhallning", "Fler papperskorgar", "-d", "gatu",
           "--year", "2021", "--cost", "2 500 000", "--investment", "--kolada", "n07403",
           "--baseline", "62", "--target", "70", "--target-year", "2022", *p)
    run_ok(cli, "activity", "add", "renhallning", "Städrundor i parker", "-d", "park",
           "--year", "2021", "--end-year", "2022", "--cost", "300000", *p)
    run_ok(cli, "activity", "add", "planarbete", "Trygghetsvandringar", "-d", "park",
           "--year", "2021", "--indicator", "Antal vandringar", *p)
    run_ok(cli, "activity", "add", "trafikbeteende", "Hastighetskameror", "-d", "gatu",
           "--year", "2021", "--cost", "100 000 kr", *p)
    other = build_placed(_fresh(tmp_path))
    for name in ("studsa.yaml", "4-placera/handlingsplan.yaml"):
        assert (project / name).read_text(encoding="utf-8") == (other / name).read_text(
            encoding="utf-8"), name


def _fresh(tmp_path: Path) -> Path:
    from studsa.workflow.project import InitOptions, init_project

    root = tmp_path / "other" / "strategi"
    init_project(InitOptions(path=root, name="Teststrategi", committee="Testnämnden",
                             start_year=2021))
    write_prioritized(root)
    return root


# departments --------------------------------------------------------------------------


def test_department_add_list_json(cli, project: Path) -> None:
    run_ok(cli, "department", "add", "Gatuavdelningen", "--cadence", "tertial",
           "--contact", "Anna", "-p", project)
    run_ok(cli, "department", "add", "Parkavdelningen", "-p", project)
    data = json.loads(run_ok(cli, "department", "list", "--json", "-p", project))
    assert [(d["id"], d["title"], d["cadence"], d["contact"]) for d in data] == [
        ("gatuavdelningen", "Gatuavdelningen", "tertial", "Anna"),
        ("parkavdelningen", "Parkavdelningen", "annual", None),
    ]
    text = (project / "studsa.yaml").read_text(encoding="utf-8")
    assert "# avdelningar" in text  # the skeleton's comment survives
    assert "cadence: tertial" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("department", "add", "Gata", "--cadence", "weekly"), "cadence 'weekly'"),
        (("department", "add", "Gata", "--id", "Bad Id"), "is not valid"),
        (("department", "edit", "nope", "--cadence", "annual"), "no department 'nope'"),
        (("department", "edit", "gatu"), "nothing to change"),
    ],
)
def test_department_errors_change_nothing(cli, project: Path, args, message) -> None:
    run_ok(cli, "department", "add", "Gatuavdelningen", "--id", "gatu", "-p", project)
    before = snapshot(project)
    result = cli(*args, "-p", project)
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(project) == before


def test_department_duplicate_name_and_id(cli, project: Path) -> None:
    run_ok(cli, "department", "add", "Gatuavdelningen", "--id", "gatu", "-p", project)
    assert "already exists" in cli("department", "add", "gatuavdelningen", "-p",
                                   project).stderr
    assert "already used" in cli("department", "add", "Annan", "--id", "gatu", "-p",
                                 project).stderr


def test_department_edit_and_remove(cli, placed: Path) -> None:
    run_ok(cli, "department", "edit", "Parkavdelningen", "--cadence", "tertial", "-p", placed)
    data = json.loads(run_ok(cli, "department", "list", "--json", "-p", placed))
    park = next(d for d in data if d["id"] == "park")
    assert park["cadence"] == "tertial"
    assert park["leads"] == ["planarbete"] and park["contributes"] == ["renhallning"]
    before = snapshot(placed)
    result = cli("department", "remove", "park", "-p", placed)
    assert result.exit_code == 1
    assert "still used" in result.stderr and "lead of planarbete" in result.stderr
    assert snapshot(placed) == before
    run_ok(cli, "department", "add", "Oanvänd", "-p", placed)
    run_ok(cli, "department", "remove", "oanvand", "-p", placed)
    ids = [d["id"] for d in json.loads(run_ok(cli, "department", "list", "--json", "-p",
                                              placed))]
    assert ids == ["gatu", "park"]


# assign -------------------------------------------------------------------------------


def test_second_lead_is_an_error_naming_the_current_lead(cli, placed: Path) -> None:
    before = snapshot(placed)
    result = cli("assign", "renhallning", "-d", "park", "-p", placed)
    assert result.exit_code == 1
    assert "already has the lead department 'gatu'" in result.stderr
    assert snapshot(placed) == before
    run_ok(cli, "assign", "renhallning", "-d", "park", "--replace", "-p", placed)
    plan = Workspace.open(placed).plan.model
    placement = next(p for p in plan.placements if p.challenge == "renhallning")
    assert placement.lead == "park" and placement.contributes == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("assign", "belysning", "-d", "gatu"), 2, "not prioritized"),
        (("assign", "okand", "-d", "gatu"), 2, "no challenge 'okand'"),
        (("assign", "renhallning", "-d", "okand"), 2, "no department 'okand'"),
        (("assign", "renhallning", "-d", "gatu", "--role", "boss"), 2, "role 'boss'"),
        (("assign", "renhallning", "--horizon", "5y"), 2, "horizon '5y'"),
        (("assign", "renhallning", "--horizon", "2019"), 2, "ends before the plan starts"),
        (("assign", "renhallning"), 2, "nothing to assign"),
        (("assign", "renhallning", "-d", "gatu", "--role", "contributes"), 2, "already leads"),
        (("assign", "renhallning", "-d", "park", "--remove"), 1, "has activities"),
    ],
)
def test_assign_errors_change_nothing(cli, placed: Path, args, code, message) -> None:
    before = snapshot(placed)
    result = cli(*args, "-p", placed)
    assert result.exit_code == code, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(placed) == before


def test_assign_keeps_comments_and_sets_goal(cli, placed: Path) -> None:
    path = placed / "4-placera" / "handlingsplan.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server")
    path.write_text(text.replace("placements:", "# mina placeringar\nplacements:"),
                    encoding="utf-8")
    run_ok(cli, "assign", "befintlig-stad", "-d", "park", "--goal", "Trygg stad",
           "--horizon", "2030", "-p", placed)
    text = path.read_text(encoding="utf-8")
    assert "# mina placeringar" in text
    assert "goal: Trygg stad" in text and "horizon: '2030'" in text


# activities ---------------------------------------------------------------------------


def test_activity_list_json_and_filters(cli, placed: Path) -> None:
    data = json.loads(run_ok(cli, "activity", "list", "--json", "-p", placed))
    assert [a["id"] for a in data] == ["fler-papperskorgar", "stadrundor-i-parker",
                                       "trygghetsvandringar", "hastighetskameror"]
    first = data[0]
    assert first["title"] == "Fler papperskorgar" and first["cost"] == 2_500_000
    assert first["investment"] is True
    assert first["indicator"]["kolada"] == "N07403" and first["indicator"]["target"] == 70
    assert data[2]["indicator"] == {"text": "Antal vandringar", "kolada": None,
                                    "baseline": None, "target": None, "target_year": None,
                                    "unit": None}
    park_2022 = json.loads(run_ok(cli, "activity", "list", "--json", "-d", "park", "--year",
                                  "2022", "-p", placed))
    assert [a["id"] for a in park_2022] == ["stadrundor-i-parker"]
    table = run_ok(cli, "activity", "list", "-d", "gatu", "-p", placed)
    assert "SEK\u00a02,500,000" in table and "N07403" in table
    swedish = run_ok(cli, "--lang", "sv", "activity", "list", "-d", "gatu", "-p", placed)
    assert "2\u00a0500\u00a0000\u00a0kr" in swedish and "kostnad" in swedish


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("belysning", "X", "-d", "gatu", "--year", "2021"), "not prioritized"),
        (("befintlig-stad", "X", "-d", "gatu", "--year", "2021"), "no lead department yet"),
        (("planarbete", "X", "-d", "gatu", "--year", "2021"), "neither leads nor contributes"),
        (("trafikbeteende", "X", "-d", "gatu", "--year", "2022"), "outside the horizon"),
        (("renhallning", "X", "-d", "gatu", "--year", "2023"), "outside the horizon"),
        (("renhallning", "X", "-d", "gatu", "--year", "2021", "--cost", "2,5 mkr"),
         "not a whole number"),
        (("renhallning", "X", "-d", "gatu", "--year", "2021", "--kolada", "X123"),
         "Kolada KPI id"),
        (("renhallning", "X", "-d", "gatu", "--year", "2022", "--end-year", "2021"),
         "before --year"),
        (("renhallning", "Fler papperskorgar", "-d", "gatu", "--year", "2021", "--id",
          "fler-papperskorgar"), "already used"),
    ],
)
def test_activity_add_errors_change_nothing(cli, placed: Path, args, message) -> None:
    before = snapshot(placed)
    result = cli("activity", "add", *args, "-p", placed)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert snapshot(placed) == before


def test_activity_edit(cli, placed: Path) -> None:
    run_ok(cli, "activity", "edit", "fler-papperskorgar", "--operating", "--cost", "1800000",
           "--target", "75", "--status", "ongoing", "-p", placed)
    activity = next(a for a in Workspace.open(placed).plan.model.activities
                    if a.id == "fler-papperskorgar")
    assert activity.investment is False and activity.cost == 1_800_000
    assert activity.indicator.kolada == "N07403" and activity.indicator.target == 75
    assert activity.status == "ongoing"
    before = snapshot(placed)
    for args, message in ((("--year", "2024"), "outside the horizon"),
                          (("--status", "finished"), "status 'finished'"),
                          (("--department", "okand"), "no department"),
                          ((), "nothing to change")):
        result = cli("activity", "edit", "fler-papperskorgar", *args, "-p", placed)
        assert result.exit_code == 2 and message in result.stderr, (args, result.stderr)
    assert cli("activity", "edit", "nope", "--year", "2021", "-p", placed).exit_code == 2
    assert snapshot(placed) == before


def test_activity_remove(cli, placed: Path) -> None:
    run_ok(cli, "activity", "remove", "hastighetskameror", "-p", placed)
    ids = [a.id for a in Workspace.open(placed).plan.model.activities]
    assert "hastighetskameror" not in ids
    result = cli("activity", "remove", "hastighetskameror", "-p", placed)
    assert result.exit_code == 2 and "no activity" in result.stderr


def test_activity_with_reports_cannot_be_removed(cli, placed: Path) -> None:
    run_ok(cli, "followup", "new", "2021", "-p", placed)
    run_ok(cli, "followup", "record", "hastighetskameror", "--period", "2021", "--status",
           "done", "-p", placed)
    before = snapshot(placed)
    result = cli("activity", "remove", "hastighetskameror", "-p", placed)
    assert result.exit_code == 1 and "--status stopped" in result.stderr
    assert snapshot(placed) == before


# validate and status ------------------------------------------------------------------


def test_validate_names_the_challenge_without_lead(cli, placed: Path) -> None:
    result = cli("validate", "--json", "-p", placed)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert len(errors) == 1
    assert "`befintlig-stad`" in errors[0]["message"] and "no lead" in errors[0]["message"]
    assert errors[0]["file"] == "4-placera/handlingsplan.yaml" and errors[0]["line"]
    run_ok(cli, "assign", "befintlig-stad", "-d", "park", "-p", placed)
    assert cli("validate", "-p", placed).exit_code == 0


def test_before_phase_4_missing_leads_are_warnings(cli, project: Path) -> None:
    result = cli("validate", "--json", "-p", project)
    findings = json.loads(result.stdout)["findings"]
    mine = [f for f in findings if "no lead department" in f["message"]]
    assert len(mine) == 4 and {f["severity"] for f in mine} == {"warning"}


HAND_EDITED = """\
schema: studsa.handlingsplan/1
version: 1
status: draft
start_year: 2021
placements:
  - challenge: renhallning
    lead: gatu
    horizon: 1y
  - challenge: renhallning
    lead: park
  - challenge: belysning
    lead: okand
activities:
  - id: a1
    title: Utanför horisonten
    challenge: renhallning
    department: gatu
    year: 2023
  - id: a1
    title: Fel avdelning
    challenge: planarbete
    department: gatu
    year: 2021
  - id: a3
    title: Ej prioriterad
    challenge: belysning
    department: nowhere
    year: 2021
"""


def test_validate_hand_edited_plan(cli, placed: Path) -> None:
    (placed / "4-placera" / "handlingsplan.yaml").write_text(HAND_EDITED, encoding="utf-8")
    result = cli("validate", "--json", "-p", placed)
    assert result.exit_code == 1
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    expected = [
        "challenge `renhallning` is placed 2 times",
        "lead department `okand`",
        "`belysning` is placed but not prioritized",
        "prioritized challenge `planarbete`",
        "activity id `a1` is used 2 times",
        "activity `a1` (2023) is outside the horizon of `renhallning` (1y: 2021)",
        "department `gatu` neither leads nor contributes to `planarbete`",
        "activity `a3` is on `belysning`, which is not a prioritized challenge",
        "unknown department `nowhere`",
    ]
    for text in expected:
        assert any(text in m for m in messages), (text, messages)


def test_status_shows_missing_lead_and_load(cli, placed: Path) -> None:
    data = json.loads(run_ok(cli, "status", "--json", "-p", placed))
    notes = [n["message"] for n in data["notes"]]
    assert any("without a lead department: befintlig-stad" in n for n in notes)
    assert any(n.startswith("reporting load of Gatuavdelningen (tertial") and "2021: 6" in n
               for n in notes)
    assert any("Parkavdelningen (annual" in n and "2021: 2, 2022: 1" in n for n in notes)
    # gatu: 6 of 8 reports but 2.6 of 2.9 MSEK: in proportion, not flagged
    assert not any("carries" in n for n in notes)


# overview for the reports -------------------------------------------------------------


def test_plan_overview_per_challenge_department_and_year(placed: Path) -> None:
    from studsa.workflow.place import plan_overview

    ov = plan_overview(Workspace.open(placed))
    assert ov.start_year == 2021 and ov.mandate == (2019, 2022)
    assert ov.years == (2021, 2022)
    assert [c.id for c in ov.challenges] == ["renhallning", "planarbete", "trafikbeteende",
                                             "befintlig-stad"]
    ren = ov.challenges[0]
    assert ren.title == "Renhållning för ökad trygghet" and ren.theme_title == "Stadsmiljö"
    assert ren.goal == "Rena gator" and ren.horizon_code == "mandate"
    assert (ren.horizon.first_year, ren.horizon.last_year, ren.horizon.mandate) == (
        2021, 2022, (2019, 2022))
    assert ren.lead.name == "Gatuavdelningen" and ren.lead.contact == "Anna Andersson"
    assert [d.name for d in ren.contributes] == ["Parkavdelningen"]
    assert [a.id for a in ren.activities] == ["fler-papperskorgar", "stadrundor-i-parker"]
    # the two-year activity costs 300 000 a year
    assert (ren.costs.operating, ren.costs.investment) == (600_000, 2_500_000)
    assert ren.activities[0].indicator.kolada == "N07403"
    assert ov.challenges[3].lead is None and ov.without_lead == ("befintlig-stad",)
    assert ov.challenges[1].horizon.last_year == 2030
    gatu, park = ov.departments
    assert gatu.leads == ("renhallning", "trafikbeteende") and park.contributes == (
        "renhallning",)
    assert [(y.year, y.operating, y.investment, y.reports) for y in gatu.years] == [
        (2021, 100_000, 2_500_000, 6)]
    assert [(y.year, y.operating, y.investment, y.total, y.reports) for y in park.years] == [
        (2021, 300_000, 0, 300_000, 2), (2022, 300_000, 0, 300_000, 1)]
    assert [(y.year, y.operating, y.investment, y.total) for y in ov.totals_per_year] == [
        (2021, 400_000, 2_500_000, 2_900_000), (2022, 300_000, 0, 300_000)]
    assert (ov.totals.operating, ov.totals.investment, ov.totals.total) == (
        700_000, 2_500_000, 3_200_000)
    assert [(e.department.id, e.year, e.reports, e.flagged) for e in ov.load] == [
        ("gatu", 2021, 6, False), ("park", 2021, 2, False), ("park", 2022, 1, False)]
    assert ov.unplaced_activities == ()


@pytest.mark.parametrize(
    ("text", "amount"),
    [("2500000", 2_500_000), ("2 500 000", 2_500_000), ("2_500_000 kr", 2_500_000),
     ("2\u00a0500\u00a0000 SEK", 2_500_000), ("0", 0), ("1500:-", 1500)],
)
def test_parse_sek(text: str, amount: int) -> None:
    from studsa.workflow.plan import parse_sek

    assert parse_sek(text) == amount


@pytest.mark.parametrize("text", ["2,5", "-100", "2.5e6", "kr", "", "tio"])
def test_parse_sek_refuses(text: str) -> None:
    from studsa.errors import UsageError
    from studsa.workflow.plan import parse_sek

    with pytest.raises(UsageError, match="whole number"):
        parse_sek(text)
