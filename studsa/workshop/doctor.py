"""``studsa workshop doctor``: can the raters' phones reach this computer?

Lists the addresses a session would be served on and serves a self-test page: the
facilitator opens it on a phone on the venue's Wi-Fi; each request that reaches it is
reported in the terminal. When nothing arrives, the Wi-Fi isolates its clients and the
fallbacks (a hotspot of the laptop or of a phone, or paper ballots) are what is left.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from functools import cached_property
from typing import Any

import jinja2

from studsa.i18n import labels
from studsa.workshop.pages import ASSETS
from studsa.workshop.server import Bound

Report = Callable[[str, str], None]
"""Told (client address, what: ``opened`` or ``sent``) for each request that arrives."""


class SelfTest:
    """The self-test page's app: GET shows it, POST acknowledges the phone's test."""

    def __init__(self, language: str, address: str, report: Report) -> None:
        self.t = labels(language)
        self.language = language
        self.address = address
        self.report = report
        self.requests = 0

    @cached_property
    def env(self) -> jinja2.Environment:
        """The pages' template environment (autoescaped)."""
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(ASSETS), autoescape=True,
                                 undefined=jinja2.StrictUndefined, trim_blocks=True,
                                 lstrip_blocks=True)
        env.filters["fill"] = lambda text, **values: text.format(**values)
        return env

    def page(self, received: bool) -> str:
        """The self-test page (``received``: after the phone pressed the button)."""
        return self.env.get_template("doctor.html").render(
            t=self.t, lang=self.language, address=self.address, received=received)

    def app(self, hosts: set[str]) -> Any:
        """The ASGI app (Host-checked as the workshop's own)."""
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
        from starlette.routing import Route

        from studsa.workshop.app import HEADERS, STATIC, HostGuard

        async def home(request: Request) -> Response:
            client = request.client.host if request.client else "?"
            self.requests += 1
            self.report(client, "sent" if request.method == "POST" else "opened")
            return HTMLResponse(self.page(request.method == "POST"), headers=HEADERS)

        async def static(request: Request) -> Response:
            name = request.path_params["name"]
            if name not in STATIC:
                return PlainTextResponse("not found", 404)
            return FileResponse(ASSETS / name, media_type=STATIC[name])

        app = Starlette(routes=[Route("/", home, methods=["GET", "POST"]),
                                Route("/static/{name}", static)])
        return HostGuard(app, hosts)


def serve_self_test(test: SelfTest, bound: Bound, seconds: float,
                    started: Callable[[], None] | None = None) -> None:
    """Serve the self-test page until ``seconds`` have passed (or Ctrl-C)."""
    import uvicorn

    config = uvicorn.Config(test.app(bound.hosts), log_level="warning", access_log=False,
                            lifespan="off", timeout_graceful_shutdown=1, server_header=False)
    server = uvicorn.Server(config)
    deadline = time.monotonic() + seconds

    def watch() -> None:
        while not server.should_exit and time.monotonic() < deadline:
            time.sleep(0.1)
        server.should_exit = True

    threading.Thread(target=watch, daemon=True).start()
    if started is not None:
        started()
    try:
        server.run(sockets=bound.sockets)
    finally:
        for sock in bound.sockets:
            sock.close()


def clock() -> str:
    """The local time now, ``14:05:09``."""
    return dt.datetime.now().strftime("%H:%M:%S")
