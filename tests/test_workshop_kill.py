"""SIGKILL of a real ``studsa workshop serve`` in the middle of a round, and a restart.

The server runs as a child process on 127.0.0.1; ballots go over HTTP while the event
streams are read. Before the reveal no stream carries a value or a tally. The server is
killed while ballots are still arriving; then every file must validate, the restarted
server must hold every acknowledged ballot, and once the round is finished the reveal and
the raters' files must equal those of the same room that was never killed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx2")

from workshop_server import Events, Server, csrf_of, start  # noqa: E402

from studsa.workflow.context import Workspace  # noqa: E402
from studsa.workflow.prioritize import score_project  # noqa: E402
from studsa.workshop.reveal import reveal  # noqa: E402
from studsa.workshop.start import StartOptions, open_session  # noqa: E402

ARGS = ("--name", "kill", "--rater", "Ordförande", "--idle-minutes", "5")
BEFORE_KILL = 12
"""Ballots answered before the burst during which the server is killed."""
SNAPSHOT_KEYS = {"version", "phase", "round", "current", "deadline", "seats", "joined",
                 "voted"}

Ballot = tuple[str, str, dict[str, str]]
"""(seat, challenge, criterion → value)."""


def _verdict(seat: int, challenge: int, criterion: int) -> str:
    return "ja" if (seat * 5 + challenge * 3 + criterion * 7) % 4 < 2 else "nej"


def _ballots(root: Path, seats: int) -> list[Ballot]:
    ws = Workspace.open(root)
    challenges = [c.id for c in ws.karta.model.challenges if not c.out_of_scope]
    criteria = [k.id for k in ws.strategi.model.criteria]
    return [(f"s{s}", c, {k: _verdict(s, ci, ki) for ki, k in enumerate(criteria)})
            for ci, c in enumerate(challenges) for s in range(1, seats + 1)]


class Room:
    """The links of a running server, and posting to it."""

    def __init__(self, server: Server) -> None:
        self.server = server
        links = server.seat_links()
        self.urls = {f"s{n}": url for n, (_label, url) in enumerate(links, start=1)}
        self.csrf = {seat: csrf_of(url) for seat, url in self.urls.items()}
        self.web = httpx.Client(timeout=5)

    def close(self) -> None:
        self.web.close()

    def vote(self, ballot: Ballot) -> None:
        seat, challenge, values = ballot
        answer = self.web.post(
            self.urls[seat], headers={"Accept": "application/json"},
            data={"csrf": self.csrf[seat], "challenge": challenge,
                  **{f"v:{k}": v for k, v in values.items()}})
        assert answer.status_code == 200 and answer.json()["ok"], answer.text

    def facilitate(self, action: str) -> None:
        url = self.server.facilitator
        answer = self.web.post(url, data={"csrf": csrf_of(url), "action": action})
        assert answer.status_code == 303, answer.text

    def events(self, url: str) -> Events:
        return Events(url.replace("/f/", "/events/").replace("/p/", "/events/").replace(
            "/b/", "/events/"))


def _rated(snapshot: dict[str, Any]) -> dict[str, int]:
    return {p["id"]: p["rated"] for p in snapshot["people"]}


def _expected_rated(ballots: list[Ballot], seats: int) -> dict[str, int]:
    rated = {f"s{n}": 0 for n in range(1, seats + 1)}
    for seat, _challenge, values in ballots:
        rated[seat] += len(values)
    return rated


def _burst(room: Room, ballots: list[Ballot], answered: list[Ballot],
           sent: list[Ballot]) -> None:
    """Post ``ballots`` one after another until the server stops answering."""
    for ballot in ballots:
        sent.append(ballot)
        try:
            room.vote(ballot)
        except (httpx.HTTPError, OSError):
            return
        answered.append(ballot)


def _no_tally_before_reveal(streams: list[Events]) -> None:
    for stream in streams:
        assert stream.events, stream.url
        for event in stream.events:
            assert "reveal" not in event
            assert set(event) - {"people"} == SNAPSHOT_KEYS, event
            for person in event.get("people", []):
                assert set(person) == {"id", "joined", "rated"}
        for line in stream.raw:
            assert "ja" not in line and "nej" not in line, line


def test_a_killed_server_resumes_with_identical_tallies(tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "malmo"
    assert cli("init", root, "--example", "malmo").exit_code == 0
    calm = tmp_path / "calm"
    shutil.copytree(root, calm)
    server = start(root, *ARGS)
    try:
        room = Room(server)
        seats = len(room.urls)
        ballots = _ballots(root, seats)
        streams = [room.events(server.facilitator), room.events(server.projector),
                   room.events(room.urls["s1"])]
        answered: list[Ballot] = []
        for ballot in ballots[:BEFORE_KILL]:
            room.vote(ballot)
            answered.append(ballot)
        streams[0].wait(lambda e: _rated(e) == _expected_rated(answered, seats))
        sent: list[Ballot] = []
        burst = threading.Thread(target=_burst, args=(room, ballots[BEFORE_KILL:], answered,
                                                      sent), daemon=True)
        burst.start()
        deadline = time.monotonic() + 10
        while len(answered) < BEFORE_KILL + 5 and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(server.process.pid, signal.SIGKILL)
        assert server.process.wait(10) == -signal.SIGKILL
        burst.join(10)
        assert not burst.is_alive() and len(answered) < len(ballots)
        room.close()
    finally:
        if server.process.poll() is None:
            server.process.kill()
        server.stop()
    _no_tally_before_reveal(streams)
    result = cli("validate", "-p", root)
    assert result.exit_code == 0, result.stdout + result.stderr

    again = start(root, *ARGS)
    try:
        assert any("fortsätter sessionen" in line for line in again.lines), again.lines
        room = Room(again)
        facilitator = room.events(again.facilitator)
        restored = _rated(facilitator.wait(lambda e: "people" in e))
        # every answered ballot is there; the one in flight at the kill may be too
        in_flight = [b for b in sent if b not in answered]
        assert len(in_flight) <= 1
        assert restored in (_expected_rated(answered, seats),
                            _expected_rated(answered + in_flight, seats)), restored
        for ballot in ballots[len(answered):]:
            room.vote(ballot)
        projector = room.events(again.projector)
        room.facilitate("close")
        shown = projector.wait(lambda e: "reveal" in e)["reveal"]
        room.facilitate("finish")
        room.close()
    finally:
        code = again.stop()
    assert code == 0, "".join(again.lines)
    result = cli("validate", "-p", root)
    assert result.exit_code == 0, result.stdout + result.stderr

    # the same room, never killed: every ballot cast once, in order, in this process
    session, _ = open_session(Workspace.open(calm), StartOptions(name="kill", raters=[
        "Ordförande"]), lambda: dt.datetime.now(dt.UTC))
    for seat, challenge, values in ballots:
        session.cast(seat, challenge, values)
    assert shown == json.loads(json.dumps(reveal(session).as_dict()))
    assert shown["voters"] == seats and shown["disputed"]
    for name in sorted(p.name for p in (calm / "3-prioritera/bedomningar").glob("*.yaml")):
        assert (root / "3-prioritera/bedomningar" / name).read_bytes() == (
            calm / "3-prioritera/bedomningar" / name).read_bytes(), name
    ranking = score_project(Workspace.open(root), allow_missing=True).ranking
    assert [[r.id, r.score] for r in ranking] == [[r["id"], r["score"]]
                                                  for r in shown["ranking"]]
