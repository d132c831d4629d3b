"""30 phones vote at once: a real ``studsa workshop serve`` on loopback under load.

Not a test: run ``python benchmarks/workshop.py`` (needs the workshop extra and httpx2).
The bundled Malmö example is copied to a temporary folder and served in the anonymous
mode with 30 seats. Each simulated phone is a thread with its own HTTP client that opens
its seat's event stream, waits at a barrier with the others, and then posts one ballot per
challenge (11 ballots × 4 criteria) as fast as the server answers. Then the facilitator
closes the round and each phone's stream times when the reveal arrives.

Checked, or the run fails: every ballot acknowledged (``{"ok": true}``), the record holds
exactly one ballot per phone and challenge, and the reveal reached every stream within
1 s of the close. Printed: the 50th and 99th percentile of the ballot latency (post to
acknowledgement, which includes the fsynced journal line and the rater file's atomic
write) and of the reveal latency (close posted to the reveal parsed on each stream).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from workshop_server import Server, csrf_of, start  # noqa: E402

PHONES = 30
REVEAL_WITHIN = 1.0
TIMEOUT = 30.0


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Phone:
    """One simulated phone: its seat's link, its client, its event stream."""

    def __init__(self, number: int, url: str) -> None:
        import httpx2 as httpx

        self.number = number
        self.url = url
        self.csrf = csrf_of(url)
        self.web = httpx.Client(timeout=TIMEOUT)
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.revealed_at: float | None = None
        self.streaming = threading.Event()
        self.stream = threading.Thread(target=self.listen, daemon=True)
        self.stream.start()

    def listen(self) -> None:
        import httpx2 as httpx

        events = self.url.replace("/b/", "/events/")
        try:
            with httpx.stream("GET", events, timeout=TIMEOUT) as stream:
                for line in stream.iter_lines():
                    self.streaming.set()
                    if line.startswith("data: ") and "reveal" in json.loads(line[6:]):
                        self.revealed_at = time.perf_counter()
                        return
        except Exception as err:
            self.failures.append(f"stream: {err}")
            self.streaming.set()

    def vote(self, barrier: threading.Barrier, ballots: list[tuple[str, dict[str, str]]]
             ) -> None:
        barrier.wait(TIMEOUT)
        for challenge, values in ballots:
            began = time.perf_counter()
            try:
                answer = self.web.post(
                    self.url, headers={"Accept": "application/json"},
                    data={"csrf": self.csrf, "challenge": challenge,
                          **{f"v:{k}": v for k, v in values.items()}})
                ok = answer.status_code == 200 and answer.json().get("ok") is True
            except Exception as err:
                self.failures.append(f"{challenge}: {err}")
                continue
            self.latencies.append(time.perf_counter() - began)
            if not ok:
                self.failures.append(f"{challenge}: {answer.status_code} {answer.text[:200]}")


def _ballots(root: Path, phone: int) -> list[tuple[str, dict[str, str]]]:
    from studsa.workflow.context import Workspace

    ws = Workspace.open(root)
    challenges = [c.id for c in ws.karta.model.challenges if not c.out_of_scope]
    criteria = [k.id for k in ws.strategi.model.criteria]
    return [(c, {k: "ja" if (phone * 7 + ci * 3 + ki * 5) % 3 else "nej"
                 for ki, k in enumerate(criteria)}) for ci, c in enumerate(challenges)]


def _facilitate(server: Server, action: str) -> None:
    import httpx2 as httpx

    answer = httpx.post(server.facilitator, timeout=TIMEOUT,
                        data={"csrf": csrf_of(server.facilitator), "action": action})
    if answer.status_code != 303:
        raise SystemExit(f"{action} failed: {answer.status_code} {answer.text[:300]}")


def _record(root: Path) -> Any:
    from studsa.storage.layout import WORKSHOP
    from studsa.workflow.context import Workspace

    ws = Workspace.open(root)
    (path,) = ws.store.files(WORKSHOP)
    return ws.store.read(WORKSHOP, path).model


def run(phones: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="studsa-workshop-bench-"))
    root = folder / "malmo"
    try:
        subprocess.run([sys.executable, "-m", "studsa", "init", str(root), "--example",
                        "malmo"], check=True, capture_output=True)
        server = start(root, "--mode", "anonymous", "--seats", str(phones),
                       "--idle-minutes", "5")
        try:
            return _measure(server, root, phones)
        finally:
            server.stop(20)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(server: Server, root: Path, phones: int) -> int:
    links = server.seat_links()
    assert len(links) == phones, links
    room = [Phone(n, url) for n, (_label, url) in enumerate(links, start=1)]
    for phone in room:
        if not phone.streaming.wait(TIMEOUT):
            raise SystemExit(f"phone {phone.number}'s event stream did not open")
    barrier = threading.Barrier(phones)
    voters = [threading.Thread(target=p.vote, args=(barrier, _ballots(root, p.number)),
                               daemon=True) for p in room]
    began = time.perf_counter()
    for thread in voters:
        thread.start()
    for thread in voters:
        thread.join(TIMEOUT * 4)
    voting = time.perf_counter() - began
    closed = time.perf_counter()
    _facilitate(server, "close")
    for phone in room:
        phone.stream.join(TIMEOUT)
    ballots = [lat for p in room for lat in p.latencies]
    failures = [f"phone {p.number}: {f}" for p in room for f in p.failures]
    reveals = [p.revealed_at - closed for p in room if p.revealed_at is not None]
    record = _record(root)
    cast = Counter((b.seat, b.challenge) for b in record.rounds[0].ballots)
    expected = phones * len(_ballots(root, 1))
    _facilitate(server, "finish")
    for phone in room:
        phone.web.close()

    return _report(phones, expected, voting, ballots, failures, reveals, cast)


def _report(phones: int, expected: int, voting: float, ballots: list[float],
            failures: list[str], reveals: list[float], cast: Counter[tuple[str, str]]) -> int:
    print(f"phones: {phones}; ballots acknowledged: {len(ballots) - len(failures)} of "
          f"{expected}, in {voting:.2f} s ({expected / voting:.0f} ballots/s)")
    print(f"ballot latency: p50 {_percentile(ballots, 0.5) * 1000:.1f} ms, "
          f"p99 {_percentile(ballots, 0.99) * 1000:.1f} ms, "
          f"max {max(ballots) * 1000:.1f} ms")
    if reveals:
        print(f"reveal latency on {len(reveals)} of {phones} streams: "
              f"p50 {_percentile(reveals, 0.5) * 1000:.1f} ms, "
              f"p99 {_percentile(reveals, 0.99) * 1000:.1f} ms, "
              f"max {max(reveals) * 1000:.1f} ms")
    problems = list(failures)
    if len(ballots) != expected:
        problems.append(f"{expected - len(ballots)} ballots got no answer")
    if sum(cast.values()) != expected or any(n != 1 for n in cast.values()):
        problems.append(f"the record holds {sum(cast.values())} ballots, "
                        f"{sum(1 for n in cast.values() if n != 1)} duplicated")
    if len(reveals) != phones:
        problems.append(f"{phones - len(reveals)} streams never saw the reveal")
    if reveals and max(reveals) > REVEAL_WITHIN:
        problems.append(f"the reveal took {max(reveals):.3f} s on the slowest stream "
                        f"(target: {REVEAL_WITHIN:g} s)")
    for problem in problems:
        print("FAIL:", problem)
    print("result:", "pass" if not problems else "FAIL")
    return 0 if not problems else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--phones", type=int, default=PHONES)
    return run(parser.parse_args().phones)


if __name__ == "__main__":
    raise SystemExit(main())
