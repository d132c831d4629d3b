"""The workshop's pages and forms through Starlette's TestClient, and its event stream
from a real server on 127.0.0.1: nothing carries a tally before the reveal."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx2")

from starlette.testclient import TestClient

from studsa.workflow.context import Workspace
from studsa.workshop.app import create_app
from studsa.workshop.hub import Hub
from studsa.workshop.start import StartOptions, open_session

NOW = dt.datetime(2026, 6, 16, 9, 0, tzinfo=dt.UTC)
HOST = "testserver"


def _hub(root: Path, **options: object) -> Hub:
    session, _ = open_session(Workspace.open(root), StartOptions(**options),  # type: ignore[arg-type]
                              lambda: NOW)
    return Hub(session, address="http://127.0.0.1:8765", idle_seconds=600)


@pytest.fixture
def hub(example_project: Path) -> Hub:
    return _hub(example_project, raters=["Ordförande"])


@pytest.fixture
def client(hub: Hub) -> Iterator[TestClient]:
    with TestClient(create_app(hub, "sv", {HOST}), follow_redirects=False) as c:
        yield c


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden: dict[str, str] = {}

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("type") == "hidden":
            self.hidden[values.get("name") or ""] = values.get("value") or ""


def _page(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def _vote(client: TestClient, hub: Hub, seat: str, challenge: str, values: dict[str, str],
          accept_json: bool = False):  # type: ignore[no-untyped-def]
    token = hub.keys.seat_token(seat)
    data = {"csrf": hub.keys.csrf(token), "challenge": challenge}
    data.update({f"v:{k}": v for k, v in values.items()})
    headers = {"Accept": "application/json"} if accept_json else {}
    return client.post(f"/b/{token}", data=data, headers=headers)


def test_a_ballot_says_the_privacy_mode_before_voting(client: TestClient, hub: Hub) -> None:
    page = client.get(f"/b/{hub.keys.seat_token('s2')}")
    assert page.status_code == 200
    text = " ".join(_page(page.text).parts)
    assert text.index("Namngivet läge") < text.index("Renhållning")
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["referrer-policy"] == "same-origin"


def test_a_vote_is_written_and_acknowledged(client: TestClient, hub: Hub,
                                            example_project: Path) -> None:
    answer = _vote(client, hub, "s4", "klotter", {"evidens": "ja", "sarbara": "nej"})
    assert answer.status_code == 303
    answer = _vote(client, hub, "s4", "gronska", {"evidens": "1"}, accept_json=True)
    assert answer.json() == {"ok": True, "challenge": "gronska"}
    text = (example_project / "3-prioritera/bedomningar/ordforande.yaml").read_text("utf-8")
    assert "klotter" in text and "gronska" in text
    assert len(hub.session.round.ballots) == 2


@pytest.mark.parametrize("change", ["no-csrf", "wrong-csrf", "other-origin", "get"])
def test_votes_need_a_post_with_the_tokens_guard(client: TestClient, hub: Hub,
                                                  change: str) -> None:
    token = hub.keys.seat_token("s1")
    data = {"csrf": hub.keys.csrf(token), "challenge": "klotter", "v:evidens": "ja"}
    headers = {}
    if change == "no-csrf":
        del data["csrf"]
    elif change == "wrong-csrf":
        data["csrf"] = hub.keys.csrf(hub.keys.seat_token("s2"))
    elif change == "other-origin":
        headers["Origin"] = "http://evil.example"
    if change == "get":
        client.get(f"/b/{token}", params=data)
    else:
        assert client.post(f"/b/{token}", data=data, headers=headers).status_code == 403
    assert hub.session.round.ballots == []


def test_other_hosts_and_unknown_tokens_are_refused(client: TestClient, hub: Hub) -> None:
    token = hub.keys.seat_token("s1")
    assert client.get(f"/b/{token}", headers={"Host": "evil.example"}).status_code == 421
    assert client.get("/b/not-a-token").status_code == 404
    assert client.get("/f/not-a-token").status_code == 404
    assert client.get(f"/f/{token}").status_code == 404  # a seat's token is not the facilitator's


def test_a_guest_joins_with_the_room_code(client: TestClient, hub: Hub) -> None:
    wrong = client.post("/join", data={"code": "x", "name": "Gäst"})
    assert wrong.status_code == 403
    right = client.post("/join", data={"code": hub.keys.room_code, "name": "Eva Ek"})
    assert right.status_code == 303
    seat = hub.session.seat_for(right.headers["location"].rsplit("/", 1)[1])
    assert seat is not None and seat.label == "Eva Ek" and seat.guest


def _facilitate(client: TestClient, hub: Hub, **fields: str):  # type: ignore[no-untyped-def]
    token = hub.keys.facilitator
    return client.post(f"/f/{token}", data={"csrf": hub.keys.csrf(token), **fields})


def _pages(client: TestClient, hub: Hub) -> dict[str, str]:
    token = hub.keys.facilitator
    return {"facilitator": client.get(f"/f/{token}").text,
            "projector": client.get(f"/p/{hub.projector_token}").text,
            "ballot": client.get(f"/b/{hub.keys.seat_token('s3')}").text}


def _without_tokens(text: str, hub: Hub) -> str:
    for seat in hub.session.record.seats:
        text = text.replace(hub.keys.seat_token(seat.id), "TOKEN")
        text = text.replace(hub.keys.csrf(hub.keys.seat_token(seat.id)), "CSRF")
    for token in (hub.keys.facilitator, hub.projector_token):
        text = text.replace(hub.keys.csrf(token), "CSRF").replace(token, "TOKEN")
    return re.sub(r"\b\d{6}\b", "ROOM", text)


def _cast_pattern(client: TestClient, hub: Hub, yes: bool) -> None:
    for seat in ("s1", "s2"):
        for challenge in ("klotter", "gronska"):
            answer = "ja" if yes == (seat == "s1") else "nej"
            _vote(client, hub, seat, challenge, {"evidens": answer, "sarbara": "ja"})


def test_no_page_and_no_snapshot_carries_a_tally_before_the_reveal(
        example_project: Path, tmp_path: Path) -> None:
    """Two rooms that cast the same ballots with opposite values see the same pages."""
    import shutil

    seen = []
    for yes in (True, False):
        root = tmp_path / f"room-{yes}"
        shutil.copytree(example_project, root)
        hub = _hub(root)
        with TestClient(create_app(hub, "sv", {HOST})) as client:
            _cast_pattern(client, hub, yes)
            pages = {k: _without_tokens(v, hub) for k, v in _pages(client, hub).items()}
            snaps = {r: json.dumps(hub.snapshot(r)) for r in ("seat", "facilitator", "projector")}
            seen.append((pages, snaps))
            for text in [*pages.values(), *snaps.values()]:
                assert "Resultat av omgång" not in text and "Rangordning" not in text
                assert '"reveal"' not in text and "omstridd" not in text
    assert seen[0] == seen[1]


def test_close_reveal_and_a_second_round_on_the_disputed_cells(client: TestClient,
                                                               hub: Hub) -> None:
    _cast_pattern(client, hub, True)
    assert _facilitate(client, hub, action="close").status_code == 303
    assert hub.session.phase == "revealed"
    pages = _pages(client, hub)
    for name in ("facilitator", "projector", "ballot"):
        assert "Resultat av omgång 1" in pages[name], name
        assert "omstridd" in pages[name]
    assert "Gränsen för de 4 som prioriteras" in pages["projector"]
    snapshot = hub.snapshot("projector")
    assert json.loads(json.dumps(snapshot["reveal"]["disputed"])) == [
        ["klotter", "evidens"], ["gronska", "evidens"]]
    assert _facilitate(client, hub, action="next").status_code == 303
    assert hub.session.round.cells == ["klotter/evidens", "gronska/evidens"]
    ballot = _page(client.get(f"/b/{hub.keys.seat_token('s1')}").text)
    text = " ".join(ballot.parts)
    assert "Snabb hantering av klotter" in text and "Renhållning för ökad trygghet" not in text
    assert text.count("Rekommenderas av forskare") == 2 and "Förebyggande insats" not in text
    paper = _facilitate(client, hub, action="paper", seat="s3", challenge="klotter",
                        **{"v:evidens": "nej"})
    assert paper.status_code == 303
    assert hub.session.round.ballots[-1].paper
    _facilitate(client, hub, action="close")
    _facilitate(client, hub, action="finish")
    assert hub.session.phase == "finished"
    page = client.get(f"/f/{hub.keys.facilitator}").text
    assert "studsa select " in page and "--made-at &#39;workshop 2026-06-16&#39;" in page


def test_projector_shows_no_names(example_project: Path) -> None:
    hub = _hub(example_project, mode="pseudonymous")
    with TestClient(create_app(hub, "sv", {HOST})) as client:
        _cast_pattern(client, hub, True)
        _facilitate(client, hub, action="close")
        projector = client.get(f"/p/{hub.projector_token}").text
        facilitator = client.get(f"/f/{hub.keys.facilitator}").text
    for name in ("Strateg", "Trafikplanerare", "Deltagare"):
        assert name not in projector
    assert "Strateg" in facilitator  # the facilitator holds the key until the session ends


def test_the_sheet_has_one_qr_code_a_seat(client: TestClient, hub: Hub) -> None:
    sheet = client.get(f"/f/{hub.keys.facilitator}/sheet")
    assert sheet.status_code == 200
    assert sheet.text.count("<svg") == len(hub.session.record.seats) + 1
    assert "http://127.0.0.1:8765/b/" + hub.keys.seat_token("s1") in sheet.text


def _serve(hub: Hub) -> tuple[threading.Thread, int]:
    from studsa.workshop.server import bind, serve

    bound = bind(["127.0.0.1"], 0)
    ready = threading.Event()
    thread = threading.Thread(target=serve, args=(hub, "sv", bound, ready.set), daemon=True)
    thread.start()
    assert ready.wait(10)
    return thread, bound.port


def test_the_event_stream_carries_the_reveal_only_after_close(hub: Hub) -> None:
    import httpx2 as httpx

    thread, port = _serve(hub)
    base = f"http://127.0.0.1:{port}"
    events: list[dict[str, object]] = []
    done = threading.Event()

    def listen() -> None:
        with httpx.stream("GET", f"{base}/events/{hub.projector_token}", timeout=10) as stream:
            for line in stream.iter_lines():
                if line.startswith("data: "):
                    events.append(json.loads(line[6:]))
                    if "reveal" in events[-1]:
                        done.set()
                        return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    try:
        with httpx.Client(base_url=base, timeout=10) as web:
            token = hub.keys.seat_token("s1")
            for challenge in ("klotter", "gronska"):
                answer = web.post(f"/b/{token}", data={
                    "csrf": hub.keys.csrf(token), "challenge": challenge, "v:evidens": "ja"},
                    headers={"Accept": "application/json"})
                assert answer.json()["ok"]
            before = len(events)
            token = hub.keys.facilitator
            web.post(f"/f/{token}", data={"csrf": hub.keys.csrf(token), "action": "close"})
        assert done.wait(10)
    finally:
        hub.stop.set()
        hub.notify()
        thread.join(10)
    assert before >= 1
    assert all("reveal" not in e for e in events[:-1])
    for event in events[:-1]:
        assert set(event) == {"version", "phase", "round", "current", "deadline", "seats",
                              "joined", "voted"}
    assert events[-1]["phase"] == "revealed"
