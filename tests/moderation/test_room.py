"""The meeting in a room (issue 14), through the pages: comments beside letters and the
chair's choice to show one, a comment written for the chair only, the chair's prompt
to let lived experience speak first, and the shared screen's "next".

tests/builders/room.py has the round and its hand-worked figures: CA-001 first (three
academic sheets, one lived-experience sheet of 0.0), then CA-002 (two and two)."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.extensions import db
from panel.moderation.models import Meeting, SharedComment
from panel.scoring.models import ScoreSheet
from tests.builders import people, room
from tests.builders.room import SLUG
from tests.builders.rounds import scoring_round
from tests.support.web import submit

CHAIR_PAGE = f"/rounds/{SLUG}/meeting"
SCREEN = f"/rounds/{SLUG}/meeting/screen"
FOLLOW = f"/meetings/{SLUG}"
LONE_COMMENT = "Nobody on our estate was asked about this."


def signed_in(app, mailbox, email):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    return client


def text(response) -> str:
    words = re.sub(r"<[^>]+>", " ", html.unescape(response.get_data(as_text=True)))
    return re.sub(r"\s+", " ", words)


@pytest.fixture
def chair(app, mailbox, tmp_path):
    room.room_round(tmp_path / "bundle")
    client = signed_in(app, mailbox, room.CHAIR)
    submit(client, CHAIR_PAGE, action=f"{CHAIR_PAGE}/start")
    return client


def letter_of_comment(page: str, words: str) -> str:
    found = re.search(r'fp-strip__letter fp-strip__letter--small">([A-Z]+)</span>\s*'
                      r'<div class="fp-meeting__comment-body">\s*<p class="fp-body">'
                      + re.escape(words), page)
    assert found, words
    return found.group(1)


def share(chair, letter: str, show: str = "yes", application: str = "CA-001"):
    return submit(chair, CHAIR_PAGE, {"application": application, "show": show},
                  action=f"{CHAIR_PAGE}/comments/{letter}")


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_the_chair_sees_each_comment_beside_its_letter_and_shows_one(app, mailbox, chair):
    page = chair.get(CHAIR_PAGE).get_data(as_text=True)
    letter = letter_of_comment(page, LONE_COMMENT)
    assert "Sound plan, but the costs" in page
    assert "Amira" not in text(chair.get(CHAIR_PAGE))  # never a name beside a comment
    academic = signed_in(app, mailbox, room.ACADEMICS[0])
    assert LONE_COMMENT not in text(academic.get(FOLLOW))
    assert LONE_COMMENT not in text(chair.get(SCREEN))

    response = share(chair, letter)
    assert response.status_code == 302
    assert f"{letter}'s comment is on the shared screen." in text(chair.get(CHAIR_PAGE))
    for page in (chair.get(SCREEN), academic.get(FOLLOW)):
        assert f"{letter}: “{LONE_COMMENT}" in text(page) or f"{letter} “{LONE_COMMENT}" in \
            text(page)
    [event] = events("meeting.comment_shown")
    assert event.after["letter"] == letter and event.after["shown"] is True
    # Showing it again records nothing more; taking it off does.
    share(chair, letter)
    assert len(events("meeting.comment_shown")) == 1
    share(chair, letter, show="no")
    assert LONE_COMMENT not in text(chair.get(SCREEN))
    assert len(events("meeting.comment_hidden")) == 1
    assert db.session.scalar(sa.select(sa.func.count(SharedComment.id))) == 0


def test_a_comment_for_the_chair_only_cannot_be_shown(chair):
    # Move on to CA-002, where "Modest reach for the money." is for the chair only.
    submit(chair, CHAIR_PAGE, {"application": "CA-001"}, action=f"{CHAIR_PAGE}/skip")
    page = chair.get(CHAIR_PAGE).get_data(as_text=True)
    letter = letter_of_comment(page, "Modest reach for the money.")
    assert "For the chair only" in text(chair.get(CHAIR_PAGE))
    assert f"Show {letter}'s comment" not in page
    before = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    response = share(chair, letter, application="CA-002")
    assert response.status_code == 302
    assert (f"{letter} asked that only the chair read this comment, so it cannot go on the "
            "shared screen.") in text(chair.get(CHAIR_PAGE))
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == before
    assert "Modest reach" not in text(chair.get(SCREEN))


def test_a_choice_made_for_an_item_the_meeting_left_changes_nothing(chair):
    page = chair.get(CHAIR_PAGE).get_data(as_text=True)
    letter = letter_of_comment(page, LONE_COMMENT)
    submit(chair, CHAIR_PAGE, {"application": "CA-001"}, action=f"{CHAIR_PAGE}/skip")
    share(chair, letter, application="CA-001")
    assert ("The meeting has moved on to another application, so nothing was shown."
            in text(chair.get(CHAIR_PAGE)))
    assert not events("meeting.comment_shown")


def test_the_chair_is_prompted_to_invite_lived_experience_first(app, mailbox, chair):
    assert ("One panellist from Lived experience scored this. Invite them to speak first, "
            "before you open the discussion to everyone.") in text(chair.get(CHAIR_PAGE))
    lone = signed_in(app, mailbox, room.LIVED[0])
    assert "You're invited to speak first." in text(lone.get(FOLLOW))
    academic = signed_in(app, mailbox, room.ACADEMICS[0])
    page = text(academic.get(FOLLOW))
    assert "You're invited" not in page
    assert "Lived experience members are invited to speak first." in page
    # On CA-002 two lived-experience panellists scored.
    submit(chair, CHAIR_PAGE, {"application": "CA-001"}, action=f"{CHAIR_PAGE}/skip")
    assert "2 panellists from Lived experience scored this." in text(chair.get(CHAIR_PAGE))


def test_the_shared_screens_next_skips_an_undecided_item(chair):
    response = submit(chair, SCREEN, {"application": "CA-001"},
                      action=f"{CHAIR_PAGE}/next")
    assert response.headers["Location"].endswith(SCREEN)
    meeting = db.session.scalar(sa.select(Meeting))
    db.session.refresh(meeting)
    assert meeting.current_application.reference == "CA-002"
    assert [e.after["application"] for e in events("meeting.item_skipped")] == ["CA-001"]
    # A "next" pressed for an item the meeting already left changes nothing.
    submit(chair, SCREEN, {"application": "CA-001"}, action=f"{CHAIR_PAGE}/next")
    db.session.refresh(meeting)
    assert meeting.current_application.reference == "CA-002"


def test_the_screen_has_no_site_header_and_the_lone_member_rule_holds(chair):
    page = chair.get(SCREEN).get_data(as_text=True)
    assert 'class="fp-header"' not in page and 'class="fp-nav"' not in page
    words = text(chair.get(SCREEN))
    assert "Lived experience one panellist — not shown separately" in words
    assert "Academic 3 panellists — not shown, so the smaller group's score cannot be " \
           "worked out" in words
    assert "81.7" not in words and "fp-strip__group" not in page
    assert "Score now Not shown" in words  # equal groups: 40.8 would give 0.0 away


# Writing a comment for the chair only ---------------------------------------------------------

BASE = "/my-rounds/test-round/A1"


def test_a_panellist_marks_a_comment_for_the_chair_only(app, mailbox):
    scoring_round(members=("amira@example.org",))
    amira = signed_in(app, mailbox, "amira@example.org")
    submit(amira, f"{BASE}/connection", {"answer": "none"})
    submit(amira, f"{BASE}/question/1", {"score": "4", "version": "0"})
    page = text(amira.get(f"{BASE}/comment"))
    assert "Only the chair may read this" in page
    assert "The chair reads it in the meeting but cannot show it to the panel." in page
    sheet = db.session.scalar(sa.select(ScoreSheet))
    response = submit(amira, f"{BASE}/comment", {"comment": "My cousin runs it",
                                                 "for_chair": "y", "version": sheet.version})
    assert response.headers["Location"].endswith(f"{BASE}/check")
    db.session.refresh(sheet)
    assert (sheet.comment, sheet.comment_for_chair) == ("My cousin runs it", True)
    [event] = [e for e in events("sheet.saved") if opened(e).after.get("comment")]
    assert event.after["comment_for_chair"] is True
    box = re.search(r'<input[^>]*name="for_chair"[^>]*>',
                    amira.get(f"{BASE}/comment").get_data(as_text=True)).group(0)
    assert re.search(r"\schecked[\s>]", box), box
    # Unticked, it is for the panel again.
    submit(amira, f"{BASE}/comment", {"comment": "My cousin runs it",
                                      "version": sheet.version})
    db.session.refresh(sheet)
    assert sheet.comment_for_chair is False
