"""A real ``gunicorn wsgi:app`` for tests that need separate worker processes (shared
rate limits, workers killed mid-request): loopback only, the development settings, the
test's database, and a tiny HTTP client that sends cookies by hand."""
from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.support.ports import free_port

ROOT = Path(__file__).resolve().parents[2]


class Gunicorn:
    def __init__(self, database_url: str, workers: int = 1, **settings: str) -> None:
        self.port = free_port()
        env = {**os.environ, "FAIRPANEL_CONFIG": "development", "DATABASE_URL": database_url,
               "MAIL_SERVER": "", **settings}
        # No control socket: its default path (~/.gunicorn/gunicorn.ctl) is one for every
        # gunicorn on the machine, so servers of parallel tests would take it from each other.
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "--no-control-socket", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            self.wait_until_up()
        except RuntimeError:
            self.stop()
            raise

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def workers(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True,
                               text=True).stdout.split()
        return [int(pid) for pid in found]

    def request(self, method: str, path: str, body: str = "", headers=None, cookie: str = ""):
        """(status, headers, text) of one request on a new connection."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = {**(headers or {}), **({"Cookie": cookie} if cookie else {})}
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            # The message object, not a dict: a response may set several cookies.
            return response.status, response.headers, response.read().decode()
        finally:
            connection.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
