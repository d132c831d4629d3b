"""studsa's benchmark: every target of issue 13, each command timed in pairs with the floor.

Run ``python benchmarks/run.py`` (``--quick``: three pairs, no 1,000 × 20 project). The
floor F is ``python -c "import typer"`` on studsa's own interpreter. Each command runs in
a fresh process, alternating with the floor (F, command, F, command, …) after one warm-up
pair that is printed but not counted; its ratio is the median of the per-pair ratios.
studsa keeps no cache, so every counted run is a first, cold run. Every run is printed;
``benchmarks/RESULTS.md`` gets the tables. Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (beside this script)
import results  # noqa: E402
from timing import PYTHON, Paired, paired, run_once, single, studsa_output  # noqa: E402

RATERS = 20
SMALL, BIG = 100, 1000


@dataclass(frozen=True)
class Target:
    """A target: at most ``limit`` × F, or (``absolute``) under ``limit`` seconds."""

    limit: float
    absolute: bool = False

    def text(self) -> str:
        """The target as the table shows it."""
        return f"< {self.limit:g} s" if self.absolute else f"≤ {self.limit:g} F"

    def met(self, measure: Paired) -> bool:
        """True when ``measure`` meets the target."""
        if self.absolute:
            return measure.seconds < self.limit
        return measure.ratio <= self.limit


STARTUP = (("--version", ["--version"], Target(1.3)), ("--help", ["--help"], Target(3)))
MALMO = (
    ("status", ["status"], Target(3)),
    ("validate", ["validate"], Target(3)),
    ("score", ["score"], Target(3)),
    ("render --format md", ["render", "--format", "md"], Target(5)),
    ("render --format docx", ["render", "--format", "docx"], Target(8)),
)
IMPORT = ["score", "import", "bedomningar.csv"]
# label, arguments, target at 100 × 20, target at 1,000 × 20 (None: measured for growth).
SCALE: tuple[tuple[str, list[str], Target | None, Target | None], ...] = (
    ("score", ["score"], Target(4), Target(8)),
    ("validate", ["validate"], Target(4), None),
    ("render --format md", ["render", "--format", "md"], Target(6), Target(14)),
    ("score import", IMPORT, None, Target(10, absolute=True)),
)
FORMATS = ("docx", "html", "pdf")


class Bench:
    """Times commands against the floor and keeps every row in one ``Report``."""

    def __init__(self, pairs: int) -> None:
        self.report = results.Report(pairs)
        self.measures: list[Paired] = []

    def time(self, label: str, project: str, args: list[str], cwd: Path | None,
             target: Target | None, fresh: Callable[[], Path] | None = None) -> Paired:
        """Time ``studsa ARGS`` against the floor and record the row."""
        measure = paired(label, project, args, cwd, self.report.pairs, fresh)
        verdict = None if target is None else target.met(measure)
        self.report.timings.append(results.TimeRow(measure, target.text() if target else "–",
                                                   verdict))
        self.measures.append(measure)
        if target is not None:
            print(f"    target {target.text()}: {'pass' if verdict else 'FAIL'}", flush=True)
        return measure


def malmo(bench: Bench, work: Path) -> None:
    """Start-up, then the bundled Malmö example (copied with ``studsa init --example``)."""
    print("start-up", flush=True)
    for label, args, target in STARTUP:
        bench.time(label, "–", args, work, target)
    example = work / "malmo"
    studsa_output(["init", str(example), "--example", "malmo"])
    print("the bundled Malmö example", flush=True)
    for label, args, target in MALMO:
        bench.time(label, "Malmö", args, example, target)


def scale(bench: Bench, challenges: int, work: Path) -> tuple[dict[str, Paired], Path]:
    """A generated project: score, validate and render it; import its CSV into fresh copies.

    Returns the measures by command and the project (assessments imported, selection made).
    """
    sizes = generate.Sizes(challenges, RATERS)
    name = f"{challenges}×{RATERS}"
    print(f"generated project {name} ({challenges * RATERS * len(generate.CRITERIA):,} "
          "assessments)", flush=True)
    base = work / f"base-{challenges}"  # as generated: no rater files, the CSV beside it
    generate.generate(base, sizes)
    project = work / f"p{challenges}"
    shutil.copytree(base, project)
    studsa_output(IMPORT, project)
    studsa_output(["select", *generate.selected_ids(sizes), "--rationale", "Benchmark"],
                  project)
    copy = work / f"import-{challenges}"

    def fresh() -> Path:
        """A new copy of the project without rater files, in place of the last one."""
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(base, copy)
        return copy

    found = {}
    for label, args, small_target, big_target in SCALE:
        target = small_target if challenges == SMALL else big_target
        importing = args is IMPORT
        found[label] = bench.time(label, name, args, None if importing else project, target,
                                  fresh if importing else None)
    return found, project


def memory(bench: Bench, project: Path, name: str, limit: float) -> None:
    """Peak memory of every measured command, and of render in every other format."""
    rows = bench.report.memory
    rows += [results.MemoryRow(m.label, m.project, m.peak_mib) for m in bench.measures]
    print(f"peak memory: render in every other format on {name} (one run each)", flush=True)
    for fmt in FORMATS:
        if fmt == "pdf" and not _weasyprint():
            print("  render --format pdf: skipped (weasyprint is not installed)", flush=True)
            continue
        run = single(f"render --format {fmt}", name, ["render", "--format", fmt], project,
                     limit)
        rows.append(results.MemoryRow(f"render --format {fmt}", name, run.peak_kib / 1024,
                                      run.stopped))


def _weasyprint() -> bool:
    """True when studsa's interpreter can import weasyprint (pdf output)."""
    try:
        run_once([PYTHON, "-c", "import weasyprint"])
    except SystemExit:
        return False
    return True


def growth(bench: Bench, small: dict[str, Paired], big: dict[str, Paired]) -> None:
    """100 → 1,000 challenges: each command's ratio to F at 1,000 over that at 100."""
    for label, measure in big.items():
        row = results.GrowthRow(small[label], measure)
        bench.report.growth.append(row)
        print(f"  growth of {label}: {row.small.ratio:.2f} F → {measure.ratio:.2f} F = "
              f"{row.factor:.1f}× ({'pass' if row.ok else 'FAIL'})", flush=True)


def peers(repeats: int) -> list[results.PeerRow]:
    """In-process ranking beside pymcdm and scikit-criteria (needs the bench extra)."""
    print("ranking in process, studsa beside its peers (not a target)", flush=True)
    try:
        import peers as peer_module
    except ImportError as err:
        print(f"  skipped: {err} (pip install 'studsa[bench]')", flush=True)
        return []
    rows = []
    for raters in (1, RATERS):
        timings = peer_module.compare(raters, repeats)
        ours = timings[0].median
        rows += [results.PeerRow(t.method, raters, t.median, min(t.times), t.median / ours)
                 for t in timings]
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="3 pairs and no 1,000 × 20 project: a fast check of the script")
    parser.add_argument("--pairs", type=int, help="counted pairs per command (default 7)")
    parser.add_argument("--limit", type=float, default=900.0,
                        help="seconds after which a memory-only render is stopped "
                             "(default 900)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    pairs = args.pairs or (3 if args.quick else 7)
    results.compile_studsa()
    machine = results.machine()
    print("\n".join(machine), flush=True)
    cache = results.cache_snapshot()
    bench = Bench(pairs)
    with tempfile.TemporaryDirectory(prefix="studsa-bench-") as tmp:
        work = Path(tmp)
        malmo(bench, work)
        small, project = scale(bench, SMALL, work)
        name = f"{SMALL}×{RATERS}"
        if not args.quick:
            big, project = scale(bench, BIG, work)
            name = f"{BIG}×{RATERS}"
            print("growth from 100 to 1,000 challenges", flush=True)
            growth(bench, small, big)
        memory(bench, project, name, args.limit)
    bench.report.peers = peers(pairs)
    cold = results.cache_statement(cache)
    print(cold, flush=True)
    command = " ".join(["python benchmarks/run.py", *(sys.argv[1:] if argv is None else argv)])
    results.write(args.out, bench.report, command, machine, cold)
    print(f"wrote {args.out}")
    failed = bench.report.failures()
    for line in failed:
        print(f"FAIL {line}")
    return 1 if failed else 0

if __name__ == "__main__":
    raise SystemExit(main())
