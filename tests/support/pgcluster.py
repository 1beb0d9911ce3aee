"""A throwaway PostgreSQL cluster in a temp folder, for the test suite.

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to
the unprivileged ``postgres`` user (or ``nobody``). It listens on 127.0.0.1 only, on a
free port, with durability switched off (it is thrown away afterwards anyway).
"""
from __future__ import annotations

import atexit
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from tests.support.ports import free_port


def _bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for version in ("17", "16", "15"):
        candidate = Path(f"/usr/lib/postgresql/{version}/bin/{name}")
        if candidate.exists():
            return str(candidate)
    raise RuntimeError(f"PostgreSQL's {name} was not found; install postgresql (see Makefile)")


class PgCluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="fairpanel-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.owner = self._owner()
        self.started = False

    @staticmethod
    def _owner() -> str | None:
        if os.geteuid() != 0:
            return None
        for name in ("postgres", "nobody"):
            try:
                pwd.getpwnam(name)
                return name
            except KeyError:
                continue
        raise RuntimeError("No unprivileged user to run PostgreSQL as")

    def _run(self, *args: str) -> None:
        command = list(args)
        if self.owner:
            command = ["runuser", "-u", self.owner, "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       cwd=self.root)

    def start(self) -> "PgCluster":
        if self.owner:
            entry = pwd.getpwnam(self.owner)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "fairpanel", "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        self._pg_start()
        self.started = True
        self._stop_on_exit()
        self._wait()
        return self

    def _pg_start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "server.log"), "-w", "-t", "60", "start")

    def pause(self) -> None:
        """Stop the server as a restart would (connections dropped), keeping its data."""
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        self._pg_start()
        self._wait()

    def _stop_on_exit(self) -> None:
        """Stop the cluster however the test run ends: normally, on failure (the
        fixture's finaliser), at interpreter exit, or when CI sends SIGTERM or SIGHUP."""
        atexit.register(self.stop)
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in (signal.SIGTERM, signal.SIGHUP):
            previous = signal.getsignal(signum)

            def handler(number, frame, previous=previous):
                self.stop()
                if callable(previous):
                    previous(number, frame)
                else:
                    raise SystemExit(128 + number)

            signal.signal(signum, handler)

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start; see {self.root / 'server.log'}")

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://fairpanel@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.started:
            try:
                self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
            except subprocess.CalledProcessError:
                pass
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)
