"""Remiss (consultation) rounds: open, answer, respond, list, status notes and the summary.

One round per deliverable version, stored as ``remiss/<deliverable>-v<N>.yaml``. Points get
ids ``p1``, ``p2``, … across the round, and may be ``about`` a section of the deliverable
(``scope``, ``criteria``, …) or one of its items (a challenge, criterion, activity id).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from studsa.errors import ConflictError, StudsaError, UsageError
from studsa.i18n import and_list, count, message
from studsa.models.remiss import DECISIONS, Answer, Point, Remiss, Response
from studsa.report.format import terminal
from studsa.storage.document import Document
from studsa.storage.layout import REMISS
from studsa.workflow.context import Workspace
from studsa.workflow.frozen import deliverable_kind, working
from studsa.workflow.notes import StatusNote

GENERAL = "general"
_HEADER = {
    "sv": "# Remissomgång: mottagare, svar och hur varje synpunkt har hanterats.\n"
          "# Fylls av `studsa remiss answer` och `studsa remiss respond`; kan redigeras för hand."
          "\n",
    "en": "# Remiss round: recipients, answers and how each point was handled.\n"
          "# Filled by `studsa remiss answer` and `studsa remiss respond`; may be edited by hand."
          "\n",
}


def rounds(ws: Workspace) -> list[Document[Any]]:
    """Every remiss round of the project, sorted by deliverable then version."""
    docs = [ws.store.read(REMISS, path) for path in ws.store.files(REMISS)]
    return sorted(docs, key=lambda d: (d.model.deliverable, d.model.version, d.display))


def round_for(ws: Workspace, deliverable: str | None = None) -> Document[Any]:
    """The round a command acts on: the latest of ``deliverable``, or the only open one."""
    docs = rounds(ws)
    if deliverable is not None:
        name = deliverable_kind(deliverable).name
        docs = [d for d in docs if d.model.deliverable == name]
        if not docs:
            raise UsageError(message("err_remiss_not_sent", the=message(f"err_the_{name}"),
                                     name=name))
        return docs[-1]
    if not docs:
        raise UsageError(message("err_remiss_none"))
    latest: dict[str, Document[Any]] = {}
    for doc in docs:
        latest[doc.model.deliverable] = doc
    if len(latest) == 1:
        return next(iter(latest.values()))
    names = ", ".join(sorted(latest))
    raise UsageError(message("err_remiss_several", names=names))


# sections an answer point may be about ----------------------------------------------------
_SECTIONS = {
    "uppdragsbeskrivning": ("title", "background", "purpose", "remit", "scope", "partners",
                            "decides", "timeline"),
    "utmaningskarta": ("intro", "themes", "sources", "challenges"),
    "strategi": ("title", "intro", "method", "criteria", "selection", "followup"),
    "handlingsplan": ("title", "intro", "placements", "activities"),
}


def about_targets(ws: Workspace, deliverable: str) -> dict[str, tuple[str, str]]:
    """What a point on ``deliverable`` may be about: id → (kind, title), in document order."""
    targets: dict[str, tuple[str, str]] = {GENERAL: ("general", "")}
    for name in _SECTIONS[deliverable]:
        targets[name] = ("section", name)
    try:
        karta = ws.karta.model
        items: list[tuple[str, Any]] = [("challenge", c) for c in karta.challenges]
        if deliverable == "utmaningskarta":
            items += [("theme", t) for t in karta.themes] + [("source", s) for s in karta.sources]
        if deliverable == "strategi":
            items += [("criterion", c) for c in ws.strategi.model.criteria]
        if deliverable == "handlingsplan":
            items += [("activity", a) for a in ws.plan.model.activities]
            items += [("department", d) for d in ws.project.model.departments]
    except StudsaError:
        items = []
    for what, item in items:
        targets.setdefault(item.id, (what, getattr(item, "title", None) or item.name))
    return targets


# open / answer / respond ------------------------------------------------------------------
@dataclass
class OpenResult:
    """A new round and the deliverable version it is about."""

    file: str
    deliverable: str
    version: int
    recipients: list[str]
    deadline: dt.date


def _unique(bodies: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for body in bodies:
        text = body.strip()
        if not text:
            raise UsageError(message("err_remiss_to_empty"))
        if text.casefold() in seen:
            raise UsageError(message("err_remiss_to_twice", body=text))
        seen[text.casefold()] = text
    return list(seen.values())


def open_round(ws: Workspace, deliverable: str, recipients: list[str], deadline: dt.date,
               opened: dt.date | None = None) -> OpenResult:
    """Send a deliverable on remiss: record recipients and deadline; status becomes review."""
    kind = deliverable_kind(deliverable)
    bodies = _unique(recipients)
    if not bodies:
        raise UsageError(message("err_remiss_no_recipient"))
    if opened is not None and deadline < opened:
        raise UsageError(message("err_remiss_deadline_early", deadline=deadline, opened=opened))
    doc = working(ws, kind)
    doc.model.status = "review"
    ws.store.render_text(doc)  # a decided file moves on to version N+1 here
    version = doc.model.version
    path = ws.store.path(REMISS, f"{kind.name}-v{version}")
    if path.exists():
        raise ConflictError(message("err_remiss_already", version=version,
                                    the=message(f"err_the_{kind.name}")),
                            path=ws.store.rel(path), hint=message("err_remiss_already_hint"))
    model = Remiss(schema_=REMISS.schema, deliverable=kind.name, version=version, opened=opened,
                   deadline=deadline, recipients=bodies)
    ws.save(doc, ws.store.new(REMISS, model, path, header=_HEADER[ws.language]))
    return OpenResult(ws.store.rel(path), kind.name, version, bodies, deadline)


def _recipient(doc: Document[Any], body: str) -> str:
    for name in doc.model.recipients:
        if name.casefold() == body.strip().casefold():
            return str(name)
    names = ", ".join(doc.model.recipients)
    raise UsageError(message("err_remiss_not_recipient", body=body, file=doc.display,
                             names=names))


@dataclass
class AnswerResult:
    """The points recorded for one recipient."""

    file: str
    body: str
    points: list[str]
    late: dt.date | None = None
    """The deadline, when the answer came after it (it is recorded all the same)."""
    received: dt.date | None = None


def answer(ws: Workspace, body: str, points: list[str], about: list[str] | None = None,
           date: dt.date | None = None, deliverable: str | None = None) -> AnswerResult:
    """Record a recipient's answer: its points (ids p1, p2, …), each optionally ``about``."""
    doc = round_for(ws, deliverable)
    name = _recipient(doc, body)
    texts = [p.strip() for p in points]
    if not texts or not all(texts):
        raise UsageError(message("err_remiss_points_empty"))
    abouts = list(about or [])
    if len(abouts) == 1:
        abouts = abouts * len(texts)
    elif abouts and len(abouts) != len(texts):
        raise UsageError(message("err_remiss_about_count", points=count("err_times", len(texts)),
                                 given=count("err_times", len(abouts))))
    targets = about_targets(ws, doc.model.deliverable)
    for target in abouts:
        if target not in targets:
            raise UsageError(message(
                "err_remiss_about_unknown", target=target,
                the=message(f"err_the_{doc.model.deliverable}"),
                sections=", ".join(_SECTIONS[doc.model.deliverable])))
    model = doc.model
    taken = [int(p.id[1:]) for a in model.answers for p in a.points]
    start = max(taken, default=0) + 1
    new_points = [Point(id=f"p{start + i}", text=text,
                        about=None if not abouts or abouts[i] == GENERAL else abouts[i])
                  for i, text in enumerate(texts)]
    existing = next((a for a in model.answers if a.body == name), None)
    if existing is None:
        model.answers.append(Answer(body=name, date=date, points=new_points))
    else:
        existing.points.extend(new_points)
        if date is not None:
            existing.date = date
    ws.save(doc)
    received = date or ws.today or dt.date.today()
    late = model.deadline if received > model.deadline else None
    return AnswerResult(doc.display, name, [p.id for p in new_points], late, received)


@dataclass
class RespondResult:
    """How a point was handled."""

    file: str
    point: str
    decision: str
    replaced: bool


def respond(ws: Workspace, point: str, decision: str, why: str, date: dt.date | None = None,
            deliverable: str | None = None) -> RespondResult:
    """Record how a point was handled (accepted, partly, rejected, noted) and why."""
    if decision not in DECISIONS:
        raise UsageError(message("err_remiss_decision", decision=decision,
                                 choices=", ".join(DECISIONS)))
    if not why.strip():
        raise UsageError(message("err_remiss_why"))
    doc = round_for(ws, deliverable)
    found = next((p for a in doc.model.answers for p in a.points if p.id == point.strip()), None)
    if found is None:
        ids = ", ".join(p.id for a in doc.model.answers for p in a.points) or message(
            "err_none_yet")
        raise UsageError(message("err_remiss_no_point", point=point, file=doc.display, ids=ids))
    replaced = found.response is not None
    found.response = Response(decision=decision, why=why.strip(), date=date)  # type: ignore[arg-type]
    ws.save(doc)
    return RespondResult(doc.display, found.id, decision, replaced)


# summary (for list, status and the remissammanställning report) --------------------------
@dataclass(frozen=True)
class RecipientSummary:
    """A recipient and whether (and when) it answered."""

    body: str
    answered: bool
    date: dt.date | None
    points: int
    late: bool = False
    """Answered after the deadline (by the answer's date)."""


@dataclass(frozen=True)
class PointSummary:
    """One point with who raised it and how it was handled (``decision`` None: open)."""

    id: str
    body: str
    date: dt.date | None
    text: str
    about: str | None
    decision: str | None
    why: str | None


@dataclass(frozen=True)
class PointGroup:
    """Points about one part of the deliverable (``kind``: general, section, challenge, …)."""

    key: str
    kind: str
    title: str
    points: list[PointSummary]


@dataclass
class RemissSummary:
    """One round, ready for a report: recipients answered or not, points grouped by part.

    ``groups`` come in document order: general points first, then sections in the order of
    the deliverable, then items (challenges, criteria, …) in file order, then anything the
    deliverable no longer has (``kind`` "unknown").
    """

    file: str
    deliverable: str
    version: int
    opened: dt.date | None
    deadline: dt.date
    recipients: list[RecipientSummary]
    groups: list[PointGroup]
    unanswered_points: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """Recipients who have not answered."""
        return [r.body for r in self.recipients if not r.answered]

    def as_dict(self) -> dict[str, Any]:
        """JSON shape (a ``list`` item: with ``id`` and ``title``)."""
        return {
            "id": f"{self.deliverable}-v{self.version}",
            "title": f"remiss: {self.deliverable} version {self.version}",
            "file": self.file, "deliverable": self.deliverable, "version": self.version,
            "opened": self.opened.isoformat() if self.opened else None,
            "deadline": self.deadline.isoformat(),
            "recipients": [{"body": r.body, "answered": r.answered,
                            "date": r.date.isoformat() if r.date else None, "points": r.points,
                            "late": r.late}
                           for r in self.recipients],
            "points": sum(len(g.points) for g in self.groups),
            "unanswered_points": self.unanswered_points,
        }


def summarize(ws: Workspace, doc: Document[Any]) -> RemissSummary:
    """The summary of one round document."""
    model = doc.model
    answers = {a.body: a for a in model.answers}
    def late(day: dt.date | None) -> bool:
        return day is not None and day > model.deadline

    recipients = [RecipientSummary(body, body in answers and bool(answers[body].points),
                                   answers[body].date if body in answers else None,
                                   len(answers[body].points) if body in answers else 0,
                                   body in answers and late(answers[body].date))
                  for body in model.recipients]
    extra = [a for a in model.answers if a.body not in model.recipients]
    recipients += [RecipientSummary(a.body, True, a.date, len(a.points), late(a.date))
                   for a in extra]
    targets = about_targets(ws, model.deliverable)
    order = {key: index for index, key in enumerate(targets)}
    grouped: dict[str, list[PointSummary]] = {}
    for a in model.answers:
        for p in a.points:
            grouped.setdefault(p.about or GENERAL, []).append(PointSummary(
                p.id, a.body, a.date, p.text, p.about,
                p.response.decision if p.response else None,
                p.response.why if p.response else None))
    groups = []
    for key in sorted(grouped, key=lambda k: (order.get(k, len(order)), k)):
        what, title = targets.get(key, ("unknown", key))
        points = sorted(grouped[key], key=lambda p: int(p.id[1:]))
        groups.append(PointGroup(key, what, title, points))
    open_points = sorted((p.id for g in groups for p in g.points if p.decision is None),
                         key=lambda i: int(i[1:]))
    return RemissSummary(doc.display, model.deliverable, model.version, model.opened,
                         model.deadline, recipients, groups, open_points)


def remiss_summary(ws: Workspace, deliverable: str | None = None) -> RemissSummary:
    """The consultation summary of the latest round (of ``deliverable``, when given)."""
    return summarize(ws, round_for(ws, deliverable))


def latest_project_date(ws: Workspace) -> dt.date | None:
    """The latest date the project itself records (decisions, remiss answers and responses).

    Used instead of the clock: when it is after a round's deadline, the deadline has passed.
    """
    dates = [d.date for d in ws.project.model.decisions]
    for doc in rounds(ws):
        for a in doc.model.answers:
            dates.append(a.date)
            dates.extend(p.response.date for p in a.points if p.response)
    known = [d for d in dates if d is not None]
    return max(known) if known else None


def status_notes(ws: Workspace, today: dt.date | None = None) -> list[StatusNote]:
    """Recipients who have not answered and points without a response.

    A deadline counts as passed when ``today`` (the argument, or ``ws.today`` when the CLI
    set it) or else the latest date recorded in the project is after it.
    """
    today = today or ws.today or latest_project_date(ws)
    notes = []
    for doc in rounds(ws):
        summary = summarize(ws, doc)
        if summary.missing:
            names = and_list(summary.missing)
            deadline = terminal().date(summary.deadline)
            if today is not None and today > summary.deadline:
                key = "wf_note_remiss_late" + ("" if len(summary.missing) > 1 else "_one")
                notes.append(StatusNote("warning", message(key, file=summary.file,
                                        deadline=deadline, names=names), "remiss"))
            else:
                notes.append(StatusNote("info", message("wf_note_remiss_waiting",
                                        file=summary.file, names=names, deadline=deadline),
                                        "remiss"))
        if summary.unanswered_points:
            ids = and_list(summary.unanswered_points)
            notes.append(StatusNote("todo", count("wf_note_remiss_points",
                                    len(summary.unanswered_points), file=summary.file, ids=ids,
                                    first=summary.unanswered_points[0]), "remiss"))
    return notes
