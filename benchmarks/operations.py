"""The operations figures of issue 16's first paragraph, measured as a funder would meet
them, on SQLite and on PostgreSQL (a throwaway cluster, tests/support/pgcluster.py), with
a stand-in SMTP server on loopback (aiosmtpd) that takes ``--smtp-delay`` (0.15 s) to
accept each message:

1. **reminders**: the officer's request that queues reminders to ``--reminders`` (100)
   panellists — the request as the officer waits for it, then the time until the SMTP
   server has received every message, and how many SMTP connections they came over; the
   request alone for ``--many-reminders`` (2,000) panellists (their delivery only with
   ``--deliver-many``: at 0.15 s a message over one connection it takes 5 minutes by
   construction);
2. **panel import**: confirming an upload of ``--panel`` (500) new panellists through the
   browser routes — the request, then the time until the import has finished (its job's
   ``/jobs/<id>.json`` says finished; where the confirmation does not hand over to a job,
   the request is the whole of it);
3. **sign-in links**: ``--sign-ins`` (50) requests each for a known and an unknown
   address, interleaved in a shuffled order, queued work settled between requests and
   outside the timed part: mean, p95 and the difference;
4. **a save during a long import**: a panellist of another round saving an answer (the
   JSON call static/js/scoring.js makes) when idle and while ``--applications`` (5,000)
   applications are confirmed into a round being set up, beside ``/healthz`` measured
   the same way (what any request costs while the import runs, lock or no lock).

Each figure is printed beside a floor measured in the same run (``GET /healthz`` through
the same test client) and the machine's load average. The app runs in this process (the
``test`` configuration, jobs on the in-process worker) and talks to a real database and
the real SMTP server.

    .venv/bin/python benchmarks/operations.py [--databases sqlite postgresql]
        [--reminders 100] [--many-reminders 2000] [--panel 500] [--applications 5000]
        [--sign-ins 50] [--smtp-delay 0.15] [--checkout DIR]

``--checkout DIR`` runs the same measurements against another checkout of FairPanel
(e.g. a worktree of the commit before the background-jobs work): its ``panel`` and its
``tests`` helpers are imported, and its own migrations build the database. Prints
figures; never asserts."""
from __future__ import annotations

import argparse
import asyncio
import io
import logging
import math
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"https?://[^/\s]+(/sign-in/link/\S+)")
UPLOAD_TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"|'
                          r'type="hidden" name="token" value="([^"]+)"')
APPLICATIONS_HEADER = ("reference,title,lay_summary,requested_amount,applicant_name,"
                       "organisation,contact_email\n")


# --- The stand-in SMTP server -------------------------------------------------------------

class SlowMailbox:
    """aiosmtpd handler: keeps each message's recipients, text and SMTP session (one per
    connection, kept alive here so that no two share an id; a client address is not
    enough, as the system reuses ports), after waiting ``delay`` seconds in DATA as a
    distant server might."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.received: list[tuple[str, str, object]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        text = (envelope.original_content or envelope.content).decode("utf-8", "replace")
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient.lower(), text, session))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def since(self, start: int) -> list[tuple[str, str, object]]:
        with self.lock:
            return self.received[start:]

    def wait_for(self, start: int, expected: int, timeout: float) -> float | None:
        """Seconds until ``expected`` messages have arrived since ``start`` (None if they
        did not within ``timeout``), measured from now."""
        began = time.perf_counter()
        while time.perf_counter() - began < timeout:
            if self.count() - start >= expected:
                return time.perf_counter() - began
            time.sleep(0.01)
        return None

    def link_for(self, address: str, start: int, timeout: float = 60) -> str:
        began = time.perf_counter()
        while time.perf_counter() - began < timeout:
            for recipient, text, _ in reversed(self.since(start)):
                found = LINK.search(text.replace("=\r\n", "").replace("=\n", ""))
                if recipient == address and found:
                    return found.group(1)
            time.sleep(0.02)
        raise RuntimeError(f"No sign-in link reached {address}")


# --- Small helpers ------------------------------------------------------------------------

def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f} (5 min {five:.1f})"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def p95(times: list[float]) -> float:
    """The 95th percentile by nearest rank (of fewer than 20 samples: the largest)."""
    ordered = sorted(times)
    return ordered[math.ceil(len(ordered) * 0.95) - 1]


def summary(times: list[float]) -> str:
    if not times:
        return "no samples"
    return (f"mean {ms(statistics.fmean(times))}, median {ms(statistics.median(times))}, "
            f"p95 {ms(p95(times))}, max {ms(max(times))} (n={len(times)})")


def timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    answer = call()
    return time.perf_counter() - started, answer


class Bench:
    """One database's run: the app, its clients, the mailbox, the helpers of the
    checkout under test."""

    def __init__(self, url: str, mailbox: SlowMailbox, port: int, folder: str) -> None:
        from panel import create_app

        self.backend = url.split(":")[0].split("+")[0]
        self.mailbox = mailbox
        self.app = create_app("test", SQLALCHEMY_DATABASE_URI=url, MAIL_SERVER="127.0.0.1",
                              MAIL_PORT=port, MAIL_OUTBOX_DIR=f"{folder}/outbox")
        try:
            from tests.support.web import IsolatedClient
            self.app.test_client_class = IsolatedClient
        except ImportError:
            pass
        quiet()  # the app's and the SMTP server's log lines would bury the figures
        self.context = self.app.app_context()
        self.context.push()
        from flask_migrate import upgrade

        upgrade()
        self.floor_client = self.app.test_client()

    def say(self, text: str) -> None:
        print(f"[{self.backend}] {text}", flush=True)

    def floor(self, client=None, count: int = 30) -> list[float]:
        client = client or self.floor_client
        return [timed(lambda: client.get("/healthz"))[0] for _ in range(count)]

    def settle(self) -> None:
        """Run every queued job to its end (nothing to do where there is no job queue)."""
        try:
            from panel.jobs.queue import job_queue
        except ImportError:
            return
        job_queue(self.app).run_pending()

    def stop(self) -> None:
        from panel.extensions import db

        try:
            from panel.jobs.queue import job_queue
            job_queue(self.app).stop()
        except ImportError:
            pass
        db.session.remove()
        db.engine.dispose()
        self.context.pop()

    def officer(self):
        from tests.builders import people

        client = self.app.test_client()
        people.sign_in_staff(client, "officer@bench.example")
        return client

    def follow(self, client, response, timeout: float) -> tuple[float, str]:
        """Seconds until the job a response started (a redirect to /jobs/<id>) has
        finished, measured from now, and its state; (0, "in the request") without one."""
        location = response.headers.get("Location", "")
        if not location.startswith("/jobs/"):
            return 0.0, "in the request (no job page)"
        began = time.perf_counter()
        while time.perf_counter() - began < timeout:
            status = client.get(location + ".json").get_json()
            if status and status.get("finished"):
                return time.perf_counter() - began, status.get("state", "?")
            time.sleep(0.05)
        return time.perf_counter() - began, "still running at the timeout"


def quiet() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    for name in ("", "panel", "fairpanel", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)


def csrf(html: str) -> str:
    from tests.support.web import csrf_token

    return csrf_token(html)


# --- Building what is measured ------------------------------------------------------------

def panel_round(slug: str, size: int):
    """A round in scoring with ``size`` panellists (``slug``-0001@bench.example…), each
    assigned A1 with nothing scored, written in bulk (what tests/builders/large_panel.py
    does, repeated here so that an older checkout without it can run too)."""
    from sqlalchemy import insert, select

    from panel.accounts.models import User
    from panel.extensions import db, utcnow
    from panel.rounds import services as rounds
    from panel.rounds.models import Assignment, PanelMember
    from tests.builders import rounds as round_builders

    round_ = round_builders.draft_round(slug=slug, title=f"Round {slug}")
    (first,) = round_builders.applications(round_, 60)
    now = utcnow()
    columns = set(User.__table__.columns.keys())
    db.session.execute(insert(User), [
        {k: v for k, v in {"email": f"{slug}-{n:04}@bench.example", "name": f"Panellist {n}",
                           "active": True, "session_version": 1, "created_at": now}.items()
         if k in columns} for n in range(1, size + 1)])
    users = db.session.scalars(select(User.id).where(User.email.like(f"{slug}-%"))).all()
    group = next(g for g in round_.groups if g.key == "academic")
    db.session.execute(insert(PanelMember), [
        {"round_id": round_.id, "user_id": user_id, "group_id": group.id, "role": "panellist",
         "affiliations": [], "joined_at": now} for user_id in users])
    members = db.session.scalars(select(PanelMember.id).where(
        PanelMember.round_id == round_.id)).all()
    db.session.execute(insert(Assignment), [
        {"member_id": member_id, "application_id": first.id, "created_at": now}
        for member_id in members])
    rounds.change_phase(None, round_, "scoring", system="tests")
    db.session.commit()
    return round_


def upload(client, path: str, content: bytes, filename: str):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf(page),
                                   "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def confirm(client, preview_html: str, action: str):
    found = UPLOAD_TOKEN.search(preview_html)
    if not found:
        raise RuntimeError(f"The preview has no upload token: {preview_html[:2000]}")
    return client.post(action, data={"csrf_token": csrf(preview_html),
                                     "token": found.group(1) or found.group(2)})


# --- The measurements ---------------------------------------------------------------------

def reminders(bench: Bench, officer, size: int, deliver: bool, timeout: float) -> None:
    round_ = panel_round(f"remind{size}", size)
    token = csrf(officer.get(f"/rounds/{round_.slug}/").get_data(as_text=True))
    floor = bench.floor()
    start = bench.mailbox.count()
    took, response = timed(lambda: officer.post(f"/rounds/{round_.slug}/reminders",
                                                data={"csrf_token": token}))
    bench.say(f"reminders to {size:,}: request {took:.3f} s (status {response.status_code}); "
              f"floor GET /healthz median {ms(statistics.median(floor))}; {load()}")
    arrived = bench.mailbox.count() - start
    if not deliver:
        bench.say(f"  delivery not measured ({arrived} of {size} arrived by the end of the "
                  f"request); the rest is let through with no SMTP delay")
        delay, bench.mailbox.delay = bench.mailbox.delay, 0
        bench.mailbox.wait_for(start, size, timeout)
        bench.settle()
        bench.mailbox.delay = delay
        return
    after = bench.mailbox.wait_for(start, size, timeout)
    got = bench.mailbox.since(start)
    connections = len({id(session) for _, _, session in got})
    if after is None:
        bench.say(f"  delivery: only {len(got)} of {size} within {timeout:.0f} s")
    else:
        bench.say(f"  all {size:,} delivered {took + after:.1f} s after the click "
                  f"({after:.1f} s after the request returned) over {connections} SMTP "
                  f"connection(s); floor: the SMTP server's own delay, {size:,} × "
                  f"{bench.mailbox.delay * 1000:.0f} ms = {size * bench.mailbox.delay:.1f} s; "
                  f"{load()}")
    bench.settle()


def panel_import(bench: Bench, officer, size: int, applications: int, timeout: float) -> None:
    from tests.builders import rounds as round_builders

    round_ = round_builders.draft_round(slug="panel-import", title="Panel import")
    round_builders.applications(round_, *([1000] * applications))
    organisations = [f"Organisation {n} CIC" for n in range(1, applications + 1)]
    rng = random.Random(16)
    rows = "".join(
        f"newcomer{n:04}@bench.example,Newcomer {n},"
        f"{'academic' if n % 2 else 'lived_experience'},panellist,"
        f"{rng.choice(organisations)};Neighbourhood group {n % 37}\n"
        for n in range(1, size + 1))
    csv = ("email,name,group,role,affiliations\n" + rows).encode()
    path = f"/rounds/{round_.slug}/panel"
    preview_took, preview = timed(lambda: upload(officer, path, csv, "panel.csv"))
    html = preview.get_data(as_text=True)
    if f"Check {size:,} people" not in html and f"Check {size} people" not in html:
        bench.say(f"  the preview did not list {size} people: {html[:600]}")
    floor = bench.floor()
    start = bench.mailbox.count()
    took, response = timed(lambda: confirm(officer, html, f"{path}/confirm"))
    bench.say(f"confirming {size:,} new panellists (round of {applications} applications): "
              f"preview request {preview_took:.2f} s, confirm request {took:.2f} s "
              f"(status {response.status_code}); floor GET /healthz median "
              f"{ms(statistics.median(floor))}; {load()}")
    job_took, state = bench.follow(officer, response, timeout)
    if job_took:
        bench.say(f"  import finished (job {state}) {took + job_took:.1f} s after the click; "
                  f"{load()}")
    else:
        bench.say(f"  import done {state}: {took:.1f} s after the click")
    delay, bench.mailbox.delay = bench.mailbox.delay, 0  # the invitations: let them through
    bench.mailbox.wait_for(start, size, timeout)
    bench.settle()
    bench.mailbox.delay = delay


def sign_ins(bench: Bench, each: int) -> None:
    from tests.builders import people

    known, unknown = "known-person@bench.example", "nobody-here@bench.example"
    people.panellist(known, "Known Person")
    client = bench.app.test_client()
    token = csrf(client.get("/sign-in").get_data(as_text=True))
    order = [known] * each + [unknown] * each
    random.Random(16).shuffle(order)
    times: dict[str, list[float]] = {known: [], unknown: []}
    floor = []
    for email in order:
        took, response = timed(lambda email=email: client.post(
            "/sign-in", data={"csrf_token": token, "email": email}))
        if response.status_code != 302:
            bench.say(f"  sign-in link request answered {response.status_code}")
        times[email].append(took)
        bench.settle()
        floor.append(timed(lambda: client.get("/healthz"))[0])
    difference = statistics.fmean(times[known]) - statistics.fmean(times[unknown])
    bench.say(f"sign-in link request, known address: {summary(times[known])}")
    bench.say(f"sign-in link request, unknown address: {summary(times[unknown])}")
    bench.say(f"  difference of the means {ms(difference)}, of the medians "
              f"{ms(statistics.median(times[known]) - statistics.median(times[unknown]))}; "
              f"floor GET /healthz {summary(floor)}; {load()}")


def save_during_import(bench: Bench, officer, applications: int, timeout: float) -> None:
    from sqlalchemy import select

    from panel.extensions import db
    from panel.rounds.models import Assignment
    from tests.builders import rounds as round_builders
    from tests.support.web import submit

    saver_email = "saver@bench.example"
    round_ = round_builders.scoring_round(members=(saver_email,))
    slug = round_.slug
    for assignment in db.session.scalars(select(Assignment)):
        if assignment.member.user.email == saver_email:
            assignment.connection_answer = "none"
    db.session.commit()
    panellist = bench.app.test_client()
    start = bench.mailbox.count()
    submit(panellist, "/sign-in", {"email": saver_email})
    bench.settle()
    submit(panellist, bench.mailbox.link_for(saver_email, start))
    question = panellist.get(f"/my-rounds/{slug}/A1/question/1")
    headers = {"X-CSRFToken": csrf(question.get_data(as_text=True))}
    version = [0]

    def save(score: int):
        response = panellist.post(f"/my-rounds/{slug}/A1/save", headers=headers,
                                  json={"version": version[0], "scores": {"q": str(score)}})
        body = response.get_json(silent=True) or {}
        version[0] = body.get("version", version[0])
        return response

    def sample(keep_going, limit: int | None = None):
        saves, floors, statuses = [], [], {}
        n = 0
        while keep_going() and (limit is None or n < limit):
            took, response = timed(lambda n=n: save(1 + n % 5))
            saves.append(took)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            floors.append(timed(lambda: panellist.get("/healthz"))[0])
            n += 1
        return saves, floors, statuses

    saves, floors, statuses = sample(lambda: True, 40)
    bench.say(f"a panellist's save (JSON), idle: {summary(saves)}, answers {statuses}")
    bench.say(f"  floor GET /healthz, idle: {summary(floors)}; {load()}")

    target = round_builders.draft_round(slug="import-target", title="Import target")
    csv = (APPLICATIONS_HEADER + "".join(
        f'I{n},Project {n},"What project {n} will do.",{500 + n % 900},Applicant {n},'
        f"Organisation {n} CIC,applicant{n}@org{n}.example\n"
        for n in range(1, applications + 1))).encode()
    path = f"/rounds/{target.slug}/applications"
    preview_took, preview = timed(lambda: upload(officer, path, csv, "applications.csv"))
    html = preview.get_data(as_text=True)
    outcome: dict = {}

    def confirm_import():
        began = time.perf_counter()
        outcome["response"] = confirm(officer, html, f"{path}/confirm")
        outcome["request"] = time.perf_counter() - began

    started = time.perf_counter()
    thread = threading.Thread(target=confirm_import)
    thread.start()
    state = {"finished": False, "last_check": 0.0}

    def importing() -> bool:
        if thread.is_alive():
            return True
        location = outcome["response"].headers.get("Location", "")
        if not location.startswith("/jobs/"):
            return False
        now = time.perf_counter()
        if now - state["last_check"] > 0.2:
            state["last_check"] = now
            status = officer.get(location + ".json").get_json() or {}
            state["finished"] = bool(status.get("finished"))
            state["job"] = status.get("state")
        return not state["finished"] and now - started < timeout

    done = threading.Event()
    steady: list[float] = []  # /healthz every 0.1 s on a client of its own, lock or no lock

    def watch_floor():
        reader = bench.app.test_client()
        while not done.wait(0.1):
            steady.append(timed(lambda: reader.get("/healthz"))[0])

    floor_thread = threading.Thread(target=watch_floor)
    floor_thread.start()
    saves, floors, statuses = sample(importing)
    total = time.perf_counter() - started
    done.set()
    floor_thread.join()
    thread.join()
    bench.say(f"importing {applications:,} applications into another round: preview "
              f"{preview_took:.2f} s, confirm request {outcome['request']:.2f} s "
              f"(status {outcome['response'].status_code}), finished "
              f"{'(job ' + str(state.get('job')) + ') ' if 'job' in state else ''}"
              f"{total:.1f} s after the click")
    bench.say(f"a panellist's save (JSON) during that import: {summary(saves)}, "
              f"answers {statuses}")
    bench.say(f"  floor GET /healthz during the import, after each save: {summary(floors)}")
    bench.say(f"  floor GET /healthz during the import, every 0.1 s from another client: "
              f"{summary(steady)}; {load()}")
    bench.settle()


# --- Running it ---------------------------------------------------------------------------

def run(url: str, args, mailbox: SlowMailbox, port: int, folder: str) -> None:
    bench = Bench(url, mailbox, port, folder)
    try:
        from tests.builders import people

        people.staff("officer@bench.example", "officer")
        officer = bench.officer()
        bench.say(f"floor GET /healthz: {summary(bench.floor(count=100))}; {load()}")
        if args.sign_ins:
            sign_ins(bench, args.sign_ins)
        if args.reminders:
            reminders(bench, officer, args.reminders, True, args.timeout)
        if args.applications:
            save_during_import(bench, officer, args.applications, args.timeout)
        if args.panel:
            panel_import(bench, officer, args.panel, args.panel_applications, args.timeout)
        if args.many_reminders:
            reminders(bench, officer, args.many_reminders, args.deliver_many, args.timeout)
    finally:
        bench.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"],
                        choices=["sqlite", "postgresql"])
    parser.add_argument("--reminders", type=int, default=100)
    parser.add_argument("--many-reminders", type=int, default=2000)
    parser.add_argument("--deliver-many", action="store_true",
                        help="also wait for the many reminders to be delivered")
    parser.add_argument("--panel", type=int, default=500)
    parser.add_argument("--panel-applications", type=int, default=200,
                        help="applications in the round the panel is imported into")
    parser.add_argument("--applications", type=int, default=5000,
                        help="applications imported while a panellist saves")
    parser.add_argument("--sign-ins", type=int, default=50)
    parser.add_argument("--smtp-delay", type=float, default=0.15)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="the FairPanel checkout to measure (default: this one)")
    args = parser.parse_args()
    checkout = args.checkout.resolve()
    sys.path.insert(0, str(checkout))
    os.chdir(checkout)
    from aiosmtpd.controller import Controller

    from tests.support.ports import free_port

    print(f"checkout {checkout}; SMTP delay {args.smtp_delay * 1000:.0f} ms a message; "
          f"{os.cpu_count()} CPUs; {load()}", flush=True)
    mailbox = SlowMailbox(args.smtp_delay)
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for backend in args.databases:
            with tempfile.TemporaryDirectory() as folder:
                if backend == "sqlite":
                    run(f"sqlite:///{folder}/bench.sqlite3", args, mailbox, port, folder)
                    continue
                from tests.support.pgcluster import PgCluster

                cluster = PgCluster().start()
                try:
                    run(cluster.url(), args, mailbox, port, folder)
                finally:
                    cluster.stop()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
