"""studsa's benchmark: start-up against the typer floor, scale at two sizes, and a peer.

Run ``python benchmarks/run.py`` (``--quick`` for a short run). It prints every figure and
writes ``benchmarks/RESULTS.md``: the machine, the targets, the measured values and
pass/fail per target, all measured in this one run. Targets are those of issue 8.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (beside this script)

BIN = Path(sys.executable).parent
STUDSA = [str(BIN / "studsa")] if (BIN / "studsa").exists() else [sys.executable, "-m", "studsa"]
# As after `pip install`: modules run from their compiled bytecode. (PYTHONDONTWRITEBYTECODE
# would make every run compile studsa's modules again, which no installed tool does.)
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV.update({"NO_COLOR": "1", "COLUMNS": "100"})


@dataclass
class Row:
    """One line of the results table."""

    what: str
    target: str
    value: str
    ok: bool | None

    def cells(self) -> list[str]:
        """The row as table cells."""
        verdict = "–" if self.ok is None else ("pass" if self.ok else "FAIL")
        return [self.what, self.target, self.value, verdict]


@dataclass
class Results:
    """Everything measured in one run."""

    rows: list[Row] = field(default_factory=list)

    def add(self, what: str, target: str, value: str, ok: bool | None) -> None:
        """Record and print a figure."""
        row = Row(what, target, value, ok)
        self.rows.append(row)
        print(" | ".join(row.cells()), flush=True)


def run_timed(argv: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
              ) -> tuple[float, int]:
    """Run a command; return its wall time in seconds and its peak RSS in KiB."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env={**ENV, **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    # wait4 gives this child's own resource usage, including its peak RSS.
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n"
                         f"{stderr.decode(errors='replace')}")
    return elapsed, usage.ru_maxrss


def median_time(argv: list[str], repeats: int, cwd: Path | None = None,
                env: dict[str, str] | None = None) -> float:
    """The median wall time of ``repeats`` runs (after one warm-up run)."""
    run_timed(argv, cwd, env)
    return statistics.median(run_timed(argv, cwd, env)[0] for _ in range(repeats))


def startup(results: Results, repeats: int, example: Path) -> None:
    """Start-up times against ``python -c 'import typer'``."""
    floor = median_time([sys.executable, "-c", "import typer"], repeats)
    results.add("python -c 'import typer' (floor)", "–", f"{floor * 1000:.0f} ms", None)
    for label, argv, limit, cwd in (
        ("studsa --version", [*STUDSA, "--version"], 1.3, None),
        ("studsa --help", [*STUDSA, "--help"], 2.0, None),
        ("studsa status (bundled example)", [*STUDSA, "status"], 3.0, example),
    ):
        took = median_time(argv, repeats, cwd)
        ratio = took / floor
        results.add(label, f"≤ {limit}× floor", f"{took * 1000:.0f} ms = {ratio:.2f}×",
                    ratio <= limit)
    # The same two with the caches off: --help drawn, status computed (the first run after
    # an upgrade, or after the project's files changed).
    for label, argv, cwd in (("studsa --help, caches off", [*STUDSA, "--help"], None),
                             ("studsa status (bundled example), caches off",
                              [*STUDSA, "status"], example)):
        took = median_time(argv, repeats, cwd, {"STUDSA_CACHE": "0"})
        results.add(label, "–", f"{took * 1000:.0f} ms = {took / floor:.2f}×", None)


@dataclass
class Scale:
    """The command timings at one size."""

    challenges: int
    seconds: dict[str, float] = field(default_factory=dict)
    peak_kib: int = 0


STEPS = (
    ("score import", ["score", "import", "bedomningar.csv"], 10.0),
    ("score", ["score"], 1.0),
    ("validate", ["validate"], 2.0),
    ("render --format md", ["render", "--format", "md"], 3.0),
)


def _select(root: Path, sizes: generate.Sizes) -> None:
    subprocess.run([*STUDSA, "select", *generate.selected_ids(sizes), "--rationale",
                    "Benchmark"], cwd=root, env=ENV, check=True, capture_output=True)


def measure_scale(challenges: int, raters: int, repeats: int, workdir: Path) -> Scale:
    """Generate a project, import the assessments, then time each command."""
    sizes = generate.Sizes(challenges, raters)
    root = workdir / f"p{challenges}"
    generate.generate(root, sizes)
    scale = Scale(challenges)
    for label, argv, _ in STEPS:
        if label == "score import":
            # Each import starts from a project without assessment files.
            times = []
            for _ in range(repeats):
                shutil.rmtree(root / "3-prioritera" / "bedomningar", ignore_errors=True)
                took, rss = run_timed([*STUDSA, *argv], root)
                times.append(took)
                scale.peak_kib = max(scale.peak_kib, rss)
            scale.seconds[label] = statistics.median(times)
            _select(root, sizes)
        else:
            times = []
            for _ in range(repeats):
                took, rss = run_timed([*STUDSA, *argv], root)
                times.append(took)
                scale.peak_kib = max(scale.peak_kib, rss)
            scale.seconds[label] = statistics.median(times)
    return scale


def after_change(results: Results, challenges: int, repeats: int, workdir: Path) -> None:
    """``score`` and ``validate`` right after ``studsa rate`` changed a rater's file: the
    answer is computed afresh (the other 19 rater files come from the parse cache).

    Each run changes the file to a state it never had before (a new comment on a value), so
    no answer kept from an earlier run can be used.
    """
    root = workdir / f"p{challenges}"
    rater = "Bedömare 01"
    for label, argv in (("score", ["score"]), ("validate", ["validate"])):
        times = []
        for n in range(repeats):
            subprocess.run([*STUDSA, "rate", generate.challenge_id(n + 1), "--rater", rater,
                            "evidens=ja", "--comment", f"{label} change {n}"], cwd=root,
                           env=ENV, check=True, capture_output=True)
            times.append(run_timed([*STUDSA, *argv], root)[0])
        results.add(f"{label} ({challenges} challenges), just after `rate` changed a file",
                    "–", f"{statistics.median(times):.2f} s", None)


def uncached(results: Results, challenges: int, repeats: int, workdir: Path) -> None:
    """The same commands with the caches off: as the first run after every file changed."""
    root = workdir / f"p{challenges}"
    for label, argv, _ in STEPS[1:]:
        times = [run_timed([*STUDSA, *argv], root, {"STUDSA_CACHE": "0"})[0]
                 for _ in range(max(1, repeats // 2))]
        results.add(f"{label} ({challenges} challenges), caches off", "–",
                    f"{statistics.median(times):.2f} s", None)


def scale_rows(results: Results, small: Scale, big: Scale) -> None:
    """Absolute times at the big size, and growth from the small size."""
    for label, _, limit in STEPS:
        took = big.seconds[label]
        results.add(f"{label} ({big.challenges} challenges)", f"< {limit:g} s",
                    f"{took:.2f} s", took < limit)
    for label, _, _ in STEPS:
        growth = big.seconds[label] / small.seconds[label]
        factor = big.challenges / small.challenges
        results.add(f"{label}: {small.challenges} → {big.challenges}",
                    f"≤ {1.2 * factor:g}× (linear)",
                    f"{small.seconds[label]:.2f} s → {big.seconds[label]:.2f} s = "
                    f"{growth:.1f}×", growth <= 1.2 * factor)
    peak = big.peak_kib / 1024
    results.add("peak memory (largest command)", "< 300 MB", f"{peak:.0f} MB", peak < 300)


def peer(results: Results, repeats: int) -> None:
    """Weighted-sum ranking of a 1,000 × 10 matrix: studsa against pymcdm, same data."""
    import random

    from studsa.scoring import CriterionSpec, Problem, score

    try:
        import numpy as np
        from pymcdm.methods import WSM
        from pymcdm.normalizations import minmax_normalization
    except ImportError:
        results.add("weighted sum 1,000 × 10 vs pymcdm", "studsa no slower",
                    "pymcdm not installed", None)
        return
    rng = random.Random(8)
    criteria = [CriterionSpec(f"k{i}", "0-3", rng.choice([0.5, 1.0, 2.0])) for i in range(10)]
    ids = [f"c{i:04d}" for i in range(1000)]
    rows = [[rng.randint(0, 3) for _ in criteria] for _ in ids]
    values = {("r", cid, k.id): row[j] for cid, row in zip(ids, rows, strict=True)
              for j, k in enumerate(criteria)}
    problem = Problem(ids, criteria, ["r"], values)
    # pymcdm's min-max over the matrix with the scale's extremes added is studsa's
    # "normalised to 0..1 on its scale" (as in tests/test_scoring.py).
    matrix = np.array([*rows, [0] * 10, [3] * 10], dtype=float)
    weights = np.array([k.weight for k in criteria]) / sum(k.weight for k in criteria)
    types = np.ones(10)
    wsm = WSM(normalization_function=minmax_normalization)

    def ours() -> object:
        return score(problem, "weighted").ranking

    def theirs() -> object:
        with warnings.catch_warnings():  # pymcdm warns that the extreme rows dominate
            warnings.simplefilter("ignore")
            prefs = wsm(matrix, weights, types)[:-2]
        return wsm.rank(prefs)

    # Interleaved, so a moment of load on the machine hits both alike.
    mine_times: list[float] = []
    other_times: list[float] = []
    for _ in range(repeats * 8):
        mine_times += _timeit(ours, 1)
        other_times += _timeit(theirs, 1)
    mine, other = statistics.median(mine_times), statistics.median(other_times)
    results.add("weighted-sum ranking 1,000 × 10: studsa vs pymcdm", "studsa no slower",
                f"{mine * 1000:.1f} ms vs {other * 1000:.1f} ms", mine <= other)


def _timeit(func: Callable[[], object], n: int) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return times


def _compile_studsa() -> None:
    """Compile studsa's modules to bytecode, as pip does when it installs a package."""
    import studsa

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(studsa.__file__).parent)],
                   env=ENV, check=True)


def machine() -> list[str]:
    """A description of this machine and environment."""
    cpu = platform.processor() or "unknown CPU"
    with_info = Path("/proc/cpuinfo")
    if with_info.exists():
        for line in with_info.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    version = subprocess.run([*STUDSA, "--version"], capture_output=True, text=True,
                             env=ENV).stdout.strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory: {memory}",
        f"- OS: {platform.platform()}; load average at start: {load:.2f}",
        f"- Python {platform.python_version()} ({sys.executable}); {version}",
    ]


def write_results(path: Path, results: Results, header: list[str], args: argparse.Namespace
                  ) -> None:
    """Write the Markdown table."""
    lines = [
        "# studsa benchmark results",
        "",
        f"Written by `python benchmarks/run.py {' '.join(args.argv)}`".rstrip() + "; "
        "all figures from one run on one machine (wall-clock medians of "
        f"{args.repeats} runs after a warm-up).",
        "",
        *header,
        "",
        "| measure | target | measured | result |",
        "|---|---|---|---|",
        *("| " + " | ".join(row.cells()) + " |" for row in results.rows),
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000",
                        help="two challenge counts, small,big (default 100,1000)")
    parser.add_argument("--raters", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--quick", action="store_true",
                        help="3 repeats, sizes 50,500: a short run to try the script")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    args.argv = argv if argv is not None else sys.argv[1:]
    if args.quick:
        args.repeats, args.sizes = 3, "50,500"
    small_n, big_n = (int(x) for x in args.sizes.split(","))
    _compile_studsa()
    header = machine()
    print("\n".join(header))
    results = Results()
    from studsa.resources import example_dir

    with tempfile.TemporaryDirectory(prefix="studsa-bench-") as tmp:
        work = Path(tmp)
        # Caches of this run only: nothing from an earlier run is used.
        ENV["STUDSA_CACHE_DIR"] = str(work / "cache")
        example = work / "malmo"
        shutil.copytree(example_dir("malmo"), example)
        startup(results, args.repeats, example)
        small = measure_scale(small_n, args.raters, args.repeats, work)
        big = measure_scale(big_n, args.raters, args.repeats, work)
        scale_rows(results, small, big)
        after_change(results, big_n, args.repeats, work)
        uncached(results, big_n, args.repeats, work)
    peer(results, args.repeats)
    write_results(args.out, results, header, args)
    print(f"wrote {args.out}")
    return 0 if all(row.ok is not False for row in results.rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
