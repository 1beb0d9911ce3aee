"""The pages a panellist asks for again and again while scoring, and that the load
benchmark (benchmarks/load/run.py) drives, make a fixed, small number of SQL statements:
every statement is a round trip to the database, and under load those round trips are
most of a page's cost (docs/performance.md).

Each budget below is the count today, statement by statement, so a change that adds one
fails here and has to say why:

===============  ========================================================================
page             statements
===============  ========================================================================
every page       the signed-in person, with their staff roles and panel memberships
My rounds        + their rounds; + every assignment with its sheet status and any
                 stepping-out conflict
application      + the assignment with its member, application, round, their sheet and
                 whether they are stepped out; + the round's criteria
question         + the same assignment statement; + the round's criteria with the
                 sheet's answers (to tick the saved one)
save (JSON)      the person, the assignment statement, the criteria with the sheet's
                 answers (one statement, as the question page); + update the sheet
                 (its version checked), + update the answer, + the audit trail's head
                 and the new event (PostgreSQL also takes the trail's lock)
time (issue 20)  nothing for a member whose group is paid in no round, as here (their
                 own statement says so); else the application, question and save pages
                 each + the member's time record (panel/payments/recording.py)
===============  ========================================================================

The counts are the same for a member with one application and with two: nothing is
loaded row by row.
"""
from __future__ import annotations

import pytest

from panel.extensions import db
from panel.rounds.models import Assignment
from tests.builders import people
from tests.builders.rounds import scoring_round
from tests.support.statements import (
    counted_round_trips,
    counted_statements,
    executed_statements,
)
from tests.support.web import csrf_token

BASE = "/my-rounds/test-round/A1"
BUDGETS = {"my rounds": 3, "application": 3, "question": 3}
SAVE_BUDGET = {"sqlite": 7, "postgresql": 8}  # the trail's advisory lock on PostgreSQL


def hot_path_counts(client, score: str) -> dict[str, int]:
    """Statements for each page the load benchmark asks for, the save changing the
    first answer to ``score``."""
    pages = {"my rounds": "/my-rounds", "application": f"{BASE}/application",
             "question": f"{BASE}/question/1"}
    counts = {}
    for name, url in pages.items():
        with counted_statements() as statements:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(statements)
    page = client.get(f"{BASE}/question/1").get_data(as_text=True)
    version = int(page.split('name="version" type="hidden" value="')[1].split('"')[0])
    with counted_statements() as statements:
        response = client.post(f"{BASE}/save", json={"version": version, "scores": {"q": score}},
                               headers={"X-CSRFToken": csrf_token(page)})
    assert response.get_json()["saved"] is True, response.get_json()
    counts["save"] = len(statements)
    return counts


@pytest.fixture
def amira(app, mailbox):
    round_ = scoring_round(members=("amira@example.org",))
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    assert client.post(f"{BASE}/connection", data={
        "answer": "none", "csrf_token": csrf_token(
            client.get(f"{BASE}/connection").get_data(as_text=True))}).status_code == 302
    first = client.get(f"{BASE}/question/1").get_data(as_text=True)
    assert client.post(f"{BASE}/save", json={"version": 0, "scores": {"q": "3"}},
                       headers={"X-CSRFToken": csrf_token(first)}).get_json()["saved"]
    return client, round_


def test_the_scoring_pages_stay_within_their_statement_budgets(amira):
    client, _ = amira
    counts = hot_path_counts(client, "4")
    dialect = db.engine.dialect.name
    assert counts == {**BUDGETS, "save": SAVE_BUDGET[dialect]}, counts


def test_a_second_application_adds_no_statement(amira):
    client, round_ = amira
    before = hot_path_counts(client, "4")
    member = round_.members[0]
    db.session.add(Assignment(member_id=member.id, application_id=round_.applications[1].id))
    db.session.commit()
    page = client.get("/my-rounds").get_data(as_text=True)
    assert "0 of 2 done." in page  # the home page really lists both
    assert hot_path_counts(client, "2") == before


def test_round_trips_per_panellist_page_counted_at_the_driver(amira):
    """Round trips as the driver sends them, with BEGIN, COMMIT and ROLLBACK and no pool
    ping (the engine recycles connections instead). The pages only read, so they run
    without a transaction: their statements and nothing else. The save is one
    transaction: BEGIN, its statements, COMMIT (on SQLite, whose driver begins just
    before the first write, BEGIN comes after the reads). Issue 17's target, 3 round trips per page, is met (for a
    member who is paid for their time, measuring it adds one; issue 20). A change that
    adds one fails here."""
    client, _ = amira
    trips = {}
    for name, url in {"my rounds": "/my-rounds", "application": f"{BASE}/application",
                      "question": f"{BASE}/question/1"}.items():
        with counted_round_trips() as sent:
            assert client.get(url).status_code == 200
        trips[name] = sent
    page = client.get(f"{BASE}/question/1").get_data(as_text=True)
    version = int(page.split('name="version" type="hidden" value="')[1].split('"')[0])
    with counted_round_trips() as sent:
        assert client.post(f"{BASE}/save", json={"version": version, "scores": {"q": "4"}},
                           headers={"X-CSRFToken": csrf_token(page)}).get_json()["saved"]
    trips["save"] = sent
    words = ("BEGIN", "COMMIT", "ROLLBACK")
    for name in BUDGETS:
        assert not any(trip in words for trip in trips[name]), (name, trips[name])
    save = trips["save"]
    assert [trip for trip in save if trip in words] == ["BEGIN", "COMMIT"], save
    assert save[-1] == "COMMIT", save
    dialect = db.engine.dialect.name
    begun = save.index("BEGIN")
    # SQLite's driver begins just before the first write; what it read before ran
    # without a transaction, as the read-only pages' statements do.
    assert begun == 0 if dialect == "postgresql" else \
        all(trip.startswith("SELECT") for trip in save[:begun]) and begun > 0, save
    counts = {name: len(sent) for name, sent in trips.items()}
    assert counts == {**BUDGETS, "save": SAVE_BUDGET[dialect] + 2}, counts


def test_the_question_page_builds_no_statement_per_request(amira):
    """Issue 17: building the signed-in person's statement, the assignment's and the
    answers' again on every request (and their cache keys) cost about a third of the
    question page. They are made once: two requests execute the very same statements,
    each with its own parameters, and show what each request asked for."""
    client, _ = amira
    executed = []
    for number in (1, 2):
        with executed_statements() as statements:
            page = client.get(f"{BASE}/question/{number}")
        assert page.status_code == 200
        executed.append(statements)
    first, second = executed
    assert len(first) == len(second) == BUDGETS["question"], executed
    assert all(a is b for a, b in zip(first, second, strict=True)), executed
    # The same statements, but each request's own answer: the first question shows the
    # saved 3 ticked, the second nothing ticked yet.
    assert '<input checked class="fp-radios__input" id="score-2" name="score" required ' \
           'type="radio" value="3">' in client.get(f"{BASE}/question/1").get_data(as_text=True)
    assert " checked " not in page.get_data(as_text=True)


def test_the_save_writes_each_table_with_one_statement(amira):
    """The JSON save writes as plain statements, each table once, whatever the number of
    answers: the sheet's row (its version checked), the answers changed (one UPDATE for
    all of them), the answers new (one INSERT), the trail's event. The sheet then reads
    back exactly what was sent."""
    client, _ = amira

    def save(scores: dict[str, str]) -> list[str]:
        page = client.get(f"{BASE}/question/1").get_data(as_text=True)
        version = int(page.split('name="version" type="hidden" value="')[1].split('"')[0])
        with counted_statements() as statements:
            body = client.post(f"{BASE}/save", json={"version": version, "scores": scores},
                               headers={"X-CSRFToken": csrf_token(page)}).get_json()
        assert body["saved"] is True and body["version"] == version + 1, body
        return [" ".join(s.split()[:3 if s.startswith("INSERT") else 2]) for s in statements
                if s.startswith(("INSERT", "UPDATE", "DELETE"))]

    # The fixture saved q = 3: now q changes and n is new, then both change.
    assert save({"q": "5", "n": "2"}) == ["UPDATE score_sheets", "UPDATE criterion_scores",
                                          "INSERT INTO criterion_scores",
                                          "INSERT INTO audit_events"]
    assert save({"q": "1", "n": "4"}) == ["UPDATE score_sheets", "UPDATE criterion_scores",
                                          "INSERT INTO audit_events"]
    page = client.get(f"{BASE}/question/1").get_data(as_text=True)
    assert client.post(f"{BASE}/save", json={"version": 0, "scores": {"q": "2"}},
                       headers={"X-CSRFToken": csrf_token(page)}).get_json()["scores"] \
        == {"q": "1", "n": "4"}  # a stale save is shown what is saved now
