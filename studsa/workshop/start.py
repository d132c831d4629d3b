"""Starting a session, or resuming the one a killed server left open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from studsa.errors import UsageError
from studsa.i18n import message
from studsa.models.workshop import Mode, Pacing, Round, Seat, WorkshopRecord
from studsa.storage.layout import WORKSHOP
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import scope
from studsa.workflow.prioritize.report import default_top
from studsa.workshop.files import Files
from studsa.workshop.keys import Keys, new_secret
from studsa.workshop.session import Clock, Criterion, Plan, Session

MAX_SEATS = 200


@dataclass
class StartOptions:
    """What ``studsa workshop serve`` was asked for (used only for a new session)."""

    mode: Mode = "named"
    pacing: Pacing = "free"
    raters: list[str] = field(default_factory=list)
    """Names of the raters (named, pseudonymous) besides the project's own."""
    seats: int | None = None
    """How many seats (anonymous), instead of names."""
    project_raters: bool = True
    """Seat the raters who already have a file in the project."""
    top: int | None = None
    name: str | None = None
    """The session's file name (default: the date)."""


def plan_of(ws: Workspace) -> Plan:
    """What the room rates: the in-scope challenges × every criterion."""
    strategi = ws.strategi.model
    inside, _out, by_id = scope(ws.karta.model)
    if not strategi.criteria:
        raise UsageError(message("ws_err_no_criteria"))
    if not inside:
        raise UsageError(message("ws_err_no_challenges"))
    criteria = tuple(Criterion(c.id, c.title, c.scale, c.description) for c in strategi.criteria)
    agg = strategi.aggregation
    return Plan(tuple((c, by_id[c].title) for c in inside), criteria, strategi.method,
                float(agg.yes_no_threshold), agg.numeric)


def _names(ws: Workspace, options: StartOptions) -> list[str]:
    names: list[str] = []
    if options.project_raters:
        names.extend(sorted(str(d.model.rater).strip() for d in ws.bedomningar))
    for raw in options.raters:
        name = " ".join(raw.split())
        if not name:
            raise UsageError(message("ws_err_rater_empty"))
        if name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return names


def _seats(ws: Workspace, files: Files, options: StartOptions) -> tuple[list[Seat], dict[str, str]]:
    if options.mode == "anonymous":
        if options.raters:
            raise UsageError(message("ws_err_anonymous_names"))
        count = options.seats if options.seats is not None else len(ws.bedomningar)
        if not 1 <= count <= MAX_SEATS:
            raise UsageError(message("ws_err_seats", limit=MAX_SEATS))
        return [Seat(id=f"s{n}", label=files.pseudonym("anonymous", n))
                for n in range(1, count + 1)], {}
    if options.seats is not None:
        raise UsageError(message("ws_err_seats_named"))
    names = _names(ws, options)
    if not names:
        raise UsageError(message("ws_err_no_raters"))
    if len(names) > MAX_SEATS:
        raise UsageError(message("ws_err_seats", limit=MAX_SEATS))
    if options.mode == "named":
        return [Seat(id=f"s{n}", label=name) for n, name in enumerate(names, start=1)], {}
    seats = [Seat(id=f"s{n}", label=files.pseudonym("pseudonymous", n))
             for n in range(1, len(names) + 1)]
    return seats, {seat.id: name for seat, name in zip(seats, names, strict=True)}


def _stem(ws: Workspace, options: StartOptions, today: dt.date) -> str:
    if options.name:
        return options.name
    stem, n = today.isoformat(), 2
    while True:
        path = ws.store.path(WORKSHOP, stem)
        if not path.exists() or ws.store.read(WORKSHOP, path).model.closed is None:
            return stem
        stem, n = f"{today.isoformat()}-{n}", n + 1


def open_session(ws: Workspace, options: StartOptions, clock: Clock) -> tuple[Session, bool]:
    """The session to serve, and whether it was resumed from its files.

    An open session of the day (or of ``options.name``) is resumed: its record and secrets
    are read back, and every verdict the record holds is merged into the raters' files
    again (a server killed between the two writes of a ballot loses nothing).
    """
    now = clock().astimezone(dt.UTC).replace(microsecond=0)
    plan = plan_of(ws)
    scales = {k.id: k.scale for k in plan.criteria}
    stem = _stem(ws, options, now.date())
    files = Files(ws.store, stem, ws.language, scales)
    record = files.load_record()
    if record is not None:
        if record.closed is not None:
            raise UsageError(message("ws_err_finished", file=ws.store.rel(files.record_path)))
        secrets = files.load_secrets()
        if secrets is None:
            raise UsageError(message("ws_err_no_secrets", file=ws.store.rel(files.record_path)))
        secret, names = secrets
        session = Session(plan, record, Keys(secret), names, files, clock)
        _replay(session)
        return session, True
    seats, names = _seats(ws, files, options)
    strategi = ws.strategi
    top = default_top(strategi.model, len(plan.challenges), options.top)
    record = WorkshopRecord(
        schema_=WORKSHOP.schema, date=now.date(), mode=options.mode, pacing=options.pacing,
        top=top, strategi_version=strategi.model.version,
        strategi_sha256=strategi.digest or "", started=now, seats=seats,
        rounds=[Round(number=1, opened=now)])
    secret = new_secret()
    files.save_secrets(secret, names)
    session = Session(plan, record, Keys(secret), names, files, clock)
    if options.pacing != "free":
        items = session.items()
        record.rounds[0].current = items[0] if items else None
    files.save_record(record)
    return session, False


def _replay(session: Session) -> None:
    """Merge the record's verdicts into the raters' files (only what differs is written)."""
    labels = {s.id: s.label for s in session.record.seats}
    latest: dict[tuple[str, str], dict[str, bool | int]] = {}
    for rnd in session.record.rounds:
        for (seat, challenge, criterion), value in session.values(rnd).items():
            latest.setdefault((seat, challenge), {})[criterion] = value
    for (seat, challenge), values in sorted(latest.items()):
        session.files.write_values(labels[seat], challenge, values)
