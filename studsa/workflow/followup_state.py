"""A lägesbild is closed like the other deliverables: draft → reported → decided.

``followup report`` records to whom and when the lägesbild of a period was reported.
``followup decide`` freezes the period's file as ``uppfoljning/versions/<period>.v<N>.yaml``
and logs the decision (deliverable ``lagesbild``, with its period) and the copy's sha256 in
``studsa.yaml``, exactly as ``decide`` does, so ``verify`` proves it untouched; the copy and
the log are written together (``storage.together``). A decided period takes no more reports
unless ``--force``; a change to it then starts its next version as a draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from studsa.errors import ConflictError, UsageError
from studsa.i18n import message
from studsa.models.project import Decision
from studsa.models.uppfoljning import Reported, Uppfoljning
from studsa.periods import parse_period
from studsa.storage.document import Document
from studsa.storage.files import encode_text, sha256_bytes
from studsa.storage.layout import UPPFOLJNING
from studsa.storage.schemas import repoint_schema
from studsa.storage.together import Write
from studsa.validation.versions import LAGESBILD
from studsa.workflow.context import Workspace


def period_doc(ws: Workspace, period_text: str) -> Document[Uppfoljning]:
    """The follow-up file of a period, or a ``UsageError`` naming how to open it."""
    period = parse_period(period_text)
    for doc in ws.uppfoljningar:
        if str(doc.model.period) == str(period):
            return doc
    raise UsageError(f"the follow-up period {period} is not open yet; open it with "
                     f"`studsa followup new {period}`")


def period_decisions(ws: Workspace, period: str) -> list[Decision]:
    """Every decision on the lägesbild of ``period``, by version."""
    return sorted((d for d in ws.project.model.decisions
                   if d.deliverable == LAGESBILD and d.period == period),
                  key=lambda d: d.version)


def frozen_period_relpath(period: str, version: int) -> str:
    """Where version ``version`` of a period's lägesbild is frozen."""
    return f"{UPPFOLJNING.folder}/versions/{period}.v{version}.yaml"


def refuse_if_decided(ws: Workspace, doc: Document[Uppfoljning], force: bool) -> None:
    """A decided period takes no more reports, unless ``force`` (then: its next version)."""
    if doc.model.status != "decided" or force:
        return
    decided = period_decisions(ws, str(doc.model.period))
    last = decided[-1] if decided else None
    raise ConflictError(message(
        "method_followup_decided_refused", period=doc.model.period,
        by=last.by if last else "?", date=last.date.isoformat() if last else "?"),
        path=doc.display)


@dataclass(frozen=True)
class Reporting:
    """What ``followup report`` recorded."""

    period: str
    to: str
    date: dt.date
    file: str


def report_period(ws: Workspace, period_text: str, *, to: str | None, date: dt.date
                  ) -> Reporting:
    """Mark the lägesbild of a period as reported to ``to`` (default: the committee)."""
    doc = period_doc(ws, period_text)
    body = (to or ws.project.model.committee or "").strip()
    if not body:
        raise UsageError("--to needs the body the lägesbild was reported to, e.g. "
                         "\"Tekniska nämnden\" (or set `committee:` in studsa.yaml)")
    refuse_if_decided(ws, doc, force=False)
    doc.model.reported = Reported(to=body, date=date)
    doc.model.status = "reported"
    ws.save(doc)
    return Reporting(str(doc.model.period), body, date, doc.display)


def decide_period(ws: Workspace, period_text: str, *, by: str, date: dt.date,
                  paragraph: str | None = None, dnr: str | None = None) -> Decision:
    """Freeze the lägesbild of a period as decided and log the decision with its sha256."""
    if not by.strip():
        raise UsageError("--by needs the deciding body, e.g. \"Tekniska nämnden\"")
    doc = period_doc(ws, period_text)
    period = str(doc.model.period)
    decided = period_decisions(ws, period)
    if doc.model.status == "decided" and any(d.version == doc.model.version for d in decided):
        raise ConflictError(message("method_followup_already_decided", period=period,
                                    version=doc.model.version), path=doc.display)
    version = max([doc.model.version, *(d.version + 1 for d in decided)])
    doc.model.version = version
    doc.model.status = "decided"
    if doc.model.reported is None:  # decided at the meeting it was reported to
        doc.model.reported = Reported(to=by.strip(), date=date)
    rel = frozen_period_relpath(period, version)
    data = repoint_schema(encode_text(ws.store.render_text(doc), bom=doc.bom,
                                      newline=doc.newline), ws.root, UPPFOLJNING.name,
                          ws.root / rel)
    if (ws.root / rel).exists():
        raise ConflictError("a frozen version already exists here but is not in the decisions "
                            "log; move it away (it may be a copy made by hand) and decide "
                            "again", path=rel)
    decision = Decision(deliverable=LAGESBILD, period=period, version=version, by=by.strip(),
                        date=date, paragraph=paragraph, dnr=dnr, sha256=sha256_bytes(data),
                        file=rel)
    project = ws.project
    project.model.decisions.append(decision)
    try:
        ws.save(doc, project, extra=[Write(ws.root / rel, data, rel, [ws.root],
                                           check_stale=True)])
    except BaseException:
        project.model.decisions.remove(decision)
        raise
    return decision


__all__ = ["LAGESBILD", "Reporting", "decide_period", "frozen_period_relpath",
           "period_decisions", "refuse_if_decided", "report_period"]
