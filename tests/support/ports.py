"""Loopback ports for the servers tests start (PostgreSQL, Redis, gunicorn, SMTP).

The port is chosen, checked free, then handed to a server that binds it a moment later.
Asking the kernel for port 0 would pick from its ephemeral range, where any outgoing
connection (a test client, Chromium, psycopg; on parallel workers many at once) may take
the same port in that moment. So ports come from below the ephemeral range, each pytest-xdist
worker from its own slice, from a random place in it (another test run on the same machine
starts elsewhere), and a process hands out every port of its slice before any again.
"""
from __future__ import annotations

import itertools
import os
import random
import socket

LOWEST = 10_000


def _ephemeral_start() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as ranges:
            return int(ranges.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768  # Linux's default


def _worker() -> tuple[int, int]:
    """(index, count) of this pytest-xdist worker; (0, 1) without xdist."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(name[2:]) if name.startswith("gw") and name[2:].isdigit() else 0
    return index % count, count


def _candidates():
    index, count = _worker()
    size = (_ephemeral_start() - LOWEST) // count
    if size < 100:  # an unusual ephemeral range: let the kernel choose
        return None
    first = LOWEST + index * size
    start = random.SystemRandom().randrange(size)
    return itertools.cycle([first + (start + n) % size for n in range(size)])


_ports = None  # made on first use: xdist names the worker before tests run


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A loopback port nothing uses now, for a server about to be started."""
    global _ports
    if _ports is None:
        _ports = _candidates() or iter(())
    for port in itertools.islice(_ports, 1000):
        if _is_free(port):
            return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
