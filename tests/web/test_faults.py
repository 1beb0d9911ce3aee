"""Faults (issue 8, DESIGN.md §9 "nothing lost"): two devices saving the same sheet at
once, a database restart during scoring, and a gunicorn worker killed in the middle of
a save. Each time nothing already committed is lost, nothing half-done is kept, and the
panellist is told to try again, with their answer still on the page."""
from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
import sqlalchemy as sa

from panel.accounts import services as accounts
from panel.accounts.models import User
from panel.extensions import db
from panel.scoring.models import CriterionScore, ScoreSheet
from tests.builders import people
from tests.builders.rounds import scoring_round
from tests.support.gunicorn import Gunicorn
from tests.support.pgcluster import PgCluster
from tests.support.web import make_app

BASE = "/my-rounds/test-round/A1"
EMAIL = "amira@example.org"
needs_postgresql = pytest.mark.skipif(
    os.environ.get("FAIRPANEL_TEST_DB", "sqlite") != "postgresql",
    reason="needs PostgreSQL (run with FAIRPANEL_TEST_DB=postgresql)")


def ready(client, mailbox) -> tuple[str, int]:
    """Sign in, say "no connection", open question 1: (CSRF token, sheet version)."""
    people.sign_in_by_link(client, mailbox, EMAIL)
    page = client.get(f"{BASE}/connection").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(f"{BASE}/connection", data={"csrf_token": token, "answer": "none"})
    page = client.get(f"{BASE}/question/1").get_data(as_text=True)
    version = int(re.search(r'name="version"[^>]*value="(\d+)"', page).group(1))
    return token, version


def save(client, token: str, version: int, value: str):
    return client.post(f"{BASE}/save", data=json.dumps({"version": version,
                                                        "scores": {"q": value}}),
                       headers={"Content-Type": "application/json", "X-CSRFToken": token})


def saved_values() -> list[int | None]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CriterionScore.value).join(ScoreSheet)))


# Two devices ----------------------------------------------------------------------------------

@pytest.mark.parametrize("attempt", range(3))
def test_two_devices_saving_at_once_make_one_sheet_and_one_clear_message(app, mailbox,
                                                                          attempt):
    scoring_round()
    phone, laptop = app.test_client(), app.test_client()
    token_phone, version = ready(phone, mailbox)
    token_laptop, _ = ready(laptop, mailbox)
    answers = {}
    start = threading.Barrier(2)

    def send(name, client, token, value):
        start.wait()
        answers[name] = save(client, token, version, value)

    threads = [threading.Thread(target=send, args=("phone", phone, token_phone, "2")),
               threading.Thread(target=send, args=("laptop", laptop, token_laptop, "5"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcomes = {name: (r.status_code, r.get_json()) for name, r in answers.items()}
    winners = [name for name, (status, body) in outcomes.items() if body["saved"]]
    assert len(winners) == 1, outcomes
    loser = "laptop" if winners == ["phone"] else "phone"
    status, body = outcomes[loser]
    assert status == 409 and body["stale"] is True
    assert body["message"].startswith("You changed these scores on another device or tab")
    # The loser is shown what is saved now: the winner's answer, never a silent overwrite.
    winner_value = {"phone": "2", "laptop": "5"}[winners[0]]
    assert body["scores"] == {"q": winner_value}
    assert db.session.scalar(sa.select(sa.func.count(ScoreSheet.id))) == 1
    assert saved_values() == [int(winner_value)]


# A database restart ------------------------------------------------------------------------------

@contextmanager
def panellist_on_own_cluster(mailbox, tmp_path):
    """A throwaway cluster the test may pause and resume, the app on it, and a panellist
    signed in and ready to score: yields (cluster, client, token, version)."""
    cluster = PgCluster().start()
    try:
        app = make_app(cluster.url(), mailbox, tmp_path)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            scoring_round()
            client = app.test_client()
            token, version = ready(client, mailbox)
            yield cluster, client, token, version
            db.session.remove()
            db.engine.dispose()
    finally:
        cluster.stop()


@needs_postgresql
def test_a_database_restart_loses_nothing_and_asks_to_try_again(mailbox, tmp_path):
    with panellist_on_own_cluster(mailbox, tmp_path) as (cluster, client, token, version):
        first = save(client, token, version, "4").get_json()
        assert first["saved"]
        cluster.pause()
        during = save(client, token, first["version"], "5")
        assert during.status_code == 503
        assert during.get_json() == {"saved": False, "message": (
            "Not saved yet: we could not reach our database. Your answer is still on "
            "this page. Try again in a minute.")}
        page = client.get(f"{BASE}/question/1")
        assert page.status_code == 503
        assert "Nothing you saved before is lost" in page.get_data(as_text=True)
        cluster.resume()
        assert saved_values() == [4]  # the committed answer survived the restart
        after = save(client, token, first["version"], "5").get_json()
        assert after["saved"], after
        assert saved_values() == [5]


@needs_postgresql
def test_after_a_restart_between_two_requests_the_pool_reconnects_without_a_ping(
        mailbox, tmp_path):
    """No pre-ping: the request that meets the dead pooled connection, loading the
    signed-in panellist, loads them again on a fresh one (the pool is invalidated), so
    they see their question, not the restart; a save after it works too."""
    with panellist_on_own_cluster(mailbox, tmp_path) as (cluster, client, token, version):
        assert client.get(f"{BASE}/question/1").status_code == 200
        db.session.remove()
        cluster.pause()
        cluster.resume()
        first = client.get(f"{BASE}/question/1")
        assert first.status_code == 200
        assert "Nothing you saved before is lost" not in first.get_data(as_text=True)
        db.session.remove()
        assert save(client, token, version, "4").get_json()["saved"]
        assert saved_values() == [4]


# A worker killed mid-request -----------------------------------------------------------------------

@needs_postgresql
def test_a_worker_killed_mid_save_loses_nothing_committed_and_keeps_nothing_half_done(
        app, database_url):
    scoring_round()
    user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
    link = accounts._issue_token(user, "sign_in", timedelta(minutes=15))
    db.session.commit()
    server = Gunicorn(database_url, workers=2, SECRET_KEY="faults")
    try:
        status, headers, page = server.request("GET", f"/sign-in/link/{link}")
        cookie = headers["Set-Cookie"].split(";")[0]
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        _, headers, _ = server.request("POST", f"/sign-in/link/{link}",
                                       f"csrf_token={token}", form, cookie)
        cookie = headers["Set-Cookie"].split(";")[0]
        # Signing in starts a new session: take the new session's token.
        _, headers, page = server.request("GET", f"{BASE}/connection", cookie=cookie)
        cookie = headers["Set-Cookie"].split(";")[0] if "Set-Cookie" in headers else cookie
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        server.request("POST", f"{BASE}/connection", f"csrf_token={token}&answer=none", form,
                       cookie)
        as_json = {"Content-Type": "application/json", "X-CSRFToken": token}
        status, _, body = server.request("POST", f"{BASE}/save", json.dumps(
            {"version": 0, "scores": {"q": "3"}}), as_json, cookie)
        assert status == 200, body
        version = json.loads(body)["version"]
        assert status == 200 and saved_values() == [3]

        # Hold the sheet's row so the next save waits inside its transaction…
        raw = sa.engine.make_url(database_url).set(drivername="postgresql")
        blocker = psycopg.connect(raw.render_as_string(hide_password=False))
        blocker.execute("SELECT id FROM score_sheets FOR UPDATE")
        outcome = {}

        def second_save():
            try:
                outcome["answer"] = server.request("POST", f"{BASE}/save", json.dumps(
                    {"version": version, "scores": {"q": "5"}}), as_json, cookie)
            except OSError as error:
                outcome["error"] = error

        thread = threading.Thread(target=second_save)
        thread.start()
        # Watched from its own autocommit connection: inside a transaction PostgreSQL
        # would keep showing the same snapshot of pg_stat_activity. Only this test's
        # database: other tests may share the server (FAIRPANEL_TEST_PG_URL).
        watcher = psycopg.connect(raw.render_as_string(hide_password=False), autocommit=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            waiting = watcher.execute("SELECT count(*) FROM pg_stat_activity "
                                      "WHERE wait_event_type = 'Lock' "
                                      "AND datname = current_database()").fetchone()[0]
            if waiting:
                break
            time.sleep(0.05)
        watcher.close()
        assert waiting, "the save never reached the database"
        # …and kill every worker while it waits.
        for pid in server.workers():
            os.kill(pid, signal.SIGKILL)
        thread.join(timeout=30)
        blocker.rollback()
        blocker.close()
        # The browser saw the connection drop (scoring.js then says "Not saved yet … Your
        # answer is still on this page"); the half-done save was rolled back.
        assert "error" in outcome or outcome["answer"][0] >= 500, outcome
        time.sleep(0.5)
        assert saved_values() == [3]
        # The master starts new workers; saving again works and the answer lands.
        server.wait_until_up()
        status, _, body = server.request("POST", f"{BASE}/save", json.dumps(
            {"version": version, "scores": {"q": "5"}}), as_json, cookie)
        assert status == 200 and json.loads(body)["saved"], body
        assert saved_values() == [5]
    finally:
        server.stop()
