"""A real ``studsa workshop serve`` in a child process on 127.0.0.1, for the workshop's
browser, crash and load tests (and benchmarks/workshop_load.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
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
