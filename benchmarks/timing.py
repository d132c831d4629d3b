"""Timing fresh processes against the floor, in pairs, with each child's peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent


def _studsa_command() -> list[str]:
    """The installed ``studsa`` script, as a user runs it (else ``python -m studsa``)."""
    script = BIN / "studsa"
    return [str(script)] if script.exists() else [sys.executable, "-m", "studsa"]


def _interpreter(command: Sequence[str]) -> str:
    """The Python that runs ``command``: the script's ``#!`` line, else this one."""
    first = Path(command[0])
    if first.name.startswith("python"):
        return str(first)
    with first.open("rb") as handle:
        line = handle.readline().decode(errors="replace").strip()
    return line[2:].split()[0] if line.startswith("#!/") else sys.executable


STUDSA = _studsa_command()
PYTHON = _interpreter(STUDSA)
FLOOR = [PYTHON, "-c", "import typer"]
# As after `pip install`: modules run from their compiled bytecode (PYTHONDONTWRITEBYTECODE
# would make every run compile studsa again, which no installed tool does).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV.update({"NO_COLOR": "1", "COLUMNS": "100"})


@dataclass(frozen=True)
class Run:
    """One fresh process: its wall time and its own peak resident memory."""

    seconds: float
    peak_kib: int
    stopped: bool = False
    """True when the run was stopped at its time limit (its peak so far is a lower bound)."""


def run_once(argv: Sequence[str], cwd: Path | None = None, limit: float | None = None) -> Run:
    """Run ``argv`` once in a new process; fail loudly unless it exits 0 (or is stopped
    after ``limit`` seconds)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        proc.kill()

    timer = threading.Timer(limit, stop) if limit else None
    if timer:
        timer.start()
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    # wait4 reports this child's own usage: its peak RSS, not the maximum of all children.
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    code = proc.returncode = os.waitstatus_to_exitcode(status)  # reaped: kill() is a no-op
    if timer:
        timer.cancel()
    proc.stderr.close()
    if code != 0 and not stopped.is_set():
        raise SystemExit(f"{' '.join(argv)} (in {cwd}) exited {code}:\n"
                         f"{stderr.decode(errors='replace')}")
    return Run(seconds, usage.ru_maxrss, stopped.is_set())


@dataclass
class Paired:
    """A command timed in pairs with the floor: F, command, F, command, …"""

    label: str
    project: str
    floor: list[Run] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        """Each pair's command time over its floor time."""
        return [c.seconds / f.seconds for f, c in zip(self.floor, self.runs, strict=True)]

    @property
    def ratio(self) -> float:
        """The median of the per-pair ratios."""
        return statistics.median(self.ratios)

    @property
    def ratio_of_medians(self) -> float:
        """The command's median time over the floor's (shown beside ``ratio``)."""
        return self.seconds / self.floor_seconds

    @property
    def seconds(self) -> float:
        """The command's median wall time."""
        return statistics.median(r.seconds for r in self.runs)

    @property
    def floor_seconds(self) -> float:
        """The floor's median wall time in these pairs."""
        return statistics.median(r.seconds for r in self.floor)

    @property
    def peak_mib(self) -> float:
        """The highest peak RSS of any of the command's runs, in MiB."""
        return max(r.peak_kib for r in self.runs) / 1024


def _line(tag: str, floor: Run, run: Run) -> str:
    return (f"    {tag:<8} F {floor.seconds:7.3f} s   command {run.seconds:7.3f} s   "
            f"ratio {run.seconds / floor.seconds:6.2f}   peak {run.peak_kib / 1024:6.1f} MiB")


def paired(label: str, project: str, args: Sequence[str], cwd: Path | None, pairs: int,
           fresh: Callable[[], Path] | None = None) -> Paired:
    """Time ``studsa ARGS`` in ``pairs`` pairs with the floor, after one warm-up pair.

    The warm-up pair is printed but not counted: it loads the files into the OS page cache.
    studsa keeps nothing between processes, so every counted run is a first, cold run.
    ``fresh``, when given, makes a new working folder before each run (not timed).
    """
    argv = [*STUDSA, *args]
    result = Paired(label, project)
    print(f"  {label} · {project}", flush=True)
    for n in range(pairs + 1):
        where = fresh() if fresh else cwd  # the floor runs in the same folder
        floor = run_once(FLOOR, where)
        run = run_once(argv, where)
        tag = "warm-up" if n == 0 else f"pair {n}"
        print(_line(tag, floor, run) + ("   (not counted)" if n == 0 else ""), flush=True)
        if n:
            result.floor.append(floor)
            result.runs.append(run)
    print(f"    median {result.seconds:.3f} s, F {result.floor_seconds:.3f} s, "
          f"ratio {result.ratio:.2f} (median of per-pair ratios; "
          f"{result.ratio_of_medians:.2f} median over median)", flush=True)
    return result


def single(label: str, project: str, args: Sequence[str], cwd: Path, limit: float) -> Run:
    """Run ``studsa ARGS`` once (for its peak memory), stopped after ``limit`` s; print it."""
    run = run_once([*STUDSA, *args], cwd, limit)
    note = f" (stopped at the {limit:g} s limit: a lower bound)" if run.stopped else ""
    print(f"  {label} · {project}: {run.seconds:.3f} s, peak {run.peak_kib / 1024:.1f} MiB"
          f"{note}", flush=True)
    return run


def studsa_output(args: Sequence[str], cwd: Path | None = None) -> str:
    """Run ``studsa ARGS`` (untimed) and return its stdout; fail loudly on an error."""
    done = subprocess.run([*STUDSA, *args], cwd=cwd, env=ENV, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"studsa {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done.stdout
