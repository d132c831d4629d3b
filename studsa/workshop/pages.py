"""The workshop's HTML pages, from the Jinja templates shipped beside this module.

Every word comes from the catalog (``workshop.json``) in the project's language. The pages
work without JavaScript (forms post and redirect); the small script only adds live updates.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from studsa.i18n import labels
from studsa.models.workshop import Seat
from studsa.workshop.hub import Hub
from studsa.workshop.reveal import Reveal
from studsa.workshop.session import Cell

ASSETS = Path(__file__).resolve().parent / "assets"


class Pages:
    """Renders the pages of one session."""

    def __init__(self, hub: Hub, language: str) -> None:
        self.hub = hub
        self.language = language
        self.t = labels(language)

    @cached_property
    def env(self) -> jinja2.Environment:
        """The template environment (autoescaped, undefined names are errors)."""
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(ASSETS), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True,
                                 lstrip_blocks=True)
        env.filters["fill"] = lambda text, **values: text.format(**values)
        return env

    def _render(self, name: str, **context: Any) -> str:
        session = self.hub.session
        base = {"t": self.t, "lang": self.language, "session": session,
                "phase": session.phase, "round": session.round, "mode": session.record.mode}
        return self.env.get_template(name).render(**base, **context)

    def _value_label(self, scale: str, value: int) -> str:
        if scale == "yes-no":
            return self.t["ws_yes"] if value else self.t["ws_no"]
        return str(value)

    def _options(self, scale: str) -> list[tuple[str, str]]:
        if scale == "yes-no":
            return [("ja", self.t["ws_yes"]), ("nej", self.t["ws_no"])]
        low, high = (0, 3) if scale == "0-3" else (1, 5)
        return [(str(v), str(v)) for v in range(low, high + 1)]

    def _groups(self, cells: list[Cell]) -> list[dict[str, Any]]:
        session = self.hub.session
        groups: dict[str, list[Any]] = {}
        for challenge, criterion in cells:
            groups.setdefault(challenge, []).append(session.criteria[criterion])
        return [{"id": c, "title": session.titles[c],
                 "criteria": [{"c": k, "options": self._options(k.scale)} for k in ks]}
                for c, ks in groups.items()]

    def _current_title(self) -> str | None:
        session = self.hub.session
        current = session.round.current
        if current is None:
            return None
        if session.record.pacing == "challenge":
            return session.titles.get(current, current)
        return session.criteria[current].title if current in session.criteria else current

    def reveal_view(self, shown: Reveal | None) -> dict[str, Any] | None:
        """The reveal as the templates show it (no names)."""
        if shown is None:
            return None
        session = self.hub.session
        rows: dict[str, dict[str, Any]] = {}
        for cell in shown.cells:
            crit = session.criteria[cell.criterion]
            parts = [f"{n} {self._value_label(crit.scale, v)}" for v, n in cell.counts if n]
            row = rows.setdefault(cell.challenge, {"title": session.titles[cell.challenge],
                                                   "cells": {}})
            row["cells"][cell.criterion] = {"text": " / ".join(parts) or "–",
                                            "disputed": cell.disputed}
        criteria = [k for k in session.plan.criteria
                    if any(cell.criterion == k.id for cell in shown.cells)]
        flips = [{"challenge": session.titles[f.challenge],
                  "criterion": session.criteria[f.criterion].title,
                  "old": self._value_label(session.criteria[f.criterion].scale, int(f.old)),
                  "new": self._value_label(session.criteria[f.criterion].scale, int(f.new))}
                 for f in shown.flips]
        changes = [{"n": c.changed, "criterion": session.criteria[c.criterion].title,
                    "challenge": session.titles[c.challenge]} for c in shown.changes]
        return {"shown": shown, "rows": rows, "criteria": criteria, "flips": flips,
                "changes": changes, "disputed": len(shown.disputed)}

    def ballot(self, seat: Seat, token: str, error: str | None = None) -> str:
        """A rater's ballot (or, once the round is closed, the reveal)."""
        session = self.hub.session
        own = {(c, k): v for (s, c, k), v in session.values().items() if s == seat.id}
        mine = {f"{c}/{k}": ("ja" if v is True else "nej" if v is False else str(v))
                for (c, k), v in own.items()}
        done = {c for c, _ in own}
        return self._render("ballot.html", seat=seat, token=token,
                            csrf=self.hub.keys.csrf(token), error=error,
                            groups=self._groups(session.ballot_cells()), mine=mine, done=done,
                            current_title=self._current_title(),
                            reveal=self.reveal_view(self.hub.revealed))

    def facilitator(self, token: str, error: str | None = None) -> str:
        """The facilitator's page: who joined and voted (never what), pacing, timer, close."""
        session = self.hub.session
        voted = session.voted()
        people = [{"seat": s, "name": session.names.get(s.id), "joined": s.id in session.joined,
                   "rated": voted.get(s.id, 0)} for s in session.record.seats]
        items = [(i, session.titles.get(i) or session.criteria[i].title) for i in session.items()]
        return self._render("facilitator.html", token=token, csrf=self.hub.keys.csrf(token),
                            error=error, people=people, items=items,
                            cells=len(session.round_cells()),
                            paper_groups=self._groups(session.round_cells()),
                            current_title=self._current_title(), hub=self.hub,
                            projector=self.hub.projector_token,
                            select_command=self._select_command(),
                            reveal=self.reveal_view(self.hub.revealed))

    def _select_command(self) -> str | None:
        shown = self.hub.revealed
        if self.hub.session.phase != "finished" or shown is None:
            return None
        from studsa.workshop.close import select_command

        return select_command(self.hub.session.files.stem, shown)

    def projector(self, token: str) -> str:
        """The projector's page: large type, no names."""
        session = self.hub.session
        voted = sum(1 for n in session.voted().values() if n)
        return self._render("projector.html", token=token, voted=voted,
                            seats=len(session.record.seats), hub=self.hub,
                            current_title=self._current_title(),
                            reveal=self.reveal_view(self.hub.revealed))

    def join(self, error: str | None = None) -> str:
        """The guests' page: the room code (and, in the named mode, a name)."""
        return self._render("join.html", error=error)

    def notice(self, title: str, text: str, status: int = 200) -> str:
        """A page that only says something."""
        return self._render("notice.html", title=title, text=text)

    def sheet(self, token: str, links: list[tuple[Seat, str, str]], guest: tuple[str, str]
              ) -> str:
        """The printable sheet: one QR code per seat, and the guests' code."""
        return self._render("sheet.html", token=token, links=links, guest=guest,
                            room=self.hub.keys.room_code)
