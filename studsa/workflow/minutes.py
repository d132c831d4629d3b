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
from studsa.report.workshop import FileHash, WorkshopContext, changes, workshop_context
from studsa.storage.document import Document
from studsa.storage.layout import WORKSHOP
from studsa.workflow.context import Workspace
from studsa.workflow.prioritize.load import scope


def closed_sessions(ws: Workspace) -> list[Document[Any]]:
    """Every closed session's record, the last closed last."""
    docs = [ws.store.read(WORKSHOP, path) for path in ws.store.files(WORKSHOP)]
    closed = [d for d in docs if d.model.closed is not None]
    return sorted(closed, key=lambda d: (d.model.closed, d.path.name))


MADE_AT_PREFIX = "workshop "


def made_at_text(stem: str) -> str:
    """What ``select --made-at`` takes to name a session: ``workshop 2026-06-16``."""
    return f"{MADE_AT_PREFIX}{stem}"


def session_named(ws: Workspace, made_at: str | None) -> Document[Any] | None:
    """The session record ``made_at`` names (``workshop <name>``), if there is one."""
    text = (made_at or "").strip()
    if not text.startswith(MADE_AT_PREFIX):
        return None
    stem = text[len(MADE_AT_PREFIX):].strip()
    path = ws.store.path(WORKSHOP, stem) if stem else None
    if path is None or path.stem != stem or not path.is_file():
        return None
    return ws.store.read(WORKSHOP, path)


def check_made_at(ws: Workspace, made_at: str | None) -> None:
    """Refuse a ``--made-at`` that names a session still open (its ranking is not final)."""
    doc = session_named(ws, made_at)
    if doc is not None and doc.model.closed is None:
        raise UsageError(message("ws_err_select_open", session=doc.path.stem,
                                 file=ws.store.rel(doc.path)))


def selection_changes(ws: Workspace, made_at: str | None, t: Mapping[str, str]) -> list[str]:
    """What changed after discussion at the session a selection was made at (or nothing)."""
    doc = session_named(ws, made_at)
    if doc is None:
        return []
    strategi = ws.strategi.model
    titles = {c.id: c.title for c in ws.karta.model.challenges}
    fmt = Formatter(ws.language, locale_of(ws.language))
    return changes(doc.model, {k.id: k.title for k in strategi.criteria}, titles, t,
                   fmt.and_list)


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
    journal = doc.path.with_name(f"{doc.path.stem}.ballots.jsonl")
    files = [FileHash(ws.store.rel(doc.path), _sha256(doc.path))]
    if journal.is_file():
        files.append(FileHash(ws.store.rel(journal), _sha256(journal)))
    files.append(FileHash(ws.store.rel(ws.strategi.path), _sha256(ws.strategi.path)))
    files += [FileHash(ws.store.rel(d.path), _sha256(d.path)) for d in ws.bedomningar
              if str(d.model.rater).strip() in labels]
    fmt = Formatter(ws.language, locale_of(ws.language))
    return workshop_context(ws.project.model, doc.path.stem, record, ws.strategi.model,
                            inside, titles, files, t, fmt.and_list)
