"""Phase 2, identifiera: the utmaningskarta's themes and sources, and the phase's status.

The challenges themselves are in ``workflow/challenges.py``. Every writing function holds
the project lock from reading the file to writing it, so two commands never interleave;
every one raises a ``StudsaError`` and writes nothing when the input is wrong.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from studsa.errors import ConflictError, UsageError
from studsa.i18n import count, message
from studsa.ids import new_id
from studsa.models.utmaningskarta import Challenge, Source, Theme, Utmaningskarta
from studsa.storage.document import Document
from studsa.workflow.context import Workspace
from studsa.workflow.notes import StatusNote

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


# --- helpers ---------------------------------------------------------------------------
def fold(text: str) -> str:
    """Text folded for case-insensitive matching of titles."""
    return unicodedata.normalize("NFC", text).strip().casefold()


def title_text(text: str, what: str) -> str:
    title = text.strip()
    if not title:
        raise UsageError(message(f"err_title_empty_{what}"))
    return title


def optional_text(value: str | None) -> str | None:
    """Optional free text: stripped; an empty string clears the field."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def karta_model(ws: Workspace) -> Utmaningskarta:
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
        raise UsageError(message(f"err_several_{what}", ref=ref, ids=ids))
    return matches[0] if matches else None


def find_theme(karta: Utmaningskarta, ref: str) -> Theme:
    """Find a theme by id or by title (case-insensitive); raise ``UsageError`` otherwise."""
    theme = _by_id_or_title(karta.themes, ref, "theme")
    if theme is not None:
        return theme
    known = ", ".join(t.id for t in karta.themes) or message("err_none_yet")
    raise UsageError(message("err_unknown_theme", ref=ref, known=known),
                     hint=message("err_unknown_theme_hint"))


def find_challenge(karta: Utmaningskarta, challenge_id: str) -> Challenge:
    """Find a challenge by id; raise ``UsageError`` naming the command that lists them."""
    for challenge in karta.challenges:
        if challenge.id == challenge_id.strip():
            return challenge
    raise UsageError(message("err_unknown_challenge_list", id=challenge_id))


def find_source(karta: Utmaningskarta, ref: str) -> Source:
    """Find a source by id or by title (case-insensitive)."""
    source = _by_id_or_title(karta.sources, ref, "source")
    if source is not None:
        return source
    raise UsageError(message("err_unknown_source", ref=ref),
                     hint=message("err_unknown_source_hint"))


def source_kind(value: str) -> str:
    """Normalise a source kind (``närvärld`` → ``narvarld``) or raise ``UsageError``."""
    folded = fold(value).replace("ä", "a")
    if folded not in SOURCE_KINDS:
        raise UsageError(message("err_source_kind", value=value))
    return folded


def save_change(ws: Workspace, doc: Document[Any], action: str, what: str, item: Any) -> Change:
    before = doc.model.version
    written = ws.save(doc)
    bumped = doc.model.version if doc.model.version != before else None
    return Change(action, what, item.id, item.title, doc.display, bool(written), bumped)


# --- themes ----------------------------------------------------------------------------
def add_theme(ws: Workspace, title: str, theme_id: str | None = None,
              description: str | None = None) -> Change:
    """Add a theme (tematiskt område); the id is derived from the title unless given."""
    with ws.store.lock():
        doc = ws.karta
        title = title_text(title, "theme")
        taken = {t.id for t in doc.model.themes}
        theme = Theme(id=new_id(title, theme_id, taken, "theme id"), title=title,
                      description=optional_text(description))
        doc.model.themes.append(theme)
        return save_change(ws, doc, "added", "theme", theme)


def edit_theme(ws: Workspace, theme_id: str, title: str | None = None,
               description: str | None = None) -> Change:
    """Change a theme's title and/or description (an empty description clears it)."""
    if title is None and description is None:
        raise UsageError(message("err_theme_nothing_to_change"))
    with ws.store.lock():
        doc = ws.karta
        theme = _theme_by_id(doc.model, theme_id)
        if title is not None:
            theme.title = title_text(title, "theme")
        if description is not None:
            theme.description = optional_text(description)
        return save_change(ws, doc, "changed", "theme", theme)


def remove_theme(ws: Workspace, theme_id: str) -> Change:
    """Remove a theme that no challenge uses."""
    with ws.store.lock():
        doc = ws.karta
        theme = _theme_by_id(doc.model, theme_id)
        users = [c.id for c in doc.model.challenges if c.theme == theme.id]
        if users:
            raise ConflictError(count("err_theme_used", len(users), id=theme.id,
                                      ids=", ".join(users)),
                                hint=message("err_theme_used_hint"))
        doc.model.themes = [t for t in doc.model.themes if t is not theme]
        return save_change(ws, doc, "removed", "theme", theme)


def _theme_by_id(karta: Utmaningskarta, theme_id: str) -> Theme:
    for theme in karta.themes:
        if theme.id == theme_id.strip():
            return theme
    raise UsageError(message("err_unknown_theme_list", id=theme_id))


def theme_rows(ws: Workspace) -> list[dict[str, Any]]:
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


def add_source(ws: Workspace, given: SourceInput) -> Change:
    """Add a source of evidence from the närvärld or invärld analysis."""
    kind = source_kind(given.kind)
    with ws.store.lock():
        doc = ws.karta
        title = title_text(given.title, "source")
        taken = {s.id for s in doc.model.sources}
        source = Source(
            id=new_id(title, given.id, taken, "source id"), title=title, kind=kind,
            organisation=optional_text(given.organisation), year=optional_text(given.year),
            url=optional_text(given.url), description=optional_text(given.description),
        )
        doc.model.sources.append(source)
        return save_change(ws, doc, "added", "source", source)


def source_rows(ws: Workspace, kind: str | None = None) -> list[dict[str, Any]]:
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


# --- status ----------------------------------------------------------------------------
def next_step(ws: Workspace) -> str | None:
    """The next thing to do in phase 2, or None when the map has themes and challenges."""
    karta = ws.karta.model
    if not karta.themes:
        return message("wf_next_themes")
    if not karta.challenges:
        return message("wf_next_challenges")
    return None


def status_notes(ws: Workspace) -> list[StatusNote]:
    """Notes for ``studsa status``: challenges with no evidence behind them."""
    karta = ws.karta.model
    bare = [c.id for c in karta.challenges if not c.sources and c.out_of_scope is None]
    if not karta.challenges or not bare:
        return []
    shown = ", ".join(bare[:5]) + (", …" if len(bare) > 5 else "")
    return [StatusNote("info", count("wf_note_no_source", len(bare), ids=shown), "identify")]
