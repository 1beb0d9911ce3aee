"""The round dashboard: progress per panellist and per application, who to chase, and
reminders by e-mail (panel/rounds/progress.py, progress_views.py)."""
from __future__ import annotations

import html as html_lib
import re
from datetime import datetime

import pytest
from sqlalchemy import event, select

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.conflicts.models import Conflict
from panel.extensions import db, utcnow
from panel.rounds import progress, services
from panel.rounds.models import Assignment
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.support.jobs import finish_job
from tests.support.web import csrf_token, submit

DASHBOARD = "/rounds/test-round/"
PAGES = [
    ("get", "/rounds/test-round/"),
    ("get", "/rounds/test-round/assignments"),
    ("get", "/rounds/test-round/assignments/A1"),
    ("get", "/rounds/test-round/phase"),
    ("get", "/rounds/test-round/phase/next"),
    ("get", "/rounds/test-round/phase/back"),
    ("post", "/rounds/test-round/reminders"),
]


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """The text of each body row's cells in the table with ``table_id``."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    body = table.split("<tbody", 1)[1]
    rows = re.findall(r"<tr.*?</tr>", body, re.S)
    return [[html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", cell).split()))
             for cell in re.findall(r"<t[hd]\b.*?</t[hd]>", row, re.S)] for row in rows]


def sheet(member, application, status: str, revision: int = 0) -> ScoreSheet:
    made = ScoreSheet(member=member, application=application, status=status,
                      revision=revision, stage="initial" if revision == 0 else "revised",
                      submitted_at=utcnow() if status == "submitted" else None)
    db.session.add(made)
    return made


def step_out(member, application, status: str = "confirmed", level: str = "step_out"):
    db.session.add(Conflict(member=member, application=application, level=level,
                            status=status, kind="other", source="officer"))


def assignment(member, application) -> Assignment:
    return db.session.scalar(select(Assignment).where(
        Assignment.member_id == member.id, Assignment.application_id == application.id))


@pytest.fixture
def small_round(app):
    """Three panellists × three applications, everyone assigned, in scoring:

    ========  ==========================  ==================================  ===========
              A1                          A2                                  A3
    ========  ==========================  ==================================  ===========
    Ac        submitted (+ draft rev. 1)  draft (a dismissed step-out)        passed
    Done      submitted                   submitted                           submitted
    Le        step_out, sheet submitted   not started (declared conflict)     draft
    ========  ==========================  ==================================  ===========
    """
    round_ = round_builders.draft_round()
    a1, a2, a3 = round_builders.applications(round_, 60, 50, 40)
    ac = round_builders.member(round_, "ac@example.org", "academic")
    done = round_builders.member(round_, "done@example.org", "academic")
    le = round_builders.member(round_, "le@example.org", "lived_experience")
    round_builders.member(round_, "chair@example.org", "academic", role="chair")
    services.assign_everyone(None, round_, system="tests")
    services.change_phase(None, round_, "scoring", system="tests")
    sheet(ac, a1, "submitted")
    sheet(ac, a1, "draft", revision=1)
    sheet(ac, a2, "draft")
    step_out(ac, a2, status="dismissed")
    assignment(ac, a3).passed_at = utcnow()
    for application in (a1, a2, a3):
        sheet(done, application, "submitted")
    step_out(le, a1)
    sheet(le, a1, "submitted")
    step_out(le, a2, level="declared")
    sheet(le, a3, "draft")
    db.session.commit()
    return round_


# --- What is stored and counted ---------------------------------------------------------

def test_progress_per_panellist_counts_each_assignment_once(small_round):
    rows = {row.panellist.email: row.progress for row in progress.member_progress(small_round)}
    assert rows == {
        "ac@example.org": progress.Progress(submitted=1, draft=1, passed=1),
        "done@example.org": progress.Progress(submitted=3),
        "le@example.org": progress.Progress(conflicted=1, draft=1, not_started=1),
    }
    assert [r.panellist.name for r in progress.member_progress(small_round)] == [
        "Ac", "Done", "Le"]  # by group, then name; never the chair


def test_progress_per_application(small_round):
    page = progress.application_progress(small_round)
    assert {row.reference: row.progress for row in page.items} == {
        "A1": progress.Progress(submitted=2, conflicted=1),
        "A2": progress.Progress(submitted=1, draft=1, not_started=1),
        "A3": progress.Progress(submitted=1, draft=1, passed=1),
    }
    assert (page.number, page.pages, page.total) == (1, 1, 3)


def test_who_to_chase_is_everyone_with_a_sheet_not_started_or_in_draft(small_round):
    assert [(r.panellist.email, r.progress.outstanding)
            for r in progress.outstanding(small_round)] == [
        ("ac@example.org", 1), ("le@example.org", 2)]


# --- What the officer sees --------------------------------------------------------------

def test_dashboard_shows_the_facts_and_exact_progress(officer, small_round):
    page = officer.get(DASHBOARD).get_data(as_text=True)
    assert "<title>Test round – FairPanel</title>" in page
    assert 'aria-current="page">Overview</a>' in page
    assert "fp-tag--blue\">Scoring</strong>" in page
    text = " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Applications 3, asking for £150 in all" in text
    assert "Panellists 3: Academic 2, Lived experience 1" in text
    assert "Budget £100" in text
    assert table_rows(page, "panellists") == [
        # name, group, assigned, submitted, draft, not started, passed, conflicted
        ["Ac", "Academic", "3", "1", "1", "0", "1", "0"],
        ["Done", "Academic", "3", "3", "0", "0", "0", "0"],
        ["Le", "Lived experience", "3", "0", "1", "1", "0", "1"],
    ]
    assert table_rows(page, "applications") == [
        ["A1 Project A1", "3", "2", "0", "0", "0", "1"],
        ["A2 Project A2", "3", "1", "1", "1", "0", "0"],
        ["A3 Project A3", "3", "1", "1", "0", "1", "0"],
    ]
    assert "Ac: 1 left (1 in draft)" in text and "Le: 2 left (1 in draft)" in text
    assert "Send a reminder to everyone outstanding (2 people)" in text


def test_no_reminder_button_outside_scoring(officer, small_round):
    small_round.phase = "moderation"
    db.session.commit()
    page = officer.get(DASHBOARD).get_data(as_text=True)
    assert "Who to chase" not in page and "Send a reminder" not in page


def test_applications_are_paginated_fifty_at_a_time(officer, app):
    round_ = round_builders.draft_round()
    round_builders.applications(round_, *([10] * 53))  # A1…A53, sorted as text
    first = officer.get(DASHBOARD).get_data(as_text=True)
    assert len(table_rows(first, "applications")) == 50
    assert "By application (page 1 of 2)" in first
    assert 'href="/rounds/test-round/?page=2#applications" rel="next"' in first
    second = officer.get(DASHBOARD + "?page=2").get_data(as_text=True)
    assert [row[0].split()[0] for row in table_rows(second, "applications")] == [
        "A7", "A8", "A9"]
    assert '<li class="fp-pagination__item" aria-current="page">' in second
    assert officer.get(DASHBOARD + "?page=99").status_code == 200  # the last page


def test_dashboard_queries_do_not_grow_with_rows(officer, small_round):
    def statements_for_dashboard() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert officer.get(DASHBOARD).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    small = statements_for_dashboard()
    for n in range(4, 12):
        round_builders.member(small_round, f"extra{n}@example.org", "lived_experience")
    round_builders.applications(small_round, *([5] * 20), prefix="B")
    services.assign_everyone(None, small_round, system="tests")
    db.session.commit()
    assert statements_for_dashboard() == small, small


# --- Reminders ----------------------------------------------------------------------------

def test_reminders_go_only_to_outstanding_people_with_their_count(officer, small_round,
                                                                  mailbox, app):
    small_round.scoring_deadline = datetime(2026, 3, 31, 17, 0)
    db.session.commit()
    response = submit(officer, DASHBOARD, action="/rounds/test-round/reminders")
    assert response.status_code == 302
    page = finish_job(app, officer, response)  # the officer follows the sending
    assert "Reminders queued for 2 people." in page and "2 sent" in page

    assert mailbox.to("done@example.org") == [] and mailbox.to("chair@example.org") == []
    (to_ac,) = mailbox.to("ac@example.org")
    (to_le,) = mailbox.to("le@example.org")
    assert to_ac["Subject"] == "Reminder: 1 application left to score"
    assert to_le["Subject"] == "Reminder: 2 applications left to score"
    body = mailbox.body(to_le)
    assert "Hello Le," in body
    assert "you have 2 applications left to score for Test round." in body
    # Shown in the round's time zone: London is on GMT until 29 March, BST after.
    assert "Please send your scores by 18:00 BST on Tuesday 31 March 2026." in body
    assert f"{app.config['BASE_URL']}/sign-in\n" in body
    assert "you have 1 application left to score" in mailbox.body(to_ac)

    sent = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminders.sent")
                              ).one()
    assert opened(sent).who == "officer@example.org" and sent.round_id == small_round.id
    assert opened(sent).after == {"emails": ["ac@example.org", "le@example.org"], "count": 2}


def test_reminder_without_a_deadline_says_nothing_of_one(officer, small_round, mailbox):
    submit(officer, DASHBOARD, action="/rounds/test-round/reminders")
    assert "send your scores by" not in mailbox.body(mailbox.to("le@example.org")[0])


def test_nobody_outstanding_means_no_reminder(officer, app, mailbox):
    round_ = round_builders.draft_round()
    (a1,) = round_builders.applications(round_, 10)
    member = round_builders.member(round_, "ac@example.org", "academic")
    services.assign_everyone(None, round_, system="tests")
    services.change_phase(None, round_, "scoring", system="tests")
    sheet(member, a1, "submitted")
    db.session.commit()
    response = submit(officer, DASHBOARD, action="/rounds/test-round/reminders",
                      follow_redirects=True)
    assert "Nobody has anything left to score." in response.get_data(as_text=True)
    assert mailbox.messages == []
    assert not db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "reminders.sent")).all()


def test_reminders_only_while_scoring(officer, small_round, mailbox):
    small_round.phase = "moderation"
    db.session.commit()
    token_page = officer.get("/rounds/test-round/phase").get_data(as_text=True)
    response = officer.post("/rounds/test-round/reminders",
                            data={"csrf_token": csrf_token(token_page)})
    assert response.status_code == 409
    assert "can only be done while it is in scoring" in response.get_data(as_text=True)
    assert mailbox.messages == []


# --- Who may see these pages ----------------------------------------------------------------

def attempt(client, method: str, path: str):
    if method == "get":
        return client.get(path)
    token = csrf_token(client.get("/", follow_redirects=True).get_data(as_text=True))
    return client.post(path, data={"csrf_token": token})


@pytest.mark.parametrize("method,path", PAGES)
def test_round_pages_are_for_officers_only(app, mailbox, method, path):
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 10)
    round_builders.member(round_, "amira@example.org", "lived_experience")
    for email, role in (("auditor@example.org", "auditor"), ("admin@example.org", "admin")):
        client = app.test_client()
        people.staff(email, role)
        people.sign_in_staff(client, email)
        assert attempt(client, method, path).status_code == 403, (role, path)
    panellist = app.test_client()
    people.sign_in_by_link(panellist, mailbox, "amira@example.org")
    assert attempt(panellist, method, path).status_code == 403
    response = attempt(app.test_client(), method, path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_unknown_round_is_404(officer):
    assert officer.get("/rounds/no-such-round/").status_code == 404
