"""Serving a session: bind the loopback and LAN addresses only, stop by itself.

uvicorn serves the Starlette app on sockets bound here (so the server never listens on
0.0.0.0); a watcher thread stops it when the session is finished or nothing has been
asked for ``idle_seconds``.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from studsa.errors import UsageError
from studsa.i18n import message
from studsa.workshop.hub import Hub

FINISHED_GRACE_SECONDS = 5.0


@dataclass(frozen=True)
class Bound:
    """The sockets the server listens on, and the Host values it accepts."""

    sockets: list[socket.socket]
    port: int
    hosts: set[str]


def bind(addresses: list[str], port: int) -> Bound:
    """Listen on ``port`` (0: any free one) of every address; the first decides the port."""
    sockets: list[socket.socket] = []
    try:
        for address in addresses:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((address, port))
            sock.listen(128)
            port = sock.getsockname()[1]
    except OSError as err:
        for sock in sockets:
            sock.close()
        raise UsageError(message("ws_err_bind", port=port, reason=err.strerror or str(err))
                         ) from None
    hosts = {f"{a}:{port}" for a in addresses} | {f"localhost:{port}"}
    return Bound(sockets, port, hosts)


def _watch(hub: Hub, server: object) -> None:
    finished_at: float | None = None
    while not getattr(server, "should_exit", False) and not hub.stop.is_set():
        time.sleep(0.25)
        now = time.monotonic()
        if hub.session.phase == "finished":
            finished_at = finished_at or now
            if now - finished_at >= FINISHED_GRACE_SECONDS:
                break
        elif now - hub.last_activity >= hub.idle_seconds:
            break
    hub.stop.set()
    hub.notify()
    server.should_exit = True  # type: ignore[attr-defined]


def serve(hub: Hub, language: str, bound: Bound,
          started: Callable[[], None] | None = None) -> None:
    """Serve until the session is finished, the idle time has passed, or Ctrl-C."""
    import uvicorn

    from studsa.workshop.app import create_app

    app = create_app(hub, language, bound.hosts)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=2, server_header=False)
    server = uvicorn.Server(config)
    watcher = threading.Thread(target=_watch, args=(hub, server), daemon=True)
    watcher.start()
    if started is not None:
        started()
    try:
        server.run(sockets=bound.sockets)
    finally:
        hub.stop.set()
        hub.notify()
        for sock in bound.sockets:
            sock.close()
