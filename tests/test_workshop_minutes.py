"""Closing a workshop: the record, the select command it offers, and the minutes' appendix
(``studsa render workshop``, golden file for the Markdown)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from studsa.workflow.context import Workspace
from studsa.workflow.render import render_markdown
from studsa.workshop.reveal import reveal
from studsa.workshop.session import Session
from studsa.workshop.start import StartOptions, open_session

GOLDEN = Path(__file__).parent / "golden"
NOW = dt.datetime(2026, 6, 16, 9, 0, tzinfo=dt.UTC)


class Clock:
    """A clock that moves a minute per reading."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


def _verdict(seat: int, challenge: int, criterion: int) -> str:
    """Seats 1 and 2 differ from the other three where (challenge + criterion) % 5 == 0."""
    yes = (challenge * 3 + criterion * 5) % 7 < 3
    return "ja" if yes != (seat <= 2 and (challenge + criterion) % 5 == 0) else "nej"


def _workshop(root: Path, **options: object) -> Session:
    """Two rounds: round 2 re-rates the disputed cells; in three of them seats 1 and 2
    join the majority, in the others everyone keeps their verdict."""
    session, _ = open_session(Workspace.open(root), StartOptions(**options),  # type: ignore[arg-type]
                              Clock())
    criteria = [k.id for k in session.plan.criteria]
    for ci, (challenge, _title) in enumerate(session.plan.challenges):
        for s, seat in enumerate(session.record.seats, start=1):
            session.cast(seat.id, challenge, {k: _verdict(s, ci, ki)
                                              for ki, k in enumerate(criteria)},
                         paper=(s == 2 and ci == 0))
    first = reveal(session)
    session.close_round(len(first.disputed))
    session.next_round(list(first.disputed))
    yes = {(t.challenge, t.criterion): dict(t.counts)[1] * 2 >= t.raters for t in first.cells}
    index = {c: i for i, (c, _title) in enumerate(session.plan.challenges)}
    for n, (challenge, criterion) in enumerate(first.disputed):
        majority = "ja" if yes[(challenge, criterion)] else "nej"
        for s, seat in enumerate(session.record.seats, start=1):
            kept = _verdict(s, index[challenge], criteria.index(criterion))
            session.cast(seat.id, challenge, {criterion: majority if n < 3 else kept})
    session.close_round(len(reveal(session).disputed))
    session.finish()
    return session


def _md(root: Path) -> str:
    [item] = render_markdown(Workspace.open(root), ["workshop"])
    return item.markdown


def test_render_workshop_golden(example_project: Path, request: pytest.FixtureRequest) -> None:
    _workshop(example_project, raters=["Ordförande", "Vice ordförande"])
    text = _md(example_project)
    golden = GOLDEN / "workshop.md"
    if request.config.getoption("--update-goldens"):
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert text == golden.read_text(encoding="utf-8")
    record = example_project / "3-prioritera/workshop/2026-06-16.yaml"
    assert hashlib.sha256(record.read_bytes()).hexdigest() in text


def test_anonymous_minutes_count_changes_but_name_nobody(example_project: Path) -> None:
    _workshop(example_project, mode="anonymous", seats=5)
    text = _md(example_project)
    assert "2 bedömare ändrade" in text
    assert "Anonym" not in text and "Strateg" not in text


def test_named_minutes_say_who_changed(example_project: Path) -> None:
    _workshop(example_project, raters=["Ordförande", "Vice ordförande"])
    text = _md(example_project)
    assert "2 bedömare ändrade" in text and ": Renhållningsansvarig och Strateg." in text


def test_cli_render_workshop_md_html_docx(cli, example_project: Path) -> None:  # type: ignore[no-untyped-def]
    none = cli("render", "workshop", "-p", example_project)
    assert none.exit_code == 2 and "no closed workshop session" in none.stderr
    assert cli("render", "-p", example_project).exit_code == 0  # all: no note about it
    _workshop(example_project, raters=["Ordförande", "Vice ordförande"])
    result = cli("render", "workshop", "-f", "md", "-f", "html", "-f", "docx",
                 "-p", example_project)
    assert result.exit_code == 0, result.stderr
    out = example_project / "rapporter"
    for suffix in ("md", "html", "docx"):
        assert (out / f"workshop-2026-06-16.{suffix}").stat().st_size > 0
    assert "Workshopprotokoll, bilaga" in (out / "workshop-2026-06-16.html").read_text("utf-8")


def test_the_offered_select_command_records_the_session(cli, example_project: Path) -> None:  # type: ignore[no-untyped-def]
    import shlex

    from studsa.workshop.close import select_command

    session = _workshop(example_project, raters=["Ordförande", "Vice ordförande"])
    command = select_command(session.files.stem, reveal(session), example_project)
    words = shlex.split(command)
    assert words[:2] == ["studsa", "select"] and "workshop 2026-06-16" in words
    result = cli(*words[1:])
    assert result.exit_code == 0, result.stderr
    strategi = Workspace.open(example_project).strategi.model
    assert strategi.selection is not None
    assert strategi.selection.made_at == "workshop 2026-06-16"
    assert strategi.selection.challenges == [r.id for r in reveal(session).ranking if r.inside]
    [item] = render_markdown(Workspace.open(example_project), ["strategi"])
    assert "gjordes vid workshop 2026-06-16" in item.markdown
    assert ("- 2 bedömare ändrade Förebyggande insats med långsiktig effekt för Renhållning "
            "för ökad trygghet efter diskussionen i omgång 2: Renhållningsansvarig och "
            "Strateg.") in item.markdown


def test_select_refuses_a_session_still_open(cli, example_project: Path) -> None:  # type: ignore[no-untyped-def]
    session, _ = open_session(Workspace.open(example_project), StartOptions(), Clock())
    session.cast("s1", "klotter", {"evidens": "ja"})
    result = cli("select", "klotter", "--made-at", "workshop 2026-06-16",
                 "-p", example_project)
    assert result.exit_code == 2
    assert "2026-06-16 (3-prioritera/workshop/2026-06-16.yaml) is not closed" in result.stderr
    assert Workspace.open(example_project).strategi.model.selection is None or (
        Workspace.open(example_project).strategi.model.selection.made_at != "workshop 2026-06-16")
