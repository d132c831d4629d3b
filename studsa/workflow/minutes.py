"""The workshop appendix's data: the latest closed session, its files and their hashes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from studsa.errors import StudsaError, UsageError
from studsa.i18n import locale_of, message
from studsa.models.workshop import WorkshopRecord
from studsa.report.format import Formatter
from studsa.report.workshop import FileHash, WorkshopContext, workshop_context
from studsa.storage.document import Document
from studsa.storage.layout import WORKSHOP
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import scope


def closed_sessions(ws: Workspace) -> list[Document[Any]]:
    """Every closed session's record, the last closed last."""
    docs = [ws.store.read(WORKSHOP, path) for path in ws.store.files(WORKSHOP)]
    closed = [d for d in docs if d.model.closed is not None]
    return sorted(closed, key=lambda d: (d.model.closed, d.path.name))


def unavailable(ws: Workspace) -> str | None:
    """Why there is no workshop appendix to render (no closed session), or None."""
    try:
        found = closed_sessions(ws)
    except StudsaError as err:
        return str(err)
    return None if found else message("ws_report_none")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def minutes_context(ws: Workspace, t: Mapping[str, str]) -> WorkshopContext:
    """The appendix of the last closed session."""
    sessions = closed_sessions(ws)
    if not sessions:
        raise UsageError(message("ws_report_none"))
    doc = sessions[-1]
    record: WorkshopRecord = doc.model
    karta = ws.karta.model
    inside, _out, by_id = scope(karta)
    titles = {cid: c.title for cid, c in by_id.items()}
    labels = {s.label for s in record.seats}
    files = [FileHash(ws.store.rel(doc.path), _sha256(doc.path)),
             FileHash(ws.store.rel(ws.strategi.path), _sha256(ws.strategi.path))]
    files += [FileHash(ws.store.rel(d.path), _sha256(d.path)) for d in ws.bedomningar
              if str(d.model.rater).strip() in labels]
    fmt = Formatter(ws.language, locale_of(ws.language))
    return workshop_context(ws.project.model, doc.path.stem, record, ws.strategi.model,
                            inside, titles, files, t, fmt.and_list)
