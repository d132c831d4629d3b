"""The workshop appendix to the minutes: what the room did, from the session's record.

Pure: the record (``models.workshop``), the strategi's criteria, the challenges' titles
and the files' hashes in, a context out. The counts are the reveal's (the last ballot of a
seat for a cell wins within a round; a later round replaces an earlier round's verdict);
who changed a verdict between rounds is named only when the mode is not anonymous.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from studsa.models.project import Project
from studsa.models.strategi import Strategi
from studsa.models.workshop import Round, WorkshopRecord
from studsa.report.context import TitleBlock, label, title_block
from studsa.report.format import fill
from studsa.scoring import CriterionSpec, Problem, score

Values = dict[tuple[str, str, str], int]
"""(seat, challenge, criterion) → the value."""


@dataclass(frozen=True)
class RoundRow:
    """One round in numbers."""

    number: int
    opened: str
    closed: str | None
    cells: int
    ballots: int
    paper: int
    seats_voted: int
    disputed: int


@dataclass(frozen=True)
class CellRow:
    """One cell of a round: the distribution of its verdicts."""

    challenge: str
    criterion: str
    counts: str
    raters: int
    disputed: bool


@dataclass(frozen=True)
class RoundCells:
    """The cells one round rated."""

    number: int
    rows: list[CellRow]


@dataclass(frozen=True)
class RankRow:
    """One challenge in the room's final ranking."""

    rank: int
    title: str
    score: float
    inside: bool


@dataclass(frozen=True)
class FileHash:
    """A file the session wrote or rated, and its sha256 when the appendix was made."""

    path: str
    sha256: str


@dataclass(frozen=True)
class WorkshopContext:
    """Everything the workshop appendix shows."""

    doc: TitleBlock
    session: str
    mode: str
    pacing: str
    started: str
    closed: str | None
    seats: int
    people: list[str]
    """The raters' names (named mode only)."""
    guests: int
    strategi_version: int
    strategi_sha256: str
    rounds: list[RoundRow]
    cells: list[RoundCells]
    changes: list[str]
    ranking: list[RankRow]
    top: int
    files: list[FileHash]


def round_values(rnd: Round) -> Values:
    """The round's verdicts, a seat's last ballot for a cell winning."""
    found: Values = {}
    for ballot in rnd.ballots:
        for criterion, value in ballot.values.items():
            found[(ballot.seat, ballot.challenge, criterion)] = int(value)
    return found


def _when(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _counts(t: Mapping[str, str], spec: CriterionSpec, counts: Counter[int]) -> str:
    if spec.scale == "yes-no":
        return fill(label(t, "ws_report_yes_no"), yes=counts[1], no=counts[0])
    return " · ".join(f"{v}: {counts[v]}" for v in range(spec.low, spec.high + 1))


def _cells(record: WorkshopRecord, rnd: Round, specs: dict[str, CriterionSpec],
           challenges: Sequence[str], criterion_titles: dict[str, str],
           titles: dict[str, str], t: Mapping[str, str]) -> RoundCells:
    values = round_values(rnd)
    if rnd.cells is None:
        cells = [(c, k) for c in challenges for k in specs]
    else:
        cells = [(text.partition("/")[0], text.partition("/")[2]) for text in rnd.cells]
    per_cell: dict[tuple[str, str], Counter[int]] = {cell: Counter() for cell in cells}
    for (_seat, challenge, criterion), value in values.items():
        if (challenge, criterion) in per_cell:
            per_cell[(challenge, criterion)][value] += 1
    rows = []
    for cell in cells:
        counts = per_cell[cell]
        spec = specs.get(cell[1], CriterionSpec(cell[1]))
        rows.append(CellRow(titles.get(cell[0], cell[0]), criterion_titles.get(cell[1], cell[1]),
                            _counts(t, spec, counts), sum(counts.values()),
                            len([n for n in counts.values() if n]) > 1))
    return RoundCells(rnd.number, rows)


def changes(record: WorkshopRecord, criterion_titles: dict[str, str],
            titles: dict[str, str], t: Mapping[str, str], and_list: object) -> list[str]:
    """Per changed cell: "2 bedömare ändrade X för Y efter diskussionen i omgång 2" (and
    who, unless the mode is anonymous)."""
    labels = {s.id: s.label for s in record.seats}
    before: Values = {}
    lines: list[str] = []
    for rnd in record.rounds:
        values = round_values(rnd)
        if rnd.number > 1:
            changed: dict[tuple[str, str], list[str]] = {}
            for key, value in values.items():
                if key in before and before[key] != value:
                    changed.setdefault((key[1], key[2]), []).append(labels.get(key[0], key[0]))
            for (challenge, criterion), who in changed.items():
                text = fill(label(t, "ws_report_changed_one" if len(who) == 1
                                  else "ws_report_changed"),
                            n=len(who), criterion=criterion_titles.get(criterion, criterion),
                            challenge=titles.get(challenge, challenge), round=rnd.number)
                if record.mode != "anonymous":
                    text += ": " + and_list(sorted(who))  # type: ignore[operator]
                lines.append(text + ".")
        before.update(values)
    return lines


def _ranking(record: WorkshopRecord, strategi: Strategi, specs: dict[str, CriterionSpec],
             challenges: Sequence[str], titles: dict[str, str]) -> tuple[list[RankRow], int]:
    values: Values = {}
    for rnd in record.rounds:
        values.update(round_values(rnd))
    top = min(record.top, len(challenges))
    if not values or not challenges:
        return [], top
    agg = strategi.aggregation
    problem = Problem(list(challenges), list(specs.values()), sorted({k[0] for k in values}),
                      {k: float(v) for k, v in values.items()}, float(agg.yes_no_threshold),
                      agg.numeric)
    scored = score(problem, strategi.method, allow_missing=True)
    return [RankRow(e.rank, titles.get(e.id, e.id), e.score, e.rank <= top)
            for e in scored.ranking], top


def workshop_context(project: Project, session: str, record: WorkshopRecord,
                     strategi: Strategi, challenges: Sequence[str], titles: dict[str, str],
                     files: list[FileHash], t: Mapping[str, str],
                     and_list: object) -> WorkshopContext:
    """Build the appendix of one session (``challenges``: the in-scope ones, in order)."""
    specs = {k.id: CriterionSpec(k.id, k.scale) for k in strategi.criteria}
    criterion_titles = {k.id: k.title for k in strategi.criteria}
    rounds = []
    for rnd in record.rounds:
        values = round_values(rnd)
        cells = (len(challenges) * len(specs)) if rnd.cells is None else len(rnd.cells)
        rounds.append(RoundRow(
            rnd.number, _when(rnd.opened) or "", _when(rnd.closed), cells, len(rnd.ballots),
            sum(1 for b in rnd.ballots if b.paper), len({k[0] for k in values}),
            rnd.counts.disputed if rnd.counts is not None else 0))
    ranking, top = _ranking(record, strategi, specs, challenges, titles)
    subject = fill(label(t, "ws_report_subject"), session=session)
    return WorkshopContext(
        doc=title_block(project, "workshop", t, None, subject),
        session=session,
        mode=label(t, f"ws_report_mode_{record.mode}"),
        pacing=label(t, f"ws_report_pacing_{record.pacing}"),
        started=_when(record.started) or "",
        closed=_when(record.closed),
        seats=len(record.seats),
        people=[s.label for s in record.seats] if record.mode == "named" else [],
        guests=sum(1 for s in record.seats if s.guest),
        strategi_version=record.strategi_version,
        strategi_sha256=record.strategi_sha256,
        rounds=rounds,
        cells=[_cells(record, rnd, specs, challenges, criterion_titles, titles, t)
               for rnd in record.rounds],
        changes=changes(record, criterion_titles, titles, t, and_list),
        ranking=ranking,
        top=top,
        files=files,
    )
