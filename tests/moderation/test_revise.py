"""Revising a score in the meeting, one question per screen (DESIGN.md §3, §6): the start
screen with the answers in the scale's words, one question per screen, the check screen
with old → new and the reason asked once, and the rules of services.revise_sheet.

Hand-worked round: scale 1–5 (Poor, Weak, Fair, Good, Excellent), criteria Quality
(weight 3), Need (weight 1) and Reach (weight 2); applications A1 and A2. Lived One's
sheet on A1 is q3 n2 r4, so S = 100 × (3×2 + 1×1 + 2×3) / (4 × 6) = 1300/24 = 54.17.
Changing Need from Weak (2) to Good (4) makes S = 100 × (6 + 3 + 6) / 24 = 62.5."""
from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.bundle import import_bundle
from panel.extensions import db
from panel.moderation import meeting as meetings
from panel.moderation import services
from panel.rounds.queries import round_by_slug
from panel.scoring.figures import round_figures
from panel.scoring.models import ScoreSheet
from panel.scoring.queries import member_of
from tests.builders import people
from tests.builders.sheets import revision
from tests.support.web import csrf_token

SLUG = "three-questions"
LIVED = "lived@panel.example"
CHAIR = "chair@panel.example"
WORDS = {"1": "Poor", "2": "Weak", "3": "Fair", "4": "Good", "5": "Excellent"}
ROUND = {
    "title": "Three questions", "slug": SLUG, "scale": {"min": 1, "max": 5, "descriptors": WORDS},
    "budget": 100, "funding_rule": "strict", "weighting": "equal_groups",
    "groups": [{"key": "academic", "label": "Academic", "weight": 1},
               {"key": "lived_experience", "label": "Lived experience", "weight": 1}],
    "criteria": [{"key": "q", "name": "Quality", "weight": 3, "guidance": "", "descriptors": {}},
                 {"key": "n", "name": "Need", "weight": 1, "guidance": "", "descriptors": {}},
                 {"key": "r", "name": "Reach", "weight": 2, "guidance": "", "descriptors": {}}],
}
FILES = {
    "round.json": json.dumps(ROUND),
    "applications.csv": "reference,title,lay_summary,requested_amount,applicant_name,"
                        "organisation,contact_email\n"
                        "A1,Garden club,Growing food,60,Ann,Org one,ann@one.example\n"
                        "A2,Walking group,Gentle walks,40,Bob,Org two,bob@two.example\n",
    "panellists.csv": "email,name,group,role\n"
                      "aca@panel.example,Academic One,academic,panellist\n"
                      f"{LIVED},Lived One,lived_experience,panellist\n"
                      f"{CHAIR},Chair Person,,chair\n",
    "scores.csv": "email,reference,stage,q,n,r,comment\n"
                  "aca@panel.example,A1,initial,5,5,5,\n"
                  "aca@panel.example,A2,initial,4,4,4,\n"
                  f"{LIVED},A1,initial,3,2,4,Only the chair should read this\n"
                  f"{LIVED},A2,initial,2,2,2,\n",
}
REVISE = f"/meetings/{SLUG}/revise"
CHECK = f"{REVISE}/check"


def question(number: int) -> str:
    return f"{REVISE}/question/{number}"


@pytest.fixture
def panel(app, tmp_path, mailbox):
    """The hand-worked round in moderation with the meeting on A1, and Lived One signed in."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    round_ = import_bundle(None, folder, system="tests")
    round_.phase = "moderation"
    db.session.commit()
    chair = member_of(people.user_named(CHAIR), round_)
    services.start_meeting(chair.user, round_)
    services.open_item(chair.user, meetings.meeting_of(round_), "A1")
    db.session.commit()
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, LIVED)
    return client


def text_of(html: str) -> str:
    html = re.sub(r"</?(strong|span|a|em)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def answer(client, number: int, score: str, application: str = "A1", then: str = ""):
    page = client.get(question(number) + then).get_data(as_text=True)
    return client.post(question(number) + then, data={
        "csrf_token": csrf_token(page), "application": application, "score": score})


def save(client, reason: str, application: str = "A1"):
    page = client.get(CHECK).get_data(as_text=True)
    return client.post(CHECK, data={"csrf_token": csrf_token(page), "application": application,
                                    "reason": reason})


def sheets_of_lived_on_a1() -> list[ScoreSheet]:
    member = member_of(people.user_named(LIVED), round_by_slug(SLUG))
    return db.session.scalars(sa.select(ScoreSheet).where(
        ScoreSheet.member_id == member.id,
        ScoreSheet.application.has(reference="A1")).order_by(ScoreSheet.revision)).all()


def values(sheet: ScoreSheet) -> dict[str, str]:
    return services.sheet_values(sheet, round_by_slug(SLUG))


def lived_score_on_a1() -> float:
    counting = round_figures(round_by_slug(SLUG)).counting
    member = member_of(people.user_named(LIVED), round_by_slug(SLUG))
    row = counting[(counting["reference"] == "A1") & (counting["member"] == member.id)]
    return float(row["score"].iloc[0])


# The whole way through ----------------------------------------------------------------------

def test_changing_one_answer_of_three_makes_the_hand_worked_new_score(panel):
    assert lived_score_on_a1() == pytest.approx(1300 / 24)
    start = text_of(panel.get(REVISE).get_data(as_text=True))
    assert "Quality Fair – 3 of 5 Change your answer to Quality" in start
    assert "Need Weak – 2 of 5 Change" in start and "Reach Good – 4 of 5 Change" in start
    # Starting at the question they want to change, then Next through the rest.
    page = panel.get(question(2)).get_data(as_text=True)
    assert "Question 2 of 3" in page
    assert re.search(r'<input checked[^>]*name="score"[^>]*value="2"', page)
    assert "2 – Weak" in page and "I don&#39;t feel able to score this" in page
    response = answer(panel, 2, "4")
    assert response.status_code == 302 and response.headers["Location"] == question(3)
    response = answer(panel, 3, "4")
    assert response.headers["Location"] == CHECK
    check = text_of(panel.get(CHECK).get_data(as_text=True))
    assert "Need Was: Weak – 2 of 5 New: Good – 4 of 5" in check
    assert "Quality Fair – 3 of 5 (not changed)" in check
    assert "Reach Good – 4 of 5 (not changed)" in check
    response = save(panel, "  I heard how many people it reaches  ")
    assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{SLUG}"
    follow = text_of(panel.get(f"/meetings/{SLUG}").get_data(as_text=True))
    assert ("Your new score is saved: Quality – Fair – 3 of 5; Need – Good – 4 of 5; "
            "Reach – Good – 4 of 5. Your first score stays on record.") in follow
    first, newest = sheets_of_lived_on_a1()
    assert values(first) == {"q": "3", "n": "2", "r": "4"}  # kept on record
    assert (newest.stage, newest.revision, newest.status) == ("revised", 1, "submitted")
    assert values(newest) == {"q": "3", "n": "4", "r": "4"}
    assert newest.reason == "I heard how many people it reaches"
    assert lived_score_on_a1() == 62.5
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event.action == "sheet.revised"
    assert event.before["scores"] == {"q": 3, "n": 2, "r": 4} and event.before["revision"] == 0
    assert event.after["scores"] == {"q": 3, "n": 4, "r": 4}
    assert opened(event).after["reason"] == "I heard how many people it reaches"
    assert event.after["application"] == "A1" and event.after["revision"] == 1
    # The draft is gone once saved: the start screen shows the saved answers.
    again = text_of(panel.get(REVISE).get_data(as_text=True))
    assert "Need Good – 4 of 5 Change" in again and "not saved yet" not in again


def test_the_draft_is_kept_across_reloads_until_saved(panel):
    answer(panel, 1, "unable")
    for _ in range(2):  # a reload, or coming back after the signal dropped
        start = text_of(panel.get(REVISE).get_data(as_text=True))
        assert "Quality Not scored (changed, not saved yet)" in start
        assert "Check and save your new score" in start
        page = panel.get(question(1)).get_data(as_text=True)
        assert re.search(r'<input checked[^>]*name="score"[^>]*value="unable"', page)
    assert len(sheets_of_lived_on_a1()) == 1  # nothing saved yet


def test_change_from_the_check_screen_comes_back_to_it(panel):
    answer(panel, 3, "5")
    check = panel.get(CHECK).get_data(as_text=True)
    assert f'href="{question(1)}?then=check"' in check
    response = answer(panel, 1, "4", then="?then=check")
    assert response.headers["Location"] == CHECK
    text = text_of(panel.get(CHECK).get_data(as_text=True))
    assert "Quality Was: Fair – 3 of 5 New: Good – 4 of 5" in text
    assert "Reach Was: Good – 4 of 5 New: Excellent – 5 of 5" in text


def test_no_question_beyond_the_rubric(panel):
    assert panel.get(question(4)).status_code == 404
    assert panel.get(question(0)).status_code == 404


def test_the_comment_and_its_chair_only_choice_carry_over(panel):
    first = sheets_of_lived_on_a1()[0]
    first.comment_for_chair = True
    db.session.commit()
    answer(panel, 2, "4")
    save(panel, "Heard more")
    newest = sheets_of_lived_on_a1()[-1]
    assert newest.comment == "Only the chair should read this"
    assert newest.comment_for_chair is True


# Refusals change nothing --------------------------------------------------------------------

def test_an_empty_reason_is_refused_and_changes_nothing(panel):
    answer(panel, 2, "4")
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    response = save(panel, "   ")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "There is a problem" in html
    assert '<a href="#reason">Say in a few words why you are changing your score</a>' in html
    assert "<title>Error: Check your new score" in html
    assert len(sheets_of_lived_on_a1()) == 1
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events
    # The new answer is still there, waiting for a reason.
    assert "New: Good – 4 of 5" in text_of(html)


def test_no_change_is_refused(panel):
    response = save(panel, "Just checking")
    assert response.status_code == 409
    assert "You have not changed any score." in response.get_data(as_text=True)
    assert len(sheets_of_lived_on_a1()) == 1


def test_a_question_needs_an_answer(panel):
    page = panel.get(question(2)).get_data(as_text=True)
    response = panel.post(question(2), data={"csrf_token": csrf_token(page),
                                             "application": "A1"})
    assert response.status_code == 400
    assert "Choose a score, or choose" in response.get_data(as_text=True)


def test_a_score_saved_on_another_device_meanwhile_is_not_overwritten(panel):
    answer(panel, 2, "4")
    check = panel.get(CHECK).get_data(as_text=True)
    # Meanwhile, on their laptop, the same panellist changes Quality to 5.
    round_ = round_by_slug(SLUG)
    member = member_of(people.user_named(LIVED), round_)
    revision(member, meetings.meeting_of(round_), "Changed on my laptop", q=5)
    response = panel.post(CHECK, data={"csrf_token": csrf_token(check), "application": "A1",
                                       "reason": "Changed on my phone"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert ("You changed this score on another device or tab. Here is what is saved now."
            in html)
    text = text_of(html)
    assert "Quality Excellent – 5 of 5 (not changed)" in text  # what is saved now
    assert "Need Weak – 2 of 5 (not changed)" in text  # the phone's draft is dropped
    sheets = sheets_of_lived_on_a1()
    assert [s.revision for s in sheets] == [0, 1]
    assert sheets[-1].reason == "Changed on my laptop"
    assert values(sheets[-1]) == {"q": "5", "n": "2", "r": "4"}


def test_a_draft_begun_before_another_device_saved_is_dropped_with_a_plain_message(panel):
    answer(panel, 2, "4")
    round_ = round_by_slug(SLUG)
    member = member_of(people.user_named(LIVED), round_)
    revision(member, meetings.meeting_of(round_), "Changed on my laptop", r=5)
    text = text_of(panel.get(REVISE).get_data(as_text=True))
    assert "You changed this score on another device or tab." in text
    assert "Need Weak – 2 of 5 Change" in text and "Reach Excellent – 5 of 5" in text
    assert "not saved yet" not in text


def test_when_the_chair_has_moved_on_nothing_is_changed(panel):
    answer(panel, 2, "4")
    round_ = round_by_slug(SLUG)
    chair = member_of(people.user_named(CHAIR), round_)
    services.open_item(chair.user, meetings.meeting_of(round_), "A2")
    db.session.commit()
    events = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))
    page = panel.get(f"/meetings/{SLUG}").get_data(as_text=True)
    response = panel.post(CHECK, data={"csrf_token": csrf_token(page), "application": "A1",
                                       "reason": "Heard more"})
    assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{SLUG}"
    follow = text_of(panel.get(f"/meetings/{SLUG}").get_data(as_text=True))
    assert ("The chair has moved on to another application, so your score was not changed."
            in follow)
    assert len(sheets_of_lived_on_a1()) == 1
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == events
    # A question sent for the old item is refused the same way.
    response = panel.post(question(1), data={"csrf_token": csrf_token(page),
                                             "application": "A1", "score": "5"})
    assert response.status_code == 302
    assert "The chair has moved on" in panel.get(f"/meetings/{SLUG}").get_data(as_text=True)
    # The A1 draft did not follow them to A2.
    assert "not saved yet" not in panel.get(REVISE).get_data(as_text=True)


def test_the_live_region_says_when_the_item_has_closed(panel):
    page = panel.get(question(2)).get_data(as_text=True)
    assert f'data-live-url="{REVISE}?item=A1"' in page
    live = panel.get(f"{REVISE}?item=A1&since=0")
    assert live.status_code == 200 and "moved on" not in live.get_data(as_text=True)
    version = int(live.headers["X-Live-Version"])
    assert panel.get(f"{REVISE}?item=A1&since={version}").status_code == 204
    round_ = round_by_slug(SLUG)
    chair = member_of(people.user_named(CHAIR), round_)
    services.skip_item(chair.user, meetings.meeting_of(round_))
    db.session.commit()
    live = panel.get(f"{REVISE}?item=A1&since={version}").get_data(as_text=True)
    assert "The chair has moved on to another application." in live


def test_the_chair_has_no_score_to_revise(panel, app, mailbox):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, CHAIR)
    for path in (REVISE, question(1), CHECK):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"] == f"/meetings/{SLUG}"
