"""A throwaway Redis server on loopback, for tests that need the shared rate-limit store
(Debian's redis-server; the Makefile installs it). Runs as ``nobody`` when the tests run
as root, keeps nothing on disk, and is stopped and removed afterwards."""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time

import pytest
import redis

from tests.support.ports import free_port


class RedisServer:
    def __init__(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not os.path.exists(binary):
            raise RuntimeError("redis-server was not found; install redis-server (see Makefile)")
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="fairpanel-redis-")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", self.folder, "--protected-mode", "yes"]
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(self.folder, nobody.pw_uid, nobody.pw_gid)
            command = ["runuser", "-u", "nobody", "--", *command]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._wait()

    def _wait(self) -> None:
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 15
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def redis_url():
    """The address of a Redis of this test's own."""
    server = RedisServer()
    yield server.url
    server.stop()


@pytest.fixture
def dead_redis_url():
    """A Redis address where nothing listens: a Redis that is down."""
    return f"redis://127.0.0.1:{free_port()}/0"
