"""A small but complete project for the report tests, in Swedish or English."""

from __future__ import annotations

from pathlib import Path

TRICKY = "Trafik | buss *och* _cykel_ <script>x</script> #1"


def write(root: Path, rel: str, text: str) -> None:
    """Write one project file."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def make_project(root: Path, language: str = "sv", memo: str = "") -> Path:
    """Every phase filled in, one follow-up period, user text with Markdown in it."""
    write(root, "studsa.yaml", f"""schema: studsa.project/1
name: Safety strategy
organisation: Testby kommun
committee: Technical committee
dnr: TN-2024-1
language: {language}
start_year: 2023
reference:
  name: Alex Strateg
  title: Strategist
responsible:
  - name: Kim Chef
    title: Head of department
distribution: [Kommunstyrelsen, Akten]
departments:
  - id: gata
    name: Street department
    cadence: tertial
  - id: park
    name: Park department
meetings:
  - body: Technical committee
    date: 2023-05-17
    about: Decision
{memo}""")
    write(root, "1-avgransa/uppdragsbeskrivning.yaml", """schema: studsa.uppdragsbeskrivning/1
version: 1
status: draft
background: |-
  First paragraph.

  1. maj is a date, not a list.
purpose: Make streets safer.
scope:
  in: [Outdoor public spaces]
  out: [Indoor spaces]
partners: [Police]
decides: {strategi: Technical committee}
timeline:
  - what: Decision
    date: 2023-05-17
""")
    write(root, "2-identifiera/utmaningskarta.yaml", f"""schema: studsa.utmaningskarta/1
version: 1
status: draft
themes:
  - id: trafik
    title: Traffic
  - id: drift
    title: Maintenance
sources:
  - id: bra
    title: Agency report
    kind: narvarld
    organisation: Agency
  - id: intervjuer
    title: Interviews
    kind: invarld
challenges:
  - id: buss
    title: "{TRICKY}"
    theme: trafik
    description: "1. maj: more buses"
    sources: [bra, intervjuer]
  - id: skrap
    title: Litter
    theme: drift
    sources: [intervjuer]
  - id: snow
    title: Snow clearing
    theme: drift
    out_of_scope: Handled well already
""")
    write(root, "3-prioritera/strategi.yaml", """schema: studsa.strategi/1
version: 1
status: draft
criteria:
  - id: forebyggande
    title: Preventive
  - id: evidens
    title: Evidence based
selection:
  challenges: [buss]
  rationale: The presidium chose buses.
""")
    write(root, "3-prioritera/bedomningar/anna.yaml", """schema: studsa.bedomning/1
rater: Anna
assessments:
  - challenge: buss
    values: {forebyggande: ja, evidens: ja}
  - challenge: skrap
    values: {forebyggande: nej, evidens: ja}
""")
    write(root, "4-placera/handlingsplan.yaml", """schema: studsa.handlingsplan/1
version: 1
status: draft
start_year: 2023
placements:
  - challenge: buss
    goal: Safe bus stops
    horizon: mandate
    lead: gata
    contributes: [park]
activities:
  - id: lights
    title: Light the bus stops
    challenge: buss
    department: gata
    year: 2023
    cost: 2500000
    investment: true
  - id: trim
    title: Trim the hedges
    challenge: buss
    department: park
    year: 2023
    end_year: 2024
    cost: 100000
""")
    write(root, "uppfoljning/2023.yaml", """schema: studsa.uppfoljning/1
version: 1
status: draft
period: "2023"
departments: [gata, park]
reports:
  - activity: lights
    status: ongoing
    comment: Half done
    spent: 1000000
""")
    return root
