"""The live session behind the pages: one lock, the reveal, and who listens for changes.

Everything that changes the session goes through ``Hub.act``: one change at a time, written
to disk before it is acknowledged, then every event stream is told. What a stream sends is
``snapshot(role)``: before a reveal it holds who joined and how many cells each seat has
rated, never a value; the reveal is added only once the round is closed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from studsa.workshop.keys import Keys
from studsa.workshop.reveal import Reveal, reveal
from studsa.workshop.session import Session

T = TypeVar("T")


class Hub:
    """The session, its reveal, and the queues of the open event streams."""

    def __init__(self, session: Session, *, address: str, idle_seconds: float) -> None:
        self.session = session
        self.address = address
        """The base URL phones use, ``http://192.168.1.20:8765``."""
        self.idle_seconds = idle_seconds
        self.lock = threading.Lock()
        self.listeners: set[asyncio.Queue[None]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.last_activity = time.monotonic()
        self.version = 0
        self.stop = threading.Event()
        self._reveal: Reveal | None = None
        if session.phase != "open":
            self._reveal = reveal(session)

    @property
    def keys(self) -> Keys:
        """The session's token keys."""
        return self.session.keys

    @property
    def projector_token(self) -> str:
        """The token of the projector's page (no names, no votes before the reveal)."""
        return self.keys.seat_token("\0projector")

    def touch(self) -> None:
        """Note activity (the idle timeout counts from the last request)."""
        self.last_activity = time.monotonic()

    def act(self, change: Callable[[Session], T]) -> T:
        """Apply one change to the session, then tell every stream."""
        with self.lock:
            result = change(self.session)
            session = self.session
            if session.phase == "open":
                self._reveal = None
            elif self._reveal is None or self._reveal.round != session.round.number:
                self._reveal = reveal(session)
            self.version += 1
        self.notify()
        return result

    def close_round(self) -> None:
        """Close the round now and compute its reveal."""
        def close(session: Session) -> None:
            shown = reveal(session)
            session.close_round(len(shown.disputed))
        self.act(close)

    @property
    def revealed(self) -> Reveal | None:
        """The reveal of the closed round (None while a round is open)."""
        return self._reveal

    def notify(self) -> None:
        """Wake every event stream (from any thread)."""
        loop = self.loop
        if loop is None:
            return
        for queue in list(self.listeners):
            loop.call_soon_threadsafe(_put, queue)

    def snapshot(self, role: str) -> dict[str, Any]:
        """What a stream of ``role`` (seat, facilitator, projector) may see now."""
        session = self.session
        rnd = session.round
        voted = session.voted()
        data: dict[str, Any] = {
            "version": self.version, "phase": session.phase, "round": rnd.number,
            "current": rnd.current,
            "deadline": rnd.deadline.isoformat() if rnd.deadline else None,
            "seats": len(session.record.seats), "joined": len(session.joined),
            "voted": sum(1 for n in voted.values() if n),
        }
        if role == "facilitator":
            data["people"] = [
                {"id": s.id, "joined": s.id in session.joined, "rated": voted.get(s.id, 0)}
                for s in session.record.seats]
        shown = self._reveal
        if shown is not None and session.phase != "open":
            data["reveal"] = shown.as_dict()
        return data


def _put(queue: asyncio.Queue[None]) -> None:
    if queue.empty():
        queue.put_nowait(None)
