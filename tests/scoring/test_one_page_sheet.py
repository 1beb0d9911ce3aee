"""Every question on one page (issue 20): a panellist who chooses it answers all the
criteria, comments and sends from one page; the choice is remembered on that device;
anything unanswered is named and nothing is sent."""
from __future__ import annotations

import html

from sqlalchemy import select

from panel.extensions import db
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.builders.rounds import scoring_round
from tests.support.web import csrf_token, submit

BASE = "/my-rounds/test-round/A1"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def signed_in(app, mailbox):
    scoring_round(members=("amira@example.org",))
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    submit(client, f"{BASE}/connection", {"answer": "none"})
    return client


def sheet() -> ScoreSheet | None:
    db.session.expire_all()
    return db.session.scalar(select(ScoreSheet))


def test_every_question_on_one_page_is_remembered_and_sends_the_sheet(app, mailbox):
    amira = signed_in(app, mailbox)
    page = text(amira.get(f"{BASE}/application"))
    assert f'href="{BASE}/question/1">Start scoring' in page
    assert "answer every question on one page" in page

    opened = amira.get(f"{BASE}/all")
    page = text(opened)
    assert opened.status_code == 200
    assert "Quality" in page and "Need" in page and "Send my scores" in page
    assert "fp_scoring_layout=one_page" in opened.headers["Set-Cookie"]
    # This device now starts scoring on the one page.
    assert f'href="{BASE}/all">Start scoring' in text(amira.get(f"{BASE}/application"))

    sent = submit(amira, f"{BASE}/all", {"c_q": "4", "c_n": "unable",
                                          "comment": "Good plan", "version": "0",
                                          "action": "send"})
    assert sent.headers["Location"].endswith(BASE)
    saved = sheet()
    assert saved.status == "submitted" and saved.comment == "Good plan"
    assert {s.criterion.key: s.value for s in saved.scores} == {"q": 4, "n": None}
    # S over the one criterion scored: 100 × (4 − 1) / (5 − 1) = 75
    assert saved.score == 75.0
    page = text(amira.get(BASE))
    assert "Your scores have been sent" in page and "Quality" in page and "4 of 5" in page


def test_an_unanswered_question_is_named_and_nothing_is_sent(app, mailbox):
    amira = signed_in(app, mailbox)
    page = text(amira.get(f"{BASE}/all"))
    refused = amira.post(f"{BASE}/all", data={"csrf_token": csrf_token(page), "c_q": "3",
                                              "version": "0", "action": "send"})
    assert refused.status_code == 409
    page = text(refused)
    assert 'Choose a score for Need, or choose "I don\'t feel able to score this"' in page
    assert sheet() is None  # nothing saved or sent

    draft = amira.post(f"{BASE}/all", data={"csrf_token": csrf_token(page), "c_q": "3",
                                            "version": "0", "action": "save"})
    assert draft.status_code == 302
    assert sheet().status == "draft"
    assert "Your answers are saved" in text(amira.get(f"{BASE}/all"))


def test_one_question_at_a_time_forgets_the_choice(app, mailbox):
    amira = signed_in(app, mailbox)
    amira.get(f"{BASE}/all")
    back = amira.get(f"{BASE}/all?layout=questions")
    assert back.headers["Location"].endswith(f"{BASE}/question/1")
    assert "fp_scoring_layout=;" in back.headers["Set-Cookie"]
    assert f'href="{BASE}/question/1">Start scoring' in text(amira.get(f"{BASE}/application"))
