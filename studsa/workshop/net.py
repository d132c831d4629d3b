"""The laptop's addresses on the local network, found without sending anything."""

from __future__ import annotations

import ipaddress
import socket
import struct
import sys

_SIOCGIFADDR = 0x8915


def _linux_addresses() -> list[tuple[str, str]]:
    import fcntl

    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _index, name in socket.if_nameindex():
            request = struct.pack("256s", name.encode("utf-8")[:15])
            try:
                answer = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR, request)
            except OSError:
                continue  # no IPv4 address on this interface
            found.append((name, socket.inet_ntoa(answer[20:24])))
    return found


def _resolver_addresses() -> list[tuple[str, str]]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [("", str(info[4][0])) for info in infos]


def lan_addresses() -> list[tuple[str, str]]:
    """(interface, IPv4 address) of every private-network address of this machine."""
    candidates = _linux_addresses() if sys.platform.startswith("linux") else []
    candidates = candidates or _resolver_addresses()
    seen: set[str] = set()
    found = []
    for name, address in candidates:
        ip = ipaddress.ip_address(address)
        if ip.is_loopback or ip.is_link_local or not ip.is_private or address in seen:
            continue
        seen.add(address)
        found.append((name, address))
    return found
