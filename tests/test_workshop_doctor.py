"""``studsa workshop doctor``: the addresses, the fallbacks, and the self-test page."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from urllib.request import Request, urlopen

import pytest

from studsa.i18n import labels
from studsa.workshop.net import lan_addresses

FALLBACKS = ("ws_doctor_laptop", "ws_doctor_phone", "ws_doctor_firewall", "ws_doctor_paper")


def test_doctor_lists_the_addresses_and_explains_the_fallbacks(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--lang", "sv", "workshop", "doctor", "--port", "8800")
    assert result.exit_code == 0, result.stderr
    t = labels("sv")
    found = lan_addresses()
    for interface, address in found:
        assert f"http://{address}:8800/" in result.stdout and interface in result.stdout
    if not found:
        assert t["ws_doctor_no_address"] in result.stdout
    assert t["ws_doctor_how"] in result.stdout
    for key in ("ws_doctor_fallbacks", *FALLBACKS):
        assert t[key] in result.stdout, key
    assert "klientisolering" in result.stdout and "nmcli device wifi hotspot" in result.stdout


def test_doctor_speaks_english_too(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("workshop", "doctor", "--loopback-only")
    assert result.exit_code == 0, result.stderr
    assert "http://" not in result.stdout
    assert "client isolation" in result.stdout and "Enter a paper ballot" in result.stdout


def test_the_self_test_page_reports_every_visit() -> None:
    pytest.importorskip("uvicorn")
    env = {**os.environ, "STUDSA_LANG": "sv", "PYTHONUNBUFFERED": "1", "NO_COLOR": "1",
           "COLUMNS": "200"}
    process = subprocess.Popen(
        [sys.executable, "-m", "studsa", "workshop", "doctor", "--serve", "--loopback-only",
         "--port", "0", "--minutes", "0.1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    url = None
    deadline = time.monotonic() + 20
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("öppna på mobilen"):
            url = line.rsplit(" ", 1)[1].strip()
    try:
        assert url is not None and url.startswith("http://127.0.0.1:")
        with urlopen(url, timeout=5) as answer:
            page = answer.read().decode("utf-8")
        assert "Självtest för workshoppen" in page and 'method="post"' in page
        with urlopen(Request(url, data=b"", method="POST"), timeout=5) as answer:
            assert "Mottaget" in answer.read().decode("utf-8")
        _out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "127.0.0.1 öppnade testsidan (den här datorn själv" in err
    assert "127.0.0.1 skickade ett test" in err
