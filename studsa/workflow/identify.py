"""Phase 2, identifiera: themes, challenges and sources in the utmaningskarta.

Every writing function holds the project lock from reading the file to writing it, so two
commands never interleave; every one raises a ``StudsaError`` and writes nothing when the
input is wrong.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from studsa.errors import ConflictError, UsageError
from studsa.ids import new_id
from studsa.models.utmaningskarta import Challenge, Source, Theme, Utmaningskarta
from studsa.storage.project import Document
from studsa.workflow.challenge_refs import Reference, challenge_references
from studsa.workflow.identify_status import next_step as next_step
from studsa.workflow.identify_status import status_notes as status_notes

SOURCE_KINDS = ("narvarld", "invarld")


@dataclass(frozen=True)
class Change:
    """What a writing command did to the utmaningskarta."""

    action: str
    what: str
    id: str
    title: str
    file: str
    written: bool
    new_version: int | None = None


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


# --- helpers ---------------------------------------------------------------------------
def fold(text: str) -> str:
    """Text folded for case-insensitive matching of titles."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def _title(text: str, what: str) -> str:
    title = text.strip()
    if not title:
        raise UsageError(f"the {what} title is empty; give a title")
    return title


def _text(value: str | None) -> str | None:
    """Optional free text: stripped; an empty string clears the field."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def karta_model(ws: Any) -> Utmaningskarta:
    """The utmaningskarta model of the open project."""
    model: Utmaningskarta = ws.karta.model
    return model


class _Titled(Protocol):
    id: str
    title: str


T = TypeVar("T", bound=_Titled)


def _by_id_or_title(items: list[T], ref: str, what: str) -> T | None:
    """The item whose id, or else whose title (case-insensitive), is ``ref``; None if none.

    Several items with that title are a ``UsageError`` that asks for the id.
    """
    wanted = fold(ref)
    for item in items:
        if item.id == wanted:
            return item
    matches = [item for item in items if fold(item.title) == wanted]
    if len(matches) > 1:
        ids = ", ".join(item.id for item in matches)
        raise UsageError(f"several {what}s are titled {ref!r} ({ids}); give the {what}'s id")
    return matches[0] if matches else None


def find_theme(karta: Utmaningskarta, ref: str) -> Theme:
    """Find a theme by id or by title (case-insensitive); raise ``UsageError`` otherwise."""
    theme = _by_id_or_title(karta.themes, ref, "theme")
    if theme is not None:
        return theme
    known = ", ".join(t.id for t in karta.themes) or "none yet"
    raise UsageError(
        f"unknown theme {ref!r} (known themes: {known})",
        hint="add it with `studsa theme add TITLE`, then run this command again",
    )


def find_challenge(karta: Utmaningskarta, challenge_id: str) -> Challenge:
    """Find a challenge by id; raise ``UsageError`` naming the command that lists them."""
    for challenge in karta.challenges:
        if challenge.id == challenge_id.strip():
            return challenge
    raise UsageError(f"unknown challenge {challenge_id!r}; `studsa challenge list` shows them")


def find_source(karta: Utmaningskarta, ref: str) -> Source:
    """Find a source by id or by title (case-insensitive)."""
    source = _by_id_or_title(karta.sources, ref, "source")
    if source is not None:
        return source
    raise UsageError(
        f"unknown source {ref!r}",
        hint="add it with `studsa source add TITLE --kind narvarld|invarld`; "
        "`studsa source list` shows the ones there are",
    )


def source_kind(value: str) -> str:
    """Normalise a source kind (``närvärld`` → ``narvarld``) or raise ``UsageError``."""
    folded = fold(value).replace("ä", "a")
    if folded not in SOURCE_KINDS:
        raise UsageError(
            f"unknown source kind {value!r}; use narvarld (external analysis: agencies, "
            "research, other municipalities) or invarld (internal: interviews, workshops)"
        )
    return folded


def _save(ws: Any, doc: Document[Any], action: str, what: str, item: Any) -> Change:
    before = doc.model.version
    written = ws.save(doc)
    bumped = doc.model.version if doc.model.version != before else None
    return Change(action, what, item.id, item.title, doc.display, bool(written), bumped)


def _source_ids(karta: Utmaningskarta, refs: Iterable[str]) -> list[str]:
    ids: list[str] = []
    for ref in refs:
        sid = find_source(karta, ref).id
        if sid not in ids:
            ids.append(sid)
    return ids


# --- themes ----------------------------------------------------------------------------
def add_theme(ws: Any, title: str, theme_id: str | None = None,
              description: str | None = None) -> Change:
    """Add a theme (tematiskt område); the id is derived from the title unless given."""
    with ws.store.lock():
        doc = ws.karta
        title = _title(title, "theme")
        taken = {t.id for t in doc.model.themes}
        theme = Theme(id=new_id(title, theme_id, taken, "theme id"), title=title,
                      description=_text(description))
        doc.model.themes.append(theme)
        return _save(ws, doc, "added", "theme", theme)


def edit_theme(ws: Any, theme_id: str, title: str | None = None,
               description: str | None = None) -> Change:
    """Change a theme's title and/or description (an empty description clears it)."""
    if title is None and description is None:
        raise UsageError("nothing to change: give --title and/or --description")
    with ws.store.lock():
        doc = ws.karta
        theme = _theme_by_id(doc.model, theme_id)
        if title is not None:
            theme.title = _title(title, "theme")
        if description is not None:
            theme.description = _text(description)
        return _save(ws, doc, "changed", "theme", theme)


def remove_theme(ws: Any, theme_id: str) -> Change:
    """Remove a theme that no challenge uses."""
    with ws.store.lock():
        doc = ws.karta
        theme = _theme_by_id(doc.model, theme_id)
        users = [c.id for c in doc.model.challenges if c.theme == theme.id]
        if users:
            raise ConflictError(
                f"theme {theme.id!r} is used by {len(users)} challenge(s): {', '.join(users)}",
                hint="move them with `studsa challenge edit ID --theme OTHER` or remove them "
                "first",
            )
        doc.model.themes = [t for t in doc.model.themes if t is not theme]
        return _save(ws, doc, "removed", "theme", theme)


def _theme_by_id(karta: Utmaningskarta, theme_id: str) -> Theme:
    for theme in karta.themes:
        if theme.id == theme_id.strip():
            return theme
    raise UsageError(f"unknown theme {theme_id!r}; `studsa theme list` shows them")


def theme_rows(ws: Any) -> list[dict[str, Any]]:
    """Themes in file order with their number of challenges (the ``theme list`` shape)."""
    karta = karta_model(ws)
    return [
        {
            "id": t.id,
            "title": t.title,
            "description": t.description,
            "challenges": sum(1 for c in karta.challenges if c.theme == t.id),
        }
        for t in karta.themes
    ]


# --- sources ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SourceInput:
    """The options of ``source add``."""

    title: str
    kind: str
    id: str | None = None
    organisation: str | None = None
    year: str | None = None
    url: str | None = None
    description: str | None = None


def add_source(ws: Any, given: SourceInput) -> Change:
    """Add a source of evidence from the närvärld or invärld analysis."""
    kind = source_kind(given.kind)
    with ws.store.lock():
        doc = ws.karta
        title = _title(given.title, "source")
        taken = {s.id for s in doc.model.sources}
        source = Source(
            id=new_id(title, given.id, taken, "source id"), title=title, kind=kind,
            organisation=_text(given.organisation), year=_text(given.year),
            url=_text(given.url), description=_text(given.description),
        )
        doc.model.sources.append(source)
        return _save(ws, doc, "added", "source", source)


def source_rows(ws: Any, kind: str | None = None) -> list[dict[str, Any]]:
    """Sources in file order, optionally of one kind, with how many challenges cite each."""
    karta = karta_model(ws)
    wanted = source_kind(kind) if kind is not None else None
    return [
        {
            **s.model_dump(mode="json"),
            "cited_by": sum(1 for c in karta.challenges if s.id in c.sources),
        }
        for s in karta.sources
        if wanted is None or s.kind == wanted
    ]


# --- challenges ------------------------------------------------------------------------
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


def add_challenge(ws: Any, title: str, theme: str, challenge_id: str | None = None,
                  description: str | None = None, sources: Sequence[str] = ()) -> Change:
    """Add a challenge to a theme (given by id or title), citing existing sources."""
    with ws.store.lock():
        doc = ws.karta
        title = _title(title, "challenge")
        theme_id = find_theme(doc.model, theme).id
        source_ids = _source_ids(doc.model, sources)
        taken = {c.id for c in doc.model.challenges}
        challenge = Challenge(
            id=new_id(title, challenge_id, taken, "challenge id"), title=title,
            theme=theme_id, description=_text(description), sources=source_ids,
        )
        doc.model.challenges.append(challenge)
        return _save(ws, doc, "added", "challenge", challenge)


def challenge_rows(ws: Any, theme: str | None = None) -> list[dict[str, Any]]:
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


def edit_challenge(ws: Any, challenge_id: str, edit: ChallengeEdit) -> Change:
    """Change a challenge's title, theme, description, sources or scope."""
    if edit.is_empty():
        raise UsageError("nothing to change: give at least one option (see --help)")
    if edit.in_scope and edit.out_of_scope is not None:
        raise UsageError("--out-of-scope and --in-scope contradict each other; give one")
    if edit.out_of_scope is not None and not edit.out_of_scope.strip():
        raise UsageError("--out-of-scope needs the reason the challenge is left out")
    with ws.store.lock():
        doc = ws.karta
        challenge = find_challenge(doc.model, challenge_id)
        if edit.title is not None:
            challenge.title = _title(edit.title, "challenge")
        if edit.theme is not None:
            challenge.theme = find_theme(doc.model, edit.theme).id
        if edit.description is not None:
            challenge.description = _text(edit.description)
        _edit_sources(doc.model, challenge, edit)
        if edit.out_of_scope is not None:
            challenge.out_of_scope = edit.out_of_scope.strip()
        if edit.in_scope:
            challenge.out_of_scope = None
        return _save(ws, doc, "changed", "challenge", challenge)


def _edit_sources(karta: Utmaningskarta, challenge: Challenge, edit: ChallengeEdit) -> None:
    sources = list(challenge.sources)
    for ref in edit.remove_sources:
        # A dangling id (its source already deleted by hand) can still be removed.
        sid = ref.strip() if ref.strip() in sources else find_source(karta, ref).id
        if sid not in sources:
            raise UsageError(f"challenge {challenge.id!r} does not cite source {sid!r}")
        sources.remove(sid)
    for sid in _source_ids(karta, edit.add_sources):
        if sid not in sources:
            sources.append(sid)
    challenge.sources = sources


def show_challenge(ws: Any, challenge_id: str) -> ChallengeDetail:
    """Everything about one challenge: theme, sources with kind, scope and references."""
    karta = karta_model(ws)
    challenge = find_challenge(karta, challenge_id)
    theme = next((t for t in karta.themes if t.id == challenge.theme), None)
    by_id = {s.id: s for s in karta.sources}
    sources = [(sid, by_id.get(sid)) for sid in challenge.sources]
    refs = challenge_references(ws, challenge.id, strict=False)
    return ChallengeDetail(challenge, theme, sources, refs)


def remove_challenge(ws: Any, challenge_id: str) -> Change:
    """Remove a challenge that nothing refers to; otherwise say where it is used."""
    with ws.store.lock():
        doc = ws.karta
        challenge = find_challenge(doc.model, challenge_id)
        refs = challenge_references(ws, challenge.id, strict=True)
        if refs:
            where = "; ".join(f"{r.file} ({r.what})" for r in refs)
            raise ConflictError(
                f"challenge {challenge.id!r} is still used in {where}",
                hint=f"to keep it but leave it out, run `studsa challenge edit {challenge.id} "
                "--out-of-scope REASON`; to delete it, remove those references first",
            )
        doc.model.challenges = [c for c in doc.model.challenges if c is not challenge]
        return _save(ws, doc, "removed", "challenge", challenge)
