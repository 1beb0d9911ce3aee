"""Flat-out throughput with wrk: a panellist's question page and the JSON save beside a
bare Flask app on the same gunicorn settings, and beside the signed-in floor, same run.

Runs one server at a time (the machine has 2 cores), each with ``--workers`` sync
workers and ``-c python:panel.gunicorn_conf``:

1. **bare Flask**: benchmarks/load/bare.py, one route returning ``"ok"``;
2. **ceiling**: FairPanel's ``/healthz`` without a session (``SELECT 1``, Redis ``PING``);
3. **signed-in floor**: ``/healthz`` with a panellist's session cookie: the session read
   and the person loaded, nothing else;
4. **question page**: ``GET /my-rounds/load/<ref>/question/1``;
5. **save (JSON)**: ``POST .../save`` as scoring.js sends it, the score alternating so
   every save writes; a Lua script carries the cookie and the CSRF header and follows
   the sheet's version from each answer.

wrk runs ``--connections`` threads with one connection each, each thread a different
signed-in panellist (so saves never race on one sheet). Non-2xx answers and socket
errors are counted as errors. Prints requests/s, wrk's own CPU, the load average beside
each figure and the ratios against issue 17's targets (≥ 10 % / ≥ 8 % of bare Flask;
≥ 75 % / ≥ 60 % of the signed-in floor). Never asserts.

    .venv/bin/python benchmarks/load/wrk.py [--seconds 20] [--workers 4] [--connections 8]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import CSRF, META_CSRF, ROOT, Client, prepare, server_env

from tests.support.pgcluster import PgCluster
from tests.support.ports import free_port
from tests.support.redis_server import RedisServer

WRK = "/usr/bin/wrk"
LUA = """
local sessions = %(sessions)s
local mode = "%(mode)s"
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  s = sessions[(id - 1) %% #sessions + 1]
  n = 0
  version = s.version
end

function request()
  n = n + 1
  if mode == "save" then
    local body = '{"version": ' .. version .. ', "scores": {"c0": "' .. (1 + n %% 5) .. '"}}'
    return wrk.format("POST", s.base .. "/save", {["Cookie"] = s.cookie,
      ["Content-Type"] = "application/json", ["X-CSRFToken"] = s.csrf}, body)
  elseif mode == "question" then
    return wrk.format("GET", s.base .. "/question/1", {["Cookie"] = s.cookie})
  elseif mode == "floor" then
    return wrk.format("GET", "/healthz", {["Cookie"] = s.cookie})
  end
  return wrk.format("GET", wrk.path)
end

if mode == "save" then
  function response(status, headers, body)
    local v = body:match('"version":%%s*(%%d+)')
    if v then version = tonumber(v) end
  end
end
"""


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def serve(app: str, workers: int, env: dict, extra: list[str]):
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:panel.gunicorn_conf",
         "--workers", str(workers), "--bind", f"127.0.0.1:{port}", *extra, app],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(150):
        try:
            Client(port).call("GET", "/healthz")
            return server, port
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{app} did not start")


def signed_in(port: int, pairs) -> list[dict]:
    """Each (token, reference) signed in; their cookie, CSRF token and sheet version."""
    sessions = []
    for token, reference in pairs:
        client = Client(port)
        _, page = client.call("GET", f"/sign-in/link/{token}")
        status, _ = client.call("POST", f"/sign-in/link/{token}",
                                f"csrf_token={CSRF.search(page).group(1)}",
                                {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, status
        base = f"/my-rounds/load/{reference}"
        _, page = client.call("GET", f"{base}/question/1")
        version = re.search(r'name="version"[^>]*value="(\d+)"', page)
        sessions.append({"cookie": client.cookie, "base": base,
                         "csrf": (META_CSRF.search(page) or CSRF.search(page)).group(1),
                         "version": int(version.group(1)) if version else 0})
    return sessions


def lua_table(sessions: list[dict]) -> str:
    return "{" + ", ".join(
        "{" + ", ".join(f"{k} = {json.dumps(v)}" for k, v in s.items()) + "}"
        for s in sessions) + "}"


def wrk(port: int, mode: str, sessions, seconds: float, connections: int, folder: str,
        path: str = "/healthz") -> dict:
    script = Path(folder) / f"{mode}.lua"
    script.write_text(LUA % {"sessions": lua_table(sessions), "mode": mode})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    out = subprocess.run(
        [WRK, "-t", str(connections), "-c", str(connections), "-d", f"{seconds:.0f}s",
         "--latency", "-s", str(script), f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True).stdout
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / elapsed
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, socket.groups())) if socket else 0)
    p50 = re.search(r"50%\s+([\d.]+\w+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return {"rate": rate, "errors": errors, "cpu": cpu, "p50": p50, "p99": p99, "load": load()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="length of each wrk run")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warm-up", type=float, default=3, help="seconds per server, not shown")
    args = parser.parse_args()
    if not os.access(WRK, os.X_OK):
        raise SystemExit(f"{WRK} is not installed: run `make benchmark-tools` (Debian's wrk)")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores "
          f"shared by server, PostgreSQL and wrk; gunicorn {args.workers} sync workers; wrk "
          f"{args.connections} threads × 1 connection, {args.seconds:.0f} s per run; "
          f"load average {load()}")
    cluster = PgCluster().start()
    redis_server = RedisServer()
    results: dict[str, dict] = {}
    try:
        url = cluster.url()
        _, runs = prepare(url, args.connections, runs=1)
        env = server_env(url, redis_server.url)
        with tempfile.TemporaryDirectory() as folder:
            server, port = serve("bare:app", args.workers, env, ["--chdir", str(HERE)])
            try:
                wrk(port, "bare", [{}], args.warm_up, args.connections, folder, "/")
                results["bare Flask, one route"] = wrk(
                    port, "bare", [{}], args.seconds, args.connections, folder, "/")
            finally:
                server.terminate()
                server.wait(timeout=30)
            server, port = serve("wsgi:app", args.workers, env, [])
            try:
                sessions = signed_in(port, runs[0])
                for mode in ("question", "save"):  # templates compiled, statements cached
                    wrk(port, mode, sessions, args.warm_up, args.connections, folder)
                time.sleep(1)  # a save wrk left in flight at its end is committed first
                sessions = _versions(port, sessions)
                for name, mode in (("ceiling, /healthz", "ceiling"),
                                   ("signed-in floor, /healthz with a session", "floor"),
                                   ("question page", "question"), ("save (JSON)", "save")):
                    results[name] = wrk(port, mode, [{}] if mode == "ceiling" else sessions,
                                        args.seconds, args.connections, folder)
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        redis_server.stop()
        cluster.stop()
    print(f"\n  {'run':<44}{'requests/s':>11}{'errors':>8}{'p50':>10}{'p99':>10}"
          f"{'wrk CPU':>9}  load average")
    for name, r in results.items():
        print(f"  {name:<44}{r['rate']:>11,.0f}{r['errors']:>8}{r['p50']:>10}{r['p99']:>10}"
              f"{r['cpu']:>9.0%}  {r['load']}")
    bare = results["bare Flask, one route"]["rate"]
    floor = results["signed-in floor, /healthz with a session"]["rate"]
    print(f"\n  signed-in floor = {floor / bare:.1%} of bare Flask")
    for name, of_bare, of_floor in (("question page", 0.10, 0.75), ("save (JSON)", 0.08, 0.60)):
        rate = results[name]["rate"]
        print(f"  {name:<14} {rate / bare:6.1%} of bare Flask (target ≥ {of_bare:.0%}: "
              f"{'met' if rate / bare >= of_bare else 'NOT met'}), {rate / floor:6.1%} of the "
              f"signed-in floor (target ≥ {of_floor:.0%}: "
              f"{'met' if rate / floor >= of_floor else 'NOT met'})")
    print(f"\nend {time.strftime('%H:%M UTC', time.gmtime())}; load average {load()}")


def _versions(port: int, sessions: list[dict]) -> list[dict]:
    """Each sheet's version as the question page shows it now (after the warm-up saves)."""
    for s in sessions:
        client = Client(port)
        client.cookie = s["cookie"]
        _, page = client.call("GET", f"{s['base']}/question/1")
        found = re.search(r'name="version"[^>]*value="(\d+)"', page)
        s["version"] = int(found.group(1)) if found else 0
    return sessions


if __name__ == "__main__":
    main()
