"""The workshop's core: seats, rounds, ballots, the reveal, write-back and resuming."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from studsa.workflow.context import Workspace
from studsa.workflow.prioritize import score_project
from studsa.workflow.validate import validate_workspace
from studsa.workshop.reveal import reveal
from studsa.workshop.session import BallotError, Session
from studsa.workshop.start import StartOptions, open_session

NOW = dt.datetime(2026, 6, 16, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock that moves a second per reading."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def _open(root: Path, **options: object) -> tuple[Session, bool]:
    return open_session(Workspace.open(root), StartOptions(**options), Clock())  # type: ignore[arg-type]


def _vote_all(session: Session, verdict) -> None:  # type: ignore[no-untyped-def]
    for seat in session.record.seats:
        for challenge, _title in session.plan.challenges:
            values = {k.id: verdict(seat.id, challenge, k.id) for k in session.plan.criteria}
            session.cast(seat.id, challenge, values)


def _yes_if(seat: str, challenge: str, criterion: str) -> str:
    # seat s1 says no to evidens everywhere: every evidens cell is disputed
    if criterion == "evidens":
        return "nej" if seat == "s1" else "ja"
    return "ja" if (len(challenge) + len(criterion)) % 2 else "nej"


def test_a_round_writes_the_raters_files_and_the_record(example_project: Path) -> None:
    session, resumed = _open(example_project, raters=["Ordförande"])
    assert not resumed
    assert [s.label for s in session.record.seats] == [
        "Renhållningsansvarig", "Strateg", "Trafikplanerare", "Ordförande"]
    _vote_all(session, _yes_if)
    shown = reveal(session)
    assert shown.voters == 4
    evidens = [c for c in shown.cells if c.criterion == "evidens"]
    assert all(c.disputed for c in evidens)
    assert all(dict(c.counts)[0] >= 1 for c in evidens)
    assert {c.criterion for c in shown.cells if c.disputed} == {"evidens"}
    session.close_round(len(shown.disputed))
    ws = Workspace.open(example_project)
    report = score_project(ws, allow_missing=True)
    # the room's ranking is the files' ranking: the four raters' files hold exactly the votes
    assert [(r.id, r.score) for r in report.ranking] == [(r.id, r.score) for r in shown.ranking]
    assert (example_project / "3-prioritera/bedomningar/ordforande.yaml").is_file()
    record = (example_project / "3-prioritera/workshop/2026-06-16.yaml").read_text("utf-8")
    assert "mode: named" in record and "strategi_sha256:" in record
    assert [f for f in validate_workspace(ws) if f.severity == "error"] == []


def test_comments_in_a_raters_file_are_kept(example_project: Path) -> None:
    path = example_project / "3-prioritera/bedomningar/strateg.yaml"
    before = path.read_text("utf-8")
    session, _ = _open(example_project)
    session.cast("s2", "klotter", {"sarbara": "ja"})
    after = path.read_text("utf-8")
    assert "# Bedömningen gjordes av strategen" in after
    assert after != before
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        ("      sarbara: nej", "      sarbara: true")]


def test_round_two_rates_only_the_disputed_cells_and_keeps_both(example_project: Path) -> None:
    session, _ = _open(example_project)
    _vote_all(session, _yes_if)
    first = reveal(session)
    session.close_round(len(first.disputed))
    rnd = session.next_round(list(first.disputed))
    assert set(session.round_cells()) == set(first.disputed)
    with pytest.raises(BallotError):
        session.cast("s1", "renhallning", {"forebyggande": "ja"})
    session.cast("s1", "renhallning", {"evidens": "ja"})
    session.cast("s2", "klotter", {"evidens": "ja"}, paper=True)
    second = reveal(session)
    assert rnd.number == 2 and second.round == 2
    changed = {(c.challenge, c.criterion): c.changed for c in second.changes}
    assert changed[("renhallning", "evidens")] == 1
    assert len(session.record.rounds) == 2 and session.record.rounds[0].ballots
    assert session.record.rounds[1].ballots[-1].paper


def test_anonymous_mode_writes_no_names(example_project: Path) -> None:
    session, _ = _open(example_project, mode="anonymous", seats=3)
    assert [s.label for s in session.record.seats] == ["Anonym 1", "Anonym 2", "Anonym 3"]
    session.cast("s1", "klotter", {"evidens": "nej"})
    text = (example_project / "3-prioritera/workshop/2026-06-16.yaml").read_text("utf-8")
    assert "Strateg" not in text
    secrets = (example_project / ".studsa/workshop/2026-06-16.json").read_text("utf-8")
    assert '"names": {}' in secrets
    assert (example_project / "3-prioritera/bedomningar/anonym-1.yaml").is_file()


def test_the_pseudonyms_key_is_gone_when_the_session_ends(example_project: Path) -> None:
    session, _ = _open(example_project, mode="pseudonymous")
    assert session.names == {"s1": "Renhållningsansvarig", "s2": "Strateg",
                             "s3": "Trafikplanerare"}
    secrets = example_project / ".studsa/workshop/2026-06-16.json"
    assert "Strateg" in secrets.read_text("utf-8")
    session.cast("s2", "klotter", {"evidens": "nej"})
    session.close_round(0)
    session.finish()
    assert not secrets.exists()
    record = (example_project / "3-prioritera/workshop/2026-06-16.yaml").read_text("utf-8")
    assert "Strateg" not in record and "closed:" in record


def test_a_restart_resumes_with_the_same_tallies(example_project: Path) -> None:
    session, _ = _open(example_project)
    _vote_all(session, _yes_if)
    before = reveal(session)
    again, resumed = _open(example_project)
    assert resumed
    assert reveal(again) == before
    assert again.keys.facilitator == session.keys.facilitator


def test_an_open_rounds_ballots_survive_a_restart_from_the_journal(
        example_project: Path) -> None:
    session, _ = _open(example_project)
    _vote_all(session, _yes_if)
    cast = [b.model_dump() for b in session.round.ballots]
    record = example_project / "3-prioritera/workshop/2026-06-16.yaml"
    assert "ballots: []" in record.read_text("utf-8") or "values:" not in record.read_text(
        "utf-8")
    again, _ = _open(example_project)
    assert [b.model_dump() for b in again.round.ballots] == cast


def test_bad_ballots_are_refused(example_project: Path) -> None:
    session, _ = _open(example_project)
    with pytest.raises(BallotError):
        session.cast("s1", "klotter", {"evidens": "kanske"})
    with pytest.raises(BallotError):
        session.cast("s1", "klotter", {})
    with pytest.raises(BallotError):
        session.cast("s9", "klotter", {"evidens": "ja"})
    with pytest.raises(BallotError):
        session.finish()
    assert not session.record.rounds[0].ballots
