"""A real ``studsa workshop serve`` in a child process on 127.0.0.1, for the workshop's
browser, crash and load tests (and benchmarks/workshop.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import urlopen

START_SECONDS = 30.0


@dataclass
class Server:
    """A running server and its links."""

    process: subprocess.Popen[str]
    facilitator: str
    projector: str
    base: str
    lines: list[str]
    reader: threading.Thread

    def seat_links(self) -> list[tuple[str, str]]:
        """(label, ballot URL) of every seat, read from the printable sheet."""
        with urlopen(f"{self.facilitator}/sheet", timeout=10) as answer:
            html = answer.read().decode("utf-8")
        found = re.findall(r'<section class="card" aria-label="([^"]*)">.*?class="url">'
                           r'(http://[^<]*/b/[^<]*)<', html, flags=re.S)
        return [(label, url) for label, url in found]

    def stop(self, timeout: float = 15.0) -> int:
        """Wait for the server to stop by itself; terminate it after ``timeout``."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            return self.process.wait(10)
        finally:
            self.reader.join(5)
            if self.process.stdout is not None:
                self.process.stdout.close()


def start(root: Path, *args: str) -> Server:
    """Start ``studsa workshop serve`` on 127.0.0.1 (a free port) and wait for its links."""
    env = {**os.environ, "STUDSA_LANG": "sv", "PYTHONUNBUFFERED": "1", "NO_COLOR": "1",
           "COLUMNS": "200"}
    command = [sys.executable, "-m", "studsa", "workshop", "serve", "-p", str(root),
               "--loopback-only", "--port", "0", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env)
    assert process.stdout is not None
    lines: list[str] = []
    links: dict[str, str] = {}
    deadline = time.monotonic() + START_SECONDS
    while len(links) < 2 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        for key in ("samtalsledare", "projektor"):
            if line.startswith(f"{key}: "):
                links[key] = line.split(": ", 1)[1].strip()
    if len(links) < 2:
        process.kill()
        raise AssertionError("the server did not start:\n" + "".join(lines))
    facilitator = links["samtalsledare"]
    stdout = process.stdout
    # keep reading what the server prints, so its pipe never fills and blocks it
    reader = threading.Thread(target=lambda: lines.extend(iter(stdout.readline, "")),
                              daemon=True)
    reader.start()
    return Server(process, facilitator, links["projektor"], facilitator.split("/f/")[0],
                  lines, reader)


def csrf_of(url: str) -> str:
    """The CSRF guard in the page at ``url`` (a ballot or the facilitator's page)."""
    with urlopen(url, timeout=10) as answer:
        html = answer.read().decode("utf-8")
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, f"no CSRF guard in {url}"
    return found.group(1)


class Events:
    """An event stream read in a thread: every ``data:`` line parsed, as it arrives."""

    def __init__(self, url: str, timeout: float = 20.0) -> None:
        self.url = url
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self.raw: list[str] = []
        self.changed = threading.Condition()
        self.failed: BaseException | None = None
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        import httpx2 as httpx

        try:
            with httpx.stream("GET", self.url, timeout=self.timeout) as stream:
                for line in stream.iter_lines():
                    with self.changed:
                        self.raw.append(line)
                        if line.startswith("data: "):
                            self.events.append(json.loads(line[6:]))
                        self.changed.notify_all()
        except Exception as err:  # the server went away (killed or stopped)
            self.failed = err
        with self.changed:
            self.changed.notify_all()

    def wait(self, test: Callable[[dict[str, Any]], bool], seconds: float = 10.0
             ) -> dict[str, Any]:
        """The first event ``test`` accepts (waiting at most ``seconds``)."""
        deadline = time.monotonic() + seconds
        with self.changed:
            while True:
                for event in self.events:
                    if test(event):
                        return event
                left = deadline - time.monotonic()
                if left <= 0 or not self.thread.is_alive():
                    raise AssertionError(f"no such event from {self.url}; got {self.events}")
                self.changed.wait(left)
