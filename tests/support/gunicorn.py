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


def command(port: int, *options: str) -> list[str]:
    # No control socket: its default path (~/.gunicorn/gunicorn.ctl) is one for every
    # gunicorn on the machine, so servers of parallel tests would take it from each other.
    return [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:panel.gunicorn_conf",
            *options,
            "--bind", f"127.0.0.1:{port}", "--no-control-socket", "wsgi:app"]


def environment(database_url: str, settings: dict[str, str]) -> dict[str, str]:
    """The development settings on the test's database, unless ``settings`` say otherwise."""
    return {**os.environ, "FAIRPANEL_CONFIG": "development", "DATABASE_URL": database_url,
            "MAIL_SERVER": "", **settings}


def refusal(database_url: str, *options: str, **settings: str) -> tuple[int, str]:
    """Start gunicorn expecting it to refuse: (exit status, what it wrote). Started from
    the project root with panel/gunicorn_conf.py, like production."""
    process = subprocess.Popen(command(free_port(), *options), cwd=ROOT,
                               env=environment(database_url, settings), text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        return -1, "gunicorn started instead of refusing:\n" + output
    return process.returncode, output


class Gunicorn:
    def __init__(self, database_url: str, workers: int = 1, *options: str,
                 output: Path | None = None, **settings: str) -> None:
        """``options`` go on gunicorn's command line; ``output``: a file that keeps what
        it writes (the access log, the app's log), else nothing is kept."""
        self.port = free_port()
        self.output = open(output, "w") if output else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            command(self.port, "--workers", str(workers), *options), cwd=ROOT,
            env=environment(database_url, settings), stdout=self.output,
            stderr=subprocess.STDOUT if output else subprocess.DEVNULL)
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
        if self.output is not subprocess.DEVNULL:
            self.output.close()
