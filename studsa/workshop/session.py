"""A workshop session's state and rules: seats, rounds, pacing, ballots.

The session holds the record (``WorkshopRecord``) in memory and hands every change to its
``Files`` (``studsa.workshop.files``), which writes it through storage before the change is
acknowledged. No clock of its own: the caller passes ``now`` (the server the real time,
tests a fixed one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studsa.errors import UsageError
from studsa.i18n import message
from studsa.models.workshop import Ballot, Counts, Round, Seat, WorkshopRecord
from studsa.scoring import CriterionSpec, parse_value
from studsa.workflow.prioritize.rating import stored
from studsa.workshop.keys import Keys

if TYPE_CHECKING:
    from studsa.workshop.files import Files

Cell = tuple[str, str]
"""``(challenge, criterion)``."""
Clock = Callable[[], dt.datetime]
MAX_NAME = 80


class BallotError(UsageError):
    """A ballot or a facilitator's action the session refuses (said to the person)."""


@dataclass(frozen=True)
class Criterion:
    """A criterion as the ballot shows it."""

    id: str
    title: str
    scale: str
    description: str | None = None

    @property
    def spec(self) -> CriterionSpec:
        """The criterion as the scoring core takes it."""
        return CriterionSpec(self.id, self.scale)


@dataclass(frozen=True)
class Plan:
    """What the room rates: in-scope challenges (id, title) and criteria, in order."""

    challenges: tuple[tuple[str, str], ...]
    criteria: tuple[Criterion, ...]
    method: str
    threshold: float
    numeric: str

    def cells(self) -> list[Cell]:
        """Every cell, challenge by challenge."""
        return [(c, k.id) for c, _ in self.challenges for k in self.criteria]


def cell_key(cell: Cell) -> str:
    """``challenge/criterion``, as the record writes a cell."""
    return f"{cell[0]}/{cell[1]}"


def parse_cell(text: str) -> Cell:
    """The cell a record's ``challenge/criterion`` names."""
    challenge, _, criterion = text.partition("/")
    return challenge, criterion


class Session:
    """One workshop session (live or resumed from its files)."""

    def __init__(self, plan: Plan, record: WorkshopRecord, keys: Keys, names: dict[str, str],
                 files: Files, clock: Clock) -> None:
        self.plan = plan
        self.record = record
        self.keys = keys
        self.names = names
        """Seat id → name: the pseudonymous mode's key (empty in the other modes)."""
        self.files = files
        self.clock = clock
        self.joined: set[str] = set()
        self.criteria = {k.id: k for k in plan.criteria}
        self.titles = dict(plan.challenges)
        self._tokens = {keys.seat_token(s.id): s for s in record.seats}

    # who --------------------------------------------------------------------------------
    def seat_for(self, token: str) -> Seat | None:
        """The seat whose link holds ``token``."""
        return self._tokens.get(token)

    def is_facilitator(self, token: str) -> bool:
        """Whether ``token`` is the facilitator's."""
        return token == self.keys.facilitator

    def seat(self, seat_id: str) -> Seat:
        """The seat with id ``seat_id``."""
        for seat in self.record.seats:
            if seat.id == seat_id:
                return seat
        raise BallotError(message("ws_err_no_seat", seat=seat_id))

    def add_guest(self, name: str | None) -> Seat:
        """A seat for someone who joined with the room code."""
        number = len(self.record.seats) + 1
        if self.record.mode == "named":
            label = " ".join((name or "").split())
            if not label or len(label) > MAX_NAME:
                raise BallotError(message("ws_err_guest_name", limit=MAX_NAME))
            if any(s.label.casefold() == label.casefold() for s in self.record.seats):
                raise BallotError(message("ws_err_guest_taken", name=label))
        else:
            label = self.files.pseudonym(self.record.mode, number)
        seat = Seat(id=f"s{number}", label=label, guest=True)
        self.record.seats.append(seat)
        self.files.save_record(self.record)
        self._tokens[self.keys.seat_token(seat.id)] = seat
        return seat

    # rounds -----------------------------------------------------------------------------
    @property
    def round(self) -> Round:
        """The round now (the last one)."""
        return self.record.rounds[-1]

    @property
    def phase(self) -> str:
        """``open`` (ballots taken), ``revealed`` (round closed) or ``finished``."""
        if self.record.closed is not None:
            return "finished"
        return "open" if self.round.closed is None else "revealed"

    def round_cells(self, rnd: Round | None = None) -> list[Cell]:
        """The cells a round rates."""
        rnd = rnd or self.round
        if rnd.cells is None:
            return self.plan.cells()
        return [parse_cell(text) for text in rnd.cells]

    def items(self) -> list[str]:
        """What the facilitator paces through: challenges, criteria, or nothing (free)."""
        cells = self.round_cells()
        if self.record.pacing == "challenge":
            return list(dict.fromkeys(c for c, _ in cells))
        if self.record.pacing == "criterion":
            return [k.id for k in self.plan.criteria if any(c[1] == k.id for c in cells)]
        return []

    def ballot_cells(self) -> list[Cell]:
        """The cells on the ballot now (the current item's, or the round's in free order)."""
        cells = self.round_cells()
        current = self.round.current
        if self.record.pacing == "free" or current is None:
            return cells
        index = 0 if self.record.pacing == "challenge" else 1
        return [c for c in cells if c[index] == current]

    def values(self, rnd: Round | None = None) -> dict[tuple[str, str, str], bool | int]:
        """The round's verdicts, the last ballot of a seat for a cell winning."""
        found: dict[tuple[str, str, str], bool | int] = {}
        for ballot in (rnd or self.round).ballots:
            for criterion, value in ballot.values.items():
                found[(ballot.seat, ballot.challenge, criterion)] = value
        return found

    def voted(self) -> dict[str, int]:
        """Per seat, how many of the round's cells it has rated (never what)."""
        counts = {s.id: 0 for s in self.record.seats}
        for seat, _challenge, _criterion in self.values():
            counts[seat] = counts.get(seat, 0) + 1
        return counts

    # actions ----------------------------------------------------------------------------
    def cast(self, seat_id: str, challenge: str, raw: dict[str, str],
             paper: bool = False) -> Ballot:
        """Take one ballot (some criteria of one challenge); written before it returns."""
        self.seat(seat_id)
        if self.phase != "open":
            raise BallotError(message("ws_err_closed"))
        allowed = set(self.ballot_cells()) if not paper else set(self.round_cells())
        values: dict[str, bool | int] = {}
        for criterion, text in raw.items():
            if (challenge, criterion) not in allowed:
                raise BallotError(message("ws_err_cell", challenge=challenge,
                                          criterion=criterion))
            spec = self.criteria[criterion].spec
            try:
                values[criterion] = stored(spec, parse_value(spec.scale, text))
            except ValueError:
                raise BallotError(message("ws_err_value", criterion=criterion)) from None
        if not values:
            raise BallotError(message("ws_err_empty"))
        ballot = Ballot(seat=seat_id, challenge=challenge, values=values,
                        at=self._now(), paper=paper)
        self.files.append_ballot(self.round.number, ballot)
        self.round.ballots.append(ballot)
        self.files.write_values(self.seat(seat_id).label, challenge, values)
        return ballot

    def set_current(self, item: str | None) -> None:
        """Put one challenge or criterion on the ballot (paced sessions)."""
        if self.phase != "open":
            raise BallotError(message("ws_err_closed"))
        if item is not None and item not in self.items():
            raise BallotError(message("ws_err_item", item=item))
        self.round.current = item
        self.files.save_record(self.record)

    def set_timer(self, minutes: float | None) -> None:
        """Start a countdown of ``minutes`` for the round (None: no timer)."""
        if minutes is not None and not 0 < minutes <= 240:
            raise BallotError(message("ws_err_timer"))
        self.round.deadline = (None if minutes is None else
                               self._now() + dt.timedelta(seconds=round(minutes * 60)))
        self.files.save_record(self.record)

    def close_round(self, disputed: int) -> None:
        """Close the round now: no more ballots; the reveal may be shown."""
        if self.phase != "open":
            raise BallotError(message("ws_err_closed"))
        values = self.values()
        self.round.closed = self._now()
        self.round.counts = Counts(
            ballots=len(self.round.ballots), seats_voted=len({k[0] for k in values}),
            cells=len(self.round_cells()), values=len(values), disputed=disputed)
        self.files.save_record(self.record)

    def next_round(self, cells: list[Cell]) -> Round:
        """Open a round that rates ``cells`` again (the disputed ones)."""
        if self.phase != "revealed":
            raise BallotError(message("ws_err_not_revealed"))
        if not cells:
            raise BallotError(message("ws_err_no_disputed"))
        rnd = Round(number=self.round.number + 1, opened=self._now(),
                    cells=[cell_key(c) for c in cells])
        self.record.rounds.append(rnd)
        if self.record.pacing != "free":
            items = self.items()
            rnd.current = items[0] if items else None
        self.files.save_record(self.record)
        return rnd

    def finish(self) -> None:
        """End the session: the record is closed and the pseudonyms' key destroyed."""
        if self.phase == "open":
            raise BallotError(message("ws_err_still_open"))
        if self.phase == "finished":
            return
        self.record.closed = self._now()
        self.files.save_record(self.record)
        self.names.clear()
        self.files.finish()

    def _now(self) -> dt.datetime:
        return self.clock().astimezone(dt.UTC).replace(microsecond=0)
