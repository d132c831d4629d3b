"""The Starlette application: pages, ballots by POST, the event stream, the static files.

Thin: every rule lives in ``Session``; every change goes through ``Hub.act``. Links hold a
token (a seat's, the facilitator's, the projector's); every POST carries that token's CSRF
guard and, when the browser sends one, an Origin of this server; a request for any other
Host than the server's own addresses is refused (DNS rebinding).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from studsa.errors import StudsaError
from studsa.workshop.hub import Hub
from studsa.workshop.pages import ASSETS, Pages
from studsa.workshop.session import Session

STATIC = {"workshop.css": "text/css", "workshop.js": "text/javascript"}
HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; script-src 'self'; "
                                "connect-src 'self'; img-src 'self' data:; form-action 'self'; "
                                "frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
PING_SECONDS = 15.0


class HostGuard:
    """Refuses requests whose Host header is not one of the server's own addresses."""

    def __init__(self, app: ASGIApp, hosts: set[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
            if host not in self.hosts:
                await PlainTextResponse("unknown host", status_code=421)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=HEADERS)


class Form:
    """A posted form (``application/x-www-form-urlencoded``, at most ``MAX_FORM`` bytes)."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self.items = items
        self.first = dict(reversed(items))

    def get(self, name: str, default: str = "") -> str:
        """The first value of ``name``."""
        return self.first.get(name, default)

    def values(self) -> dict[str, str]:
        """The ``v:CRITERION`` fields, by criterion."""
        return {k[2:]: v for k, v in self.items if k.startswith("v:")}


MAX_FORM = 64 * 1024


async def _form(request: Request) -> Form:
    from urllib.parse import parse_qsl

    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return Form([])
    try:
        return Form(parse_qsl(body.decode("utf-8"), max_num_fields=1000))
    except (UnicodeDecodeError, ValueError):
        return Form([])


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


class Routes:
    """The request handlers of one session."""

    def __init__(self, hub: Hub, language: str, hosts: set[str]) -> None:
        self.hub = hub
        self.pages = Pages(hub, language)
        self.t = self.pages.t
        self.origins = {f"http://{h}" for h in hosts}

    def refused(self, request: Request, token: str, form: Form) -> bool:
        """Whether a POST lacks its token's guard or comes from another origin."""
        origin = request.headers.get("origin")
        if origin is not None and origin not in self.origins:
            return True
        return not self.hub.keys.csrf_ok(token, form.get("csrf"))

    def not_found(self) -> HTMLResponse:
        """The page for a link that is not this session's."""
        return _html(self.pages.notice(self.t["ws_not_found_title"], self.t["ws_not_found"]), 404)

    async def ballot(self, request: Request) -> Response:
        token = request.path_params["token"]
        self.hub.touch()
        seat = self.hub.session.seat_for(token)
        if seat is None:
            return self.not_found()
        if request.method == "GET":
            self.hub.act(lambda s: s.joined.add(seat.id))
            return _html(self.pages.ballot(seat, token))
        form = await _form(request)
        if self.refused(request, token, form):
            return _html(self.pages.notice(self.t["ws_refused_title"], self.t["ws_refused"]), 403)
        challenge = form.get("challenge")
        raw = form.values()
        try:
            self.hub.act(lambda s: s.cast(seat.id, challenge, raw))
        except StudsaError as err:
            if _wants_json(request):
                return JSONResponse({"ok": False, "error": err.message}, 409, headers=HEADERS)
            return _html(self.pages.ballot(seat, token, error=err.message), 409)
        if _wants_json(request):
            return JSONResponse({"ok": True, "challenge": challenge}, headers=HEADERS)
        return RedirectResponse(f"/b/{token}#saved-{challenge}", 303, headers=HEADERS)

    async def facilitator(self, request: Request) -> Response:
        token = request.path_params["token"]
        self.hub.touch()
        if not self.hub.session.is_facilitator(token):
            return self.not_found()
        if request.method == "GET":
            return _html(self.pages.facilitator(token))
        form = await _form(request)
        if self.refused(request, token, form):
            return _html(self.pages.notice(self.t["ws_refused_title"], self.t["ws_refused"]), 403)
        try:
            _facilitate(self.hub, form)
        except StudsaError as err:
            return _html(self.pages.facilitator(token, error=err.message), 409)
        return RedirectResponse(f"/f/{token}", 303, headers=HEADERS)

    async def projector(self, request: Request) -> Response:
        self.hub.touch()
        if request.path_params["token"] != self.hub.projector_token:
            return self.not_found()
        return _html(self.pages.projector(request.path_params["token"]))

    async def sheet(self, request: Request) -> Response:
        token = request.path_params["token"]
        if not self.hub.session.is_facilitator(token):
            return self.not_found()
        from studsa.workshop.qr import qr_svg

        links = [(seat, f"{self.hub.address}/b/{self.hub.keys.seat_token(seat.id)}",
                  qr_svg(f"{self.hub.address}/b/{self.hub.keys.seat_token(seat.id)}"))
                 for seat in self.hub.session.record.seats]
        join = f"{self.hub.address}/join"
        return _html(self.pages.sheet(token, links, (join, qr_svg(join))))

    async def join(self, request: Request) -> Response:
        self.hub.touch()
        if request.method == "GET":
            return _html(self.pages.join())
        form = await _form(request)
        origin = request.headers.get("origin")
        if (origin is not None and origin not in self.origins) or (
                form.get("code").strip() != self.hub.keys.room_code):
            return _html(self.pages.join(error=self.t["ws_err_code"]), 403)
        try:
            seat = self.hub.act(lambda s: s.add_guest(form.get("name")))
        except StudsaError as err:
            return _html(self.pages.join(error=err.message), 409)
        return RedirectResponse(f"/b/{self.hub.keys.seat_token(seat.id)}", 303, headers=HEADERS)

    async def events(self, request: Request) -> Response:
        token = request.path_params["token"]
        seat = self.hub.session.seat_for(token)
        if self.hub.session.is_facilitator(token):
            role = "facilitator"
        elif token == self.hub.projector_token:
            role = "projector"
        elif seat is not None:
            role = "seat"
        else:
            return self.not_found()
        self.hub.touch()
        return StreamingResponse(_stream(self.hub, role, request), media_type="text/event-stream",
                                 headers={**HEADERS, "X-Accel-Buffering": "no"})

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", 404)
        return FileResponse(ASSETS / name, media_type=STATIC[name],
                            headers={"X-Content-Type-Options": "nosniff"})

    async def home(self, request: Request) -> Response:
        return RedirectResponse("/join", 303)

def create_app(hub: Hub, language: str, hosts: set[str]) -> ASGIApp:
    """The ASGI app of one session (``hosts``: the ``host:port`` values accepted)."""
    r = Routes(hub, language, hosts)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        hub.loop = asyncio.get_running_loop()
        yield
        hub.stop.set()

    app = Starlette(routes=[
        Route("/", r.home),
        Route("/b/{token}", r.ballot, methods=["GET", "POST"]),
        Route("/f/{token}", r.facilitator, methods=["GET", "POST"]),
        Route("/f/{token}/sheet", r.sheet),
        Route("/p/{token}", r.projector),
        Route("/join", r.join, methods=["GET", "POST"]),
        Route("/events/{token}", r.events),
        Route("/static/{name}", r.static),
    ], lifespan=lifespan)
    return HostGuard(app, hosts)


def _facilitate(hub: Hub, fields: Form) -> None:
    action = fields.get("action", "")
    if action == "close":
        hub.close_round()
    elif action == "next":
        shown = hub.revealed
        hub.act(lambda s: s.next_round(list(shown.disputed) if shown else []))
    elif action == "finish":
        hub.act(lambda s: s.finish())
    elif action == "current":
        hub.act(lambda s: s.set_current(fields.get("item") or None))
    elif action == "timer":
        minutes = fields.get("minutes", "").strip().replace(",", ".")
        value = None
        if minutes:
            try:
                value = float(minutes)
            except ValueError:
                value = -1.0
        hub.act(lambda s: s.set_timer(value))
    elif action == "paper":
        seat, challenge = fields.get("seat", ""), fields.get("challenge", "")
        hub.act(lambda s: s.cast(seat, challenge, fields.values(), paper=True))
    else:
        from studsa.workshop.session import BallotError

        raise BallotError(f"unknown action {action!r}")


async def _stream(hub: Hub, role: str, request: Request) -> AsyncIterator[str]:
    queue: asyncio.Queue[None] = asyncio.Queue(maxsize=1)
    hub.listeners.add(queue)
    sent = -1
    try:
        yield "retry: 2000\n\n"
        while not hub.stop.is_set():
            if hub.version != sent:
                sent = hub.version
                yield f"id: {sent}\nevent: state\ndata: {json.dumps(hub.snapshot(role))}\n\n"
            try:
                await asyncio.wait_for(queue.get(), timeout=PING_SECONDS)
            except TimeoutError:
                if await request.is_disconnected():
                    break
                yield ": ping\n\n"
    finally:
        hub.listeners.discard(queue)


__all__ = ["Session", "create_app"]
