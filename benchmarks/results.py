"""The benchmark's records, the machine it ran on, and ``RESULTS.md``."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from timing import ENV, PYTHON, STUDSA, Paired

MEMORY_LIMIT_MIB = 300
GROWTH_LIMIT = 10.0


@dataclass(frozen=True)
class TimeRow:
    """A command timed against the floor, with its target (``–``: none) and verdict."""

    measure: Paired
    target: str
    ok: bool | None


@dataclass(frozen=True)
class GrowthRow:
    """One command at 100 and at 1,000 challenges."""

    small: Paired
    big: Paired

    @property
    def factor(self) -> float:
        """The ratio to F at 1,000 over the ratio to F at 100 (drift of the machine out)."""
        return self.big.ratio / self.small.ratio

    @property
    def ok(self) -> bool:
        """True when the command grows at most ``GROWTH_LIMIT`` times."""
        return self.factor <= GROWTH_LIMIT


@dataclass(frozen=True)
class MemoryRow:
    """The highest peak RSS of a command's runs."""

    label: str
    project: str
    peak_mib: float
    stopped: bool = False
    """Stopped at the time limit: the peak is a lower bound."""

    @property
    def ok(self) -> bool | None:
        """Below the limit; unknown when a stopped run had not reached it yet."""
        if self.peak_mib >= MEMORY_LIMIT_MIB:
            return False
        return None if self.stopped else True


@dataclass(frozen=True)
class PeerRow:
    """One ranking method's in-process time."""

    method: str
    raters: int
    median: float
    best: float
    relative: float
    """Median over the median of studsa's ``score(Problem)``."""


@dataclass
class Report:
    """Everything one run measured."""

    pairs: int
    timings: list[TimeRow] = field(default_factory=list)
    growth: list[GrowthRow] = field(default_factory=list)
    memory: list[MemoryRow] = field(default_factory=list)
    peers: list[PeerRow] = field(default_factory=list)

    def failures(self) -> list[str]:
        """Every missed target, as a line."""
        missed = [f"{r.measure.label} ({r.measure.project}): {_ratio(r.measure)}, "
                  f"target {r.target}" for r in self.timings if r.ok is False]
        missed += [f"{g.big.label} grows {g.factor:.1f}× from 100 to 1,000 challenges"
                   for g in self.growth if not g.ok]
        missed += [f"{m.label} ({m.project}) peaks at {m.peak_mib:.0f} MiB"
                   for m in self.memory if m.ok is False]
        return missed


def _ratio(m: Paired) -> str:
    return f"{m.seconds:.3f} s = {m.ratio:.2f} F"


def _verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("pass" if ok else "**FAIL**")


def _output(argv: list[str]) -> str:
    # Not from the current folder: `python -c` would import a checkout's studsa from there.
    done = subprocess.run(argv, capture_output=True, text=True, env=ENV, check=False,
                          cwd=tempfile.gettempdir())
    return done.stdout.strip() or "unknown"


def studsa_folder() -> str:
    """Where studsa's interpreter imports studsa from (``PYTHONPATH`` may point elsewhere)."""
    return _output([PYTHON, "-c", "import os, studsa; print(os.path.dirname(studsa.__file__))"])


def compile_studsa() -> None:
    """Compile studsa's modules to bytecode, as ``pip install`` does."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", studsa_folder()], env=ENV, check=True)


def _source(folder: str) -> str:
    """The folder studsa runs from, and its git commit when it is a checkout."""
    root = Path(folder).parent
    if not (root / ".git").exists():
        return folder
    commit = _output(["git", "-C", str(root), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(root), "diff", "--quiet", "HEAD", "--"],
                           capture_output=True, check=False).returncode != 0
    return f"{folder} (commit {commit}{', with uncommitted changes' if dirty else ''})"


def machine() -> list[str]:
    """The date, this machine and the software measured, as Markdown list items."""
    cpu = platform.processor() or "unknown CPU"
    info = Path("/proc/cpuinfo")
    if info.exists():
        cpu = next((line.split(":", 1)[1].strip() for line in info.read_text().splitlines()
                    if line.startswith("model name")), cpu)
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        memory = f"{int(meminfo.read_text().split()[1]) / 1024 / 1024:.1f} GiB"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    python = _output([PYTHON, "-c", "import platform; print(platform.python_version())"])
    typer = _output([PYTHON, "-c", "import typer; print(typer.__version__)"])
    now = datetime.datetime.now().astimezone().isoformat(timespec="minutes")
    return [
        f"- Date: {now}",
        f"- CPU: {cpu}, {os.cpu_count()} CPUs; memory {memory}; "
        f"load average at the start {load:.2f}",
        f"- OS: {platform.platform()}",
        f"- Python {python} ({PYTHON}), typer {typer}; "
        f"{_output([*STUDSA, '--version'])} ({STUDSA[0]})",
        f"- studsa imported from {_source(studsa_folder())}",
    ]


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "studsa"


def cache_snapshot() -> set[tuple[str, float]]:
    """Every file in the user cache folder studsa once used, with its mtime."""
    folder = _cache_folder()
    return {(str(p), p.stat().st_mtime) for p in folder.rglob("*")} if folder.exists() else set()


def cache_statement(before: set[tuple[str, float]]) -> str:
    """Whether anything was written to that folder during the run."""
    changed = cache_snapshot() - before
    if changed:
        return (f"**{len(changed)} file(s) written to {_cache_folder()} during this run**: "
                "a cache may exist, so figures may not be cold.")
    return f"Nothing was written to {_cache_folder()} during this run."


def _timing_table(report: Report) -> list[str]:
    lines = ["| command | project | median s | median F s | ratio to F | median ÷ median F "
             "| target | result |", "|---|---|--:|--:|--:|--:|---|---|"]
    for row in report.timings:
        m = row.measure
        lines.append(f"| `studsa {m.label}` | {m.project} | {m.seconds:.3f} | "
                     f"{m.floor_seconds:.3f} | {m.ratio:.2f} | {m.ratio_of_medians:.2f} | "
                     f"{row.target} | {_verdict(row.ok)} |")
    return lines


def _growth_table(report: Report) -> list[str]:
    lines = ["| command | 100 × 20 | 1,000 × 20 | growth | target | result |",
             "|---|--:|--:|--:|---|---|"]
    lines += [f"| `studsa {g.big.label}` | {_ratio(g.small)} | {_ratio(g.big)} | "
              f"{g.factor:.1f}× | ≤ {GROWTH_LIMIT:g}× | {_verdict(g.ok)} |"
              for g in report.growth]
    return lines


def _memory_table(report: Report) -> list[str]:
    lines = ["| command | project | peak RSS MiB | target | result |", "|---|---|--:|---|---|"]
    for m in report.memory:
        peak = f"≥ {m.peak_mib:.0f} (stopped)" if m.stopped else f"{m.peak_mib:.0f}"
        lines.append(f"| `studsa {m.label}` | {m.project} | {peak} | "
                     f"< {MEMORY_LIMIT_MIB} MiB | {_verdict(m.ok)} |")
    return lines


def _peer_table(report: Report) -> list[str]:
    lines = ["| method | raters | median ms | best ms | × studsa score |",
             "|---|--:|--:|--:|--:|"]
    lines += [f"| {p.method} | {p.raters} | {p.median * 1000:.2f} | {p.best * 1000:.2f} | "
              f"{p.relative:.2f} |" for p in report.peers]
    return lines


def _all_runs(report: Report) -> list[str]:
    lines = []
    for row in report.timings:
        m = row.measure
        runs = ", ".join(f"{f.seconds:.3f}/{c.seconds:.3f}"
                         for f, c in zip(m.floor, m.runs, strict=True))
        lines.append(f"- `studsa {m.label}` · {m.project}: {runs}")
    return lines


def write(path: Path, report: Report, command: str, machine_lines: list[str], cold: str
          ) -> None:
    """Write ``RESULTS.md``."""
    failed = report.failures()
    lines = [
        "# studsa benchmark results",
        "",
        f"Written by `{command}`. Every figure below comes from this one run on this "
        "machine.",
        "",
        *machine_lines,
        "",
        "**Every figure is a first, cold run.** studsa keeps no cache between runs (no "
        "parse, result, help or template cache exists), so each command reads, validates "
        "and computes everything afresh. What is warm is what is warm after any install: "
        "Python's bytecode (compiled once, as `pip install` does) and the operating "
        "system's file cache (one warm-up pair per command, printed, not counted). " + cold,
        "",
        "## Against the floor",
        "",
        'F is `python -c "import typer"` on studsa\'s interpreter. Each command ran in a '
        f"fresh process, in {report.pairs} pairs with the floor (F, command, F, command, "
        "…); *ratio to F*, which the targets are checked against, is the median of the "
        "per-pair ratios; *median s* and *median F s* are the medians of the command's and "
        "the floor's times in those pairs, and their quotient is shown beside it. `score import` "
        "imports the CSV into a fresh copy of the project without rater files on every run.",
        "",
        *_timing_table(report),
        "",
    ]
    if report.growth:
        lines += ["## Growth from 100 to 1,000 challenges", "",
                  "Growth is the ratio to F at 1,000 × 20 over the ratio to F at 100 × 20.",
                  "", *_growth_table(report), ""]
    lines += ["## Peak memory", "",
              "The highest peak resident set size (the child's own, from `os.wait4`) of "
              "any run of the command; render in the formats not timed ran once.", "",
              *_memory_table(report), ""]
    if report.peers:
        lines += ["## Ranking in process, beside peers (not a target)", "",
                  "Weighted sum over 1,000 challenges × 6 criteria (yes-no, 0-3 and 1-5 "
                  "scales), for one rater and for 20 raters aggregated first (yes-no: share "
                  "≥ 0.5; scales: the median), on plain data already in memory. studsa "
                  "takes a `Problem`, as `studsa score` builds it; the peers take a NumPy "
                  "array, and each counts the same NumPy aggregation (timed alone too). "
                  "Every peer's scores equal studsa's. Times per call, median of "
                  f"{report.pairs} timeit repeats with the garbage collector on.", "",
                  *_peer_table(report), ""]
    lines += ["## Missed targets", "",
              *([f"- {line}" for line in failed] or ["None."]), "",
              "## Every run", "", "Seconds, floor/command, pair by pair (warm-up left out).",
              "", *_all_runs(report), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
