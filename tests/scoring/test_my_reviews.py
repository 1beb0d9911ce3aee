"""My reviews (issue 20): a panellist's own answers to every application of a round in
one table, sortable by any column and filtered by where each stands; never anyone
else's scores (DESIGN.md §4)."""
from __future__ import annotations

import html
import re

from panel.extensions import db
from panel.rounds.models import Assignment
from tests.builders import people
from tests.builders.rounds import scoring_round
from tests.support.web import submit

REVIEWS = "/my-reviews/test-round"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def rows(page: str) -> list[list[str]]:
    """The table's body rows as the reader sees them, cell by cell."""
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in
             re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.DOTALL)]


def scored_two(app, mailbox):
    """Amira sends A1 (Quality 4, Need "not able") and leaves A2 a draft (Quality 2,
    Need 5); Bob, on the same panel, sends A1 with Quality 1 and Need 1."""
    round_ = scoring_round(members=("amira@example.org", "bob@example.org"))
    amira_member = round_.members[0] if round_.members[0].user.email.startswith("amira") \
        else round_.members[1]
    db.session.add(Assignment(member_id=amira_member.id, application_id=round_.applications[1].id))
    db.session.commit()
    bob = app.test_client()
    people.sign_in_by_link(bob, mailbox, "bob@example.org")
    submit(bob, "/my-rounds/test-round/A1/connection", {"answer": "none"})
    submit(bob, "/my-rounds/test-round/A1/all", {"c_q": "1", "c_n": "1", "comment": "",
                                                  "version": "0", "action": "send"})
    amira = app.test_client()
    people.sign_in_by_link(amira, mailbox, "amira@example.org")
    for reference in ("A1", "A2"):
        submit(amira, f"/my-rounds/test-round/{reference}/connection", {"answer": "none"})
    submit(amira, "/my-rounds/test-round/A1/all", {"c_q": "4", "c_n": "unable", "comment": "",
                                                    "version": "0", "action": "send"})
    submit(amira, "/my-rounds/test-round/A2/all", {"c_q": "2", "c_n": "5", "comment": "",
                                                    "version": "0", "action": "save"})
    return amira


def test_my_reviews_shows_my_own_answers_and_overall_score(app, mailbox):
    amira = scored_two(app, mailbox)
    listing = text(amira.get("/my-rounds/test-round"))
    assert f'href="{REVIEWS}">See all your answers in one table' in listing
    page = text(amira.get(REVIEWS))
    assert "My reviews" in page and "2 of 2 applications, sorted by reference" in page
    # S = 100 × Σ w(s − 1) / (4 × Σ w) over the criteria answered (Quality weight 3, Need 1):
    # A1: 100 × 3 × 3 / (4 × 3) = 75; A2 so far: 100 × (3 × 1 + 1 × 4) / (4 × 4) = 43.75.
    assert rows(page) == [
        ["A1", "Growing food together", "Scored", "4", "Not able to score", "75.0"],
        ["A2", "Walks for older people", "Started", "2", "5", "43.8 so far"],
    ]
    # Bob's answers to A1 (1 and 1, S = 0) are nowhere on Amira's page.
    assert "0.0" not in page


def test_sorting_by_any_column_keeps_unanswered_last(app, mailbox):
    amira = scored_two(app, mailbox)
    by_overall = text(amira.get(f"{REVIEWS}?sort=overall&order=desc"))
    assert [r[0] for r in rows(by_overall)] == ["A1", "A2"]
    assert "sorted by overall score, highest first" in by_overall
    assert 'aria-sort="descending"' in by_overall
    assert [r[0] for r in rows(text(amira.get(f"{REVIEWS}?sort=overall")))] == ["A2", "A1"]
    # Need: A1 was "not able to score", so it goes last both ways.
    for order in ("asc", "desc"):
        page = text(amira.get(f"{REVIEWS}?sort=n&order={order}"))
        assert [r[0] for r in rows(page)] == ["A2", "A1"], order
    assert [r[0] for r in rows(text(amira.get(f"{REVIEWS}?sort=reference&order=desc")))] == [
        "A2", "A1"]
    assert [r[0] for r in rows(text(amira.get(f"{REVIEWS}?sort=status")))] == ["A2", "A1"]
    # A heading links to the reverse of the order shown.
    assert f'href="{REVIEWS}?sort=overall&amp;order=asc"' in amira.get(
        f"{REVIEWS}?sort=overall&order=desc").get_data(as_text=True)
    # Nonsense in the address is ignored, not an error.
    page = text(amira.get(f"{REVIEWS}?sort=secret&order=sideways&show=everything"))
    assert [r[0] for r in rows(page)] == ["A1", "A2"]


def test_filtering_by_where_each_stands(app, mailbox):
    amira = scored_two(app, mailbox)
    page = text(amira.get(REVIEWS))
    assert "All applications (2)" in page and "Scored (1)" in page and "Started (1)" in page
    assert "Not started (" not in page  # only what there is to filter by
    scored = text(amira.get(f"{REVIEWS}?show=scored"))
    assert [r[0] for r in rows(scored)] == ["A1"]
    assert "1 of 2 applications" in scored
    assert 'aria-current="page">Scored (1)' in scored
    passed = text(amira.get(f"{REVIEWS}?show=passed"))
    assert "None of your applications is “Passed”" in passed and "<tbody>" not in passed


def test_only_the_rounds_panel_sees_it(app, mailbox):
    scored_two(app, mailbox)
    people.panellist("nobody@example.org", "No Body")  # on no panel
    stranger = app.test_client()
    people.sign_in_by_link(stranger, mailbox, "nobody@example.org")
    assert stranger.get(REVIEWS).status_code == 404
    assert app.test_client().get(REVIEWS).status_code == 302  # to sign in
