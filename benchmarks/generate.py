"""Generate a large studsa project (and an assessments CSV) for the benchmark.

``python benchmarks/generate.py OUT --challenges 1000 --raters 20`` writes a project with
the challenges spread over seven themes, sources, departments, a handlingsplan with
placements and activities, two follow-up periods, and ``OUT/bedomningar.csv`` holding one
row per rater and challenge for ``studsa score import``. Every tenth challenge is the one
the presidium will select (see ``selected_ids``); the raters say "ja" to all its criteria,
so the selection heads the ranking and every report has content.

The generator is deterministic (a fixed seed) so two runs give the same files.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

CRITERIA = ("forebyggande", "evidens", "sarbara", "snabb_effekt")
THEMES = (
    ("skotsel", "Skötsel och drift av offentliga miljöer"),
    ("planering", "Planering och utformning av staden"),
    ("trafik", "Trafik och rörelse i staden"),
    ("social", "Social hållbarhet och delaktighet"),
    ("klimat", "Klimatanpassning och miljö"),
    ("digital", "Digitalisering och service"),
    ("kompetens", "Kompetensförsörjning och organisation"),
)
PROBLEMS = (
    "Otrygga gångstråk", "Eftersatt belysning", "Nedskräpning", "Klotter och skadegörelse",
    "Brist på mötesplatser", "Långa handläggningstider", "Översvämningsrisk",
    "Höga hastigheter", "Svag samverkan", "Rekryteringsbehov", "Bristande tillgänglighet",
    "Värmeböljor i innerstaden",
)
PLACES = ("i centrum", "i ytterområdena", "vid skolor", "kring stationer", "i parker",
          "i nya stadsdelar", "längs huvudgator", "i bostadsområden")
YEAR = 2021


@dataclass(frozen=True)
class Sizes:
    """How big the generated project is."""

    challenges: int = 1000
    raters: int = 20

    @property
    def sources(self) -> int:
        """Sources scale with the challenges (at least ten)."""
        return max(10, self.challenges // 20)

    @property
    def departments(self) -> int:
        """Departments scale with the challenges (between 5 and 40)."""
        return min(40, max(5, self.challenges // 25))


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def challenge_id(index: int) -> str:
    """The id of the challenge number ``index`` (0-based)."""
    return f"u{index + 1:05d}"


def selected_ids(sizes: Sizes) -> list[str]:
    """The challenges the benchmark selects: every tenth one."""
    return [challenge_id(i) for i in range(0, sizes.challenges, 10)]


def department_ids(sizes: Sizes) -> list[str]:
    """The departments' ids."""
    return [f"avd{i + 1:02d}" for i in range(sizes.departments)]


def _init(root: Path) -> None:
    # Run from a neutral folder: `python -m` would import a checkout's studsa from the
    # current one, not the studsa this interpreter has installed (or PYTHONPATH names).
    done = subprocess.run(
        [sys.executable, "-m", "studsa", "init", str(root.resolve()), "--name",
         "Stor strategi", "--organisation", "Exempelstad", "--committee", "Tekniska nämnden",
         "--dnr", "TN-2021-0001", "--start-year", str(YEAR)],
        check=False, capture_output=True, text=True, cwd=tempfile.gettempdir(),
    )
    if done.returncode != 0:
        raise SystemExit(f"studsa init {root} exited {done.returncode}:\n{done.stderr}")


def project_yaml(sizes: Sizes) -> str:
    """``studsa.yaml`` with departments (every third reports per tertial)."""
    lines = [
        "schema: studsa.project/1",
        'name: "Stor strategi"',
        'organisation: "Exempelstad"',
        'committee: "Tekniska nämnden"',
        'dnr: "TN-2021-0001"',
        "language: sv",
        f"start_year: {YEAR}",
        "reference:",
        '  name: "Anna Andersson"',
        '  title: "Strateg"',
        "responsible:",
        '  - name: "Bo Berg"',
        '    title: "Förvaltningsdirektör"',
        "distribution: [Kommunstyrelsen, Akten]",
        "departments:",
    ]
    for i, dep in enumerate(department_ids(sizes)):
        cadence = "tertial" if i % 3 == 0 else "annual"
        lines += [f"  - id: {dep}", f"    name: {q(f'Avdelning {i + 1}')}",
                  f"    cadence: {cadence}", f"    contact: {q(f'Enhetschef, avdelning {i + 1}')}"]
    lines += [
        "meetings:",
        "  - body: Tekniska nämnden",
        f"    date: {YEAR - 1}-09-23",
        "    about: Beslut om strategin",
        "decisions: []",
    ]
    return "\n".join(lines) + "\n"


def uppdrag_yaml() -> str:
    """A filled-in uppdragsbeskrivning."""
    return "\n".join([
        "schema: studsa.uppdragsbeskrivning/1",
        "version: 1",
        "status: draft",
        'title: "Uppdragsbeskrivning: Stor strategi"',
        'background: "Kommunfullmäktige gav nämnden i uppdrag att ta fram en strategi."',
        'purpose: "Peka ut de viktigaste utmaningarna och placera ansvaret för dem."',
        'remit: "Nämndens grunduppdrag: gator, parker och trafik."',
        "scope:",
        '  in: ["Den offentliga miljön", "Förvaltningens egna verksamheter"]',
        '  out: ["Skolor och omsorg"]',
        'partners: ["Stadsbyggnadskontoret", "Polisen"]',
        "decides:",
        "  strategi: Tekniska nämnden",
        "timeline:",
        "  - what: Workshop om utmaningarna",
        f"    date: {YEAR - 1}-03-01",
        "    who: Förvaltningen",
    ]) + "\n"


def karta_yaml(sizes: Sizes, rng: random.Random) -> str:
    """The utmaningskarta: seven themes, sources and the challenges."""
    lines = ["schema: studsa.utmaningskarta/1", "version: 1", "status: draft",
             'intro: "Utmaningskartan samlar förvaltningens utmaningar."', "themes:"]
    for tid, title in THEMES:
        lines += [f"  - id: {tid}", f"    title: {q(title)}",
                  f"    description: {q('Utmaningar inom området ' + title.lower() + '.')}"]
    lines.append("sources:")
    source_ids = [f"k{i + 1:04d}" for i in range(sizes.sources)]
    for i, sid in enumerate(source_ids):
        kind = "narvarld" if i % 2 == 0 else "invarld"
        lines += [f"  - id: {sid}", f"    title: {q(f'Underlag nummer {i + 1}')}",
                  f"    kind: {kind}", f"    organisation: {q(f'Organisation {i % 13 + 1}')}",
                  f'    year: "{YEAR - 1 - i % 3}"']
    lines.append("challenges:")
    for i in range(sizes.challenges):
        theme = THEMES[i % len(THEMES)][0]
        title = f"{PROBLEMS[i % len(PROBLEMS)]} {PLACES[(i // 7) % len(PLACES)]} ({i + 1})"
        refs = ", ".join(sorted(rng.sample(source_ids, k=1 + i % 3)))
        lines += [
            f"  - id: {challenge_id(i)}",
            f"    title: {q(title)}",
            f"    theme: {theme}",
            f"    description: {q(f'Beskrivning av utmaning {i + 1}: varför den spelar roll.')}",
            f"    sources: [{refs}]",
        ]
    return "\n".join(lines) + "\n"


def plan_yaml(sizes: Sizes, rng: random.Random) -> str:
    """The handlingsplan: a placement and three activities per selected challenge."""
    deps = department_ids(sizes)
    lines = ["schema: studsa.handlingsplan/1", "version: 1", "status: draft",
             'title: "Handlingsplan: Stor strategi"',
             'intro: "Handlingsplanen placerar ansvaret för de prioriterade utmaningarna."',
             f"start_year: {YEAR}", "placements:"]
    horizons = ("mandate", "10y", "1y", f'"{YEAR + 3}"')
    # The last activity year each horizon allows (mandate: the period 2019-2022).
    last_offset = (1, 2, 0, 2)
    for n, cid in enumerate(selected_ids(sizes)):
        lead = deps[n % len(deps)]
        helpers = sorted({deps[(n + 1) % len(deps)], deps[(n + 3) % len(deps)]} - {lead})
        lines += [f"  - challenge: {cid}", f"    goal: {q(f'Målbild för utmaning {cid}.')}",
                  f"    horizon: {horizons[n % len(horizons)]}", f"    lead: {lead}",
                  f"    contributes: [{', '.join(helpers)}]"]
    lines.append("activities:")
    for n, cid in enumerate(selected_ids(sizes)):
        # The lead and the two contributing departments each get one activity, inside the
        # challenge's horizon, so a generated project validates clean.
        roles = (deps[n % len(deps)], deps[(n + 1) % len(deps)], deps[(n + 3) % len(deps)])
        for k in range(3):
            dep = roles[k]
            year = YEAR + min(k, last_offset[n % len(horizons)])
            lines += [f"  - id: {cid}-a{k + 1}", f"    title: {q(f'Aktivitet {k + 1} för {cid}')}",
                      f"    challenge: {cid}", f"    department: {dep}",
                      f"    year: {year}", f"    cost: {rng.randrange(50, 2000) * 1000}",
                      f"    investment: {'true' if k == 2 else 'false'}",
                      f"    indicator: {q('Andel åtgärdade platser')}"]
    return "\n".join(lines) + "\n"


def followup_yaml(sizes: Sizes, period: str, rng: random.Random) -> str:
    """A follow-up period reporting on the year's activities of the departments asked."""
    deps = department_ids(sizes)
    asked = deps if "-" not in period else [d for i, d in enumerate(deps) if i % 3 == 0]
    lines = ["schema: studsa.uppfoljning/1", "version: 1", "status: draft",
             f'period: "{period}"', f"departments: [{', '.join(asked)}]",
             f'summary: "Uppföljning {period}: de flesta aktiviteter pågår."', "reports:"]
    statuses = ("done", "ongoing", "delayed", "ongoing", "not_started")
    for n, cid in enumerate(selected_ids(sizes)):
        dep = deps[n % len(deps)]
        if dep not in asked:
            continue
        lines += [f"  - activity: {cid}-a1", f"    status: {statuses[n % len(statuses)]}",
                  f"    comment: {q('Arbetet följer planen.')}",
                  f"    spent: {rng.randrange(10, 500) * 1000}"]
    return "\n".join(lines) + "\n"


def write_csv(path: Path, sizes: Sizes, rng: random.Random) -> int:
    """Write the assessments CSV; return the number of values (rows × criteria)."""
    chosen = set(selected_ids(sizes))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["challenge", "rater", *CRITERIA])
        for r in range(sizes.raters):
            rater = f"Bedömare {r + 1:02d}"
            for i in range(sizes.challenges):
                cid = challenge_id(i)
                if cid in chosen:
                    cells = ["ja"] * len(CRITERIA)
                else:
                    cells = ["ja" if rng.random() < 0.4 else "nej" for _ in CRITERIA]
                writer.writerow([cid, rater, *cells])
    return sizes.raters * sizes.challenges * len(CRITERIA)


def generate(root: Path, sizes: Sizes, seed: int = 2021) -> Path:
    """Create the project in ``root`` (which must not exist); return the CSV's path."""
    rng = random.Random(seed)
    _init(root)
    files = {
        "studsa.yaml": project_yaml(sizes),
        "1-avgransa/uppdragsbeskrivning.yaml": uppdrag_yaml(),
        "2-identifiera/utmaningskarta.yaml": karta_yaml(sizes, rng),
        "4-placera/handlingsplan.yaml": plan_yaml(sizes, rng),
        f"uppfoljning/{YEAR}-T2.yaml": followup_yaml(sizes, f"{YEAR}-T2", rng),
        f"uppfoljning/{YEAR}.yaml": followup_yaml(sizes, str(YEAR), rng),
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    csv_path = root / "bedomningar.csv"
    write_csv(csv_path, sizes, rng)
    return csv_path


def main(argv: list[str] | None = None) -> None:
    """Command line: generate one project."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to create (must not exist)")
    parser.add_argument("--challenges", type=int, default=1000)
    parser.add_argument("--raters", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args(argv)
    if args.out.exists():
        parser.error(f"{args.out} exists; give a new folder")
    sizes = Sizes(args.challenges, args.raters)
    csv_path = generate(args.out, sizes, args.seed)
    print(f"wrote {args.out} ({sizes.challenges} challenges, {sizes.raters} raters) "
          f"and {csv_path}")


if __name__ == "__main__":
    main()
