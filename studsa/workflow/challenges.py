"""Phase 2's challenges: add, list, show, edit and remove them in the utmaningskarta.

Every writing function holds the project lock from reading the file to writing it (see
``workflow/identify.py`` for the themes and sources they refer to).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from studsa.errors import ConflictError, UsageError
from studsa.i18n import message
from studsa.ids import new_id
from studsa.models.utmaningskarta import Challenge, Source, Theme, Utmaningskarta
from studsa.workflow.challenge_refs import Reference, challenge_references
from studsa.workflow.context import Workspace
from studsa.workflow.identify import (
    Change,
    find_challenge,
    find_source,
    find_theme,
    karta_model,
    optional_text,
    save_change,
    title_text,
)


@dataclass
class ChallengeDetail:
    """Everything about one challenge, for ``challenge show``."""

    challenge: Challenge
    theme: Theme | None
    sources: list[tuple[str, Source | None]]
    references: list[Reference] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The ``challenge show --json`` shape."""
        data = challenge_dict(self.challenge)
        data["theme_title"] = self.theme.title if self.theme else None
        data["sources"] = [
            {"id": sid, "title": src.title if src else None, "kind": src.kind if src else None}
            for sid, src in self.sources
        ]
        data["references"] = [{"file": r.file, "what": r.what} for r in self.references]
        return data


def _source_ids(karta: Utmaningskarta, refs: Iterable[str]) -> list[str]:
    ids: list[str] = []
    for ref in refs:
        sid = find_source(karta, ref).id
        if sid not in ids:
            ids.append(sid)
    return ids


def challenge_dict(challenge: Challenge) -> dict[str, Any]:
    """One challenge as plain data (the ``challenge list --json`` item)."""
    return {
        "id": challenge.id,
        "title": challenge.title,
        "theme": challenge.theme,
        "description": challenge.description,
        "sources": list(challenge.sources),
        "out_of_scope": challenge.out_of_scope,
        "example": challenge.example,
    }


def add_challenge(ws: Workspace, title: str, theme: str, challenge_id: str | None = None,
                  description: str | None = None, sources: Sequence[str] = ()) -> Change:
    """Add a challenge to a theme (given by id or title), citing existing sources."""
    with ws.store.lock():
        doc = ws.karta
        title = title_text(title, "challenge")
        theme_id = find_theme(doc.model, theme).id
        source_ids = _source_ids(doc.model, sources)
        taken = {c.id for c in doc.model.challenges}
        challenge = Challenge(
            id=new_id(title, challenge_id, taken, "challenge id"), title=title,
            theme=theme_id, description=optional_text(description), sources=source_ids,
        )
        doc.model.challenges.append(challenge)
        return save_change(ws, doc, "added", "challenge", challenge)


def challenge_rows(ws: Workspace, theme: str | None = None) -> list[dict[str, Any]]:
    """Challenges in file order, optionally of one theme (id or title)."""
    karta = karta_model(ws)
    theme_id = find_theme(karta, theme).id if theme is not None else None
    return [challenge_dict(c) for c in karta.challenges
            if theme_id is None or c.theme == theme_id]


@dataclass(frozen=True)
class ChallengeEdit:
    """The options of ``challenge edit``; ``None`` leaves a field as it is."""

    title: str | None = None
    theme: str | None = None
    description: str | None = None
    add_sources: tuple[str, ...] = ()
    remove_sources: tuple[str, ...] = ()
    out_of_scope: str | None = None
    in_scope: bool = False

    def is_empty(self) -> bool:
        """Whether no change was asked for."""
        return (self.title is None and self.theme is None and self.description is None
                and not self.add_sources and not self.remove_sources
                and self.out_of_scope is None and not self.in_scope)


def edit_challenge(ws: Workspace, challenge_id: str, edit: ChallengeEdit) -> Change:
    """Change a challenge's title, theme, description, sources or scope."""
    if edit.is_empty():
        raise UsageError(message("err_nothing_to_change"))
    if edit.in_scope and edit.out_of_scope is not None:
        raise UsageError(message("err_scope_contradict"))
    if edit.out_of_scope is not None and not edit.out_of_scope.strip():
        raise UsageError(message("err_scope_reason"))
    with ws.store.lock():
        doc = ws.karta
        challenge = find_challenge(doc.model, challenge_id)
        if edit.title is not None:
            challenge.title = title_text(edit.title, "challenge")
        if edit.theme is not None:
            challenge.theme = find_theme(doc.model, edit.theme).id
        if edit.description is not None:
            challenge.description = optional_text(edit.description)
        _edit_sources(doc.model, challenge, edit)
        if edit.out_of_scope is not None:
            challenge.out_of_scope = edit.out_of_scope.strip()
        if edit.in_scope:
            challenge.out_of_scope = None
        return save_change(ws, doc, "changed", "challenge", challenge)


def _edit_sources(karta: Utmaningskarta, challenge: Challenge, edit: ChallengeEdit) -> None:
    sources = list(challenge.sources)
    for ref in edit.remove_sources:
        # A dangling id (its source already deleted by hand) can still be removed.
        sid = ref.strip() if ref.strip() in sources else find_source(karta, ref).id
        if sid not in sources:
            raise UsageError(message("err_not_cited", challenge=challenge.id, source=sid))
        sources.remove(sid)
    for sid in _source_ids(karta, edit.add_sources):
        if sid not in sources:
            sources.append(sid)
    challenge.sources = sources


def show_challenge(ws: Workspace, challenge_id: str) -> ChallengeDetail:
    """Everything about one challenge: theme, sources with kind, scope and references."""
    karta = karta_model(ws)
    challenge = find_challenge(karta, challenge_id)
    theme = next((t for t in karta.themes if t.id == challenge.theme), None)
    by_id = {s.id: s for s in karta.sources}
    sources = [(sid, by_id.get(sid)) for sid in challenge.sources]
    refs = challenge_references(ws, challenge.id, strict=False)
    return ChallengeDetail(challenge, theme, sources, refs)


def remove_challenge(ws: Workspace, challenge_id: str) -> Change:
    """Remove a challenge that nothing refers to; otherwise say where it is used."""
    with ws.store.lock():
        doc = ws.karta
        challenge = find_challenge(doc.model, challenge_id)
        refs = challenge_references(ws, challenge.id, strict=True)
        if refs:
            where = "; ".join(f"{r.file} ({r.what})" for r in refs)
            raise ConflictError(message("err_challenge_used", id=challenge.id, where=where),
                                hint=message("err_challenge_used_hint", id=challenge.id))
        doc.model.challenges = [c for c in doc.model.challenges if c is not challenge]
        return save_change(ws, doc, "removed", "challenge", challenge)
