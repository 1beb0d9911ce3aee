"""The moderation meeting (DESIGN.md §6) on DESIGN's worked example: the agenda, the
item as the chair and the panel see it, revised scores, outcomes and the live region.

Worked example, final scores at the start of the meeting (lived experience has already
revised A3 in the bundle): A1 academic 87.5 (sheets 100 and 75), lived 0 → 43.75;
A2 academic 50, lived 100 → 75; A3 academic 75, lived 100 → 87.5. Budget £100, strict:
A3 (£40) and A2 (£50) funded, the line under rank 2 at £90."""
from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.bundle import export_bundle
from panel.extensions import db
from panel.moderation import agenda, presenters, services
from panel.moderation import meeting as meetings
from panel.moderation.models import Decision, Meeting
from panel.reports import report
from panel.rounds.queries import round_by_slug
from panel.scoring import rules
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.builders.meetings import ACADEMIC, CHAIR, LIVED, sign_in, started
from tests.builders.worked import SLUG
from tests.support.web import csrf_token, submit

IDENTIFYING = ("Ann", "Org one", "ann@one.example", "Bob", "bob@two.example", "Cat")
NAMES = ("Academic One", "Academic Two", "Lived One")


def current_reference() -> str | None:
    meeting = db.session.scalar(sa.select(Meeting))
    db.session.refresh(meeting)
    return meeting.current_application.reference if meeting.current_application else None


def text_of(html: str) -> str:
    """The words of a page: inline tags vanish, block tags become spaces."""
    html = re.sub(r"</?(strong|span|a|em)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def form_for(html: str, action: str) -> str:
    """The form posting to ``action`` (its hidden application field included)."""
    start = html.index(f'action="{action}"')
    return html[start:html.index("</form>", start)]


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}"[^>]*value="([^"]*)"', html).group(1)


def revise_on_screens(client, answers: dict[int, str], reason: str, application: str = "A1"):
    """A panellist's revision the way their phone sends it: each question to change on its
    own screen, then the reason once on the check screen. The first refused response, else
    the check screen's answer."""
    for number, score in answers.items():
        path = f"/meetings/{SLUG}/revise/question/{number}"
        page = client.get(path).get_data(as_text=True)
        response = client.post(path, data={"csrf_token": csrf_token(page),
                                           "application": application, "score": score})
        if response.status_code != 302:
            return response
    path = f"/meetings/{SLUG}/revise/check"
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page), "application": application,
                                   "reason": reason})


# The agenda ------------------------------------------------------------------------------------

def test_the_default_agenda_puts_the_largest_gap_first_then_the_funding_line():
    # Hand-made ranking: B and C tie on a 30-point gap; C's spread is wider, so C first.
    # D and E have no gap and no spread: the one nearer the line (E, rank 3, just under
    # the line drawn under rank 2) before D (rank 5). F has no score: last.
    table = pd.DataFrame({"rank": pd.array([4, 1, 2, 5, 3, None], dtype="Int64"),
                          "funded": [False, True, True, False, False, False]},
                         index=pd.Index(list("ABCDEF"), name="reference"))
    groups = pd.DataFrame({"academic": [60, 90, 80, 50, 55, None],
                           "lived": [40, 60, 50, 50, 55, None]}, index=table.index)
    counting = pd.DataFrame({"reference": list("ABBCCDE"),
                             "score": [40, 60, 90, 20, 100, 50, 55]})
    ranking = rules.Ranking(table, groups, groups.notna().astype(int))
    assert agenda.default_order(ranking, counting) == ["C", "B", "A", "E", "D", "F"]
    figures = agenda.disagreement(ranking, counting)
    assert figures.loc["A", "gap"] == 20 and figures.loc["C", "spread"] == 80


def test_starting_the_meeting_writes_the_agenda_and_opens_the_first_item(meeting_round, chair):
    html = started(chair)
    # A1: gap 87.5, A2: 50, A3: 25
    meeting = db.session.scalar(sa.select(Meeting))
    assert [item.application.reference for item in meeting.items] == ["A1", "A2", "A3"]
    assert current_reference() == "A1"
    assert "A1: Project one" in html and "Application 1 of 3" in html
    agenda_html = chair.get(f"/rounds/{SLUG}/meeting/agenda").get_data(as_text=True)
    text = text_of(agenda_html)
    assert "0 of 3 decided" in text
    assert re.search(r"1 A1: Project one Now 87.5 100.0 3", text)
    assert re.search(r"2 A2: .* Waiting 50.0 50.0 2", text)
    # Starting twice changes nothing.
    submit(chair, f"/rounds/{SLUG}/meeting", action=f"/rounds/{SLUG}/meeting/start")
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 1


def test_the_chair_sees_the_item_with_its_figures_and_no_identifying_field(meeting_round, chair):
    html = started(chair)
    text = text_of(html)
    assert "Score now 43.8 out of 100" in text
    assert "Rank now 3 of 3" in text
    assert "Not funded on the scores now" in text
    assert "The line is under rank 2: £90 of the £100 budget." in text
    # One lived-experience sheet: the chair sees its figures, and is told the room does not.
    assert "Academic 87.5 from 2 panellists" in text
    assert ("Lived experience 0.0 from one panellist Only you see this. The room sees "
            "“one panellist — not shown separately”.") in text
    assert "Academic scored 87.5 points higher than Lived experience." in text
    assert ("The shared screen and panellists' phones show letters without group names, and "
            "no group scores or gap for this application, because a group has fewer than 2 "
            "panellists scoring it.") in text
    assert "3 scores, from 0.0 to 100.0 out of 100" in text
    marks = re.findall(r'<span class="fp-strip__letter">([A-C])</span>\s*'
                       r'<span class="fp-strip__text"><strong class="fp-strip__score">'
                       r'([\d.]+)</strong> <span class="fp-strip__group">([^<]+)</span>', html)
    assert sorted((group, score) for _, score, group in marks) == [
        ("Academic", "100.0"), ("Academic", "75.0"), ("Lived experience", "0.0")]
    assert sorted(letter for letter, _, _ in marks) == ["A", "B", "C"]
    assert "Nobody has stepped out of this application." in text
    for word in IDENTIFYING + NAMES:
        assert word not in text, word


def test_letters_stay_put_on_an_item_and_are_drawn_again_for_the_next(meeting_round, chair):
    started(chair)
    round_ = round_by_slug(SLUG)
    running = meetings.meeting_of(round_)
    panel = [m for m in round_.members if not m.is_chair]

    def own_letters():
        return {m.id: presenters.panellist_item(round_, running, m).own for m in panel}

    first = own_letters()
    assert first == own_letters()
    assert sorted(mark.letter for mark in first.values() if mark) == ["A", "B", "C"]
    assert [m.letter for m in presenters.chair_item(round_, running).marks] == ["A", "B", "C"]
    # Over many applications the same member does not always get the same letter.
    letters = {presenters.letter_for(sorted(range(3), key=lambda m: presenters._shuffle_key(
        a, m)).index(0)) for a in range(1, 40)}
    assert len(letters) == 3
    assert [presenters.letter_for(n) for n in (0, 25, 26, 27, 51, 52)] == [
        "A", "Z", "AA", "AB", "AZ", "BA"]


def test_each_audience_is_handed_its_own_item(meeting_round, chair):
    """The chair's item names who stepped out; the shared screen's and a panellist's
    hold no name and no member id at all (DESIGN.md §4): they are other types."""
    started(chair)
    round_ = round_by_slug(SLUG)
    running = meetings.meeting_of(round_)
    chair_view = presenters.chair_item(round_, running)
    screen_view = presenters.screen_item(round_, running)
    phone = presenters.panellist_item(round_, running,
                                      next(m for m in round_.members if not m.is_chair))
    assert isinstance(chair_view, presenters.ChairItem)
    assert type(screen_view) is presenters.SharedItem
    assert isinstance(phone, presenters.PanellistItem)
    for item in (screen_view, phone):
        assert not hasattr(item, "stepped_out") and not hasattr(item, "declared")
        text = repr(dataclasses.asdict(item))
        assert "member" not in text
        for word in NAMES:
            assert word not in text, word


def test_hidden_group_labels_leave_only_letters(meeting_round, chair):
    meeting_round.show_group_labels = False
    db.session.commit()
    html = started(chair)
    spread = html[html.index("How each person scored"):html.index('id="stepped-out"')]
    assert "Academic" not in spread and "Lived experience" not in spread
    assert "Group scores" in html  # the group scores themselves are still shown


def test_lived_experience_speaks_first_on_every_screen(meeting_round, chair, lived):
    meeting_round.lived_experience_first = True
    db.session.commit()
    words = "Lived experience members are invited to speak first."
    # The chair is told how many lived-experience panellists scored, and what to do.
    assert ("One panellist from Lived experience scored this. Invite them to speak first, "
            "before you open the discussion to everyone.") in text_of(started(chair))
    assert "You're invited to speak first." in text_of(
        lived.get(f"/meetings/{SLUG}").get_data(as_text=True))
    assert words in text_of(chair.get(f"/rounds/{SLUG}/meeting/screen").get_data(as_text=True))


# Conflicts in the meeting --------------------------------------------------------------------------

def test_stepped_out_members_are_named_for_the_chair_and_counted_for_others(
        meeting_round, chair, lived, mailbox, app, tmp_path):
    from panel.accounts.models import User
    from panel.conflicts.models import Conflict
    from panel.rounds.models import Application, PanelMember

    def member(email):
        return db.session.scalar(sa.select(PanelMember).join(User).where(User.email == email))

    a1 = db.session.scalar(sa.select(Application).where(Application.reference == "A1"))
    db.session.add_all([
        Conflict(member_id=member("aca2@panel.example").id, application_id=a1.id,
                 kind="work_or_volunteer", level="step_out", source="officer",
                 status="confirmed"),
        Conflict(member_id=member(LIVED).id, application_id=a1.id, kind="local",
                 details="I live on the same street", level="declared", source="declared",
                 status="confirmed"),
        Conflict(member_id=member(ACADEMIC).id, application_id=a1.id, kind="academic",
                 level="declared", source="suggested", status="pending"),
    ])
    db.session.commit()
    text = text_of(started(chair))
    assert "Stepped out (they take no part in this item): Academic Two." in text
    assert "Lived One: I am a neighbour, or have another local connection" in text
    assert "I live on the same street" in text
    assert "Academic One" not in text  # an unreviewed suggestion is not shown
    assert "2 scores, from 0.0 to 100.0" in text  # Academic Two's 75 no longer counts
    assert "Score now 50.0" in text  # (100 + 0) / 2
    panel_text = text_of(lived.get(f"/meetings/{SLUG}").get_data(as_text=True))
    assert "1 panel member has stepped out of this application." in panel_text
    assert "Academic Two" not in panel_text and "I live on the same street" not in panel_text
    stepped = sign_in(app.test_client(), mailbox, "aca2@panel.example")
    own = text_of(stepped.get(f"/meetings/{SLUG}").get_data(as_text=True))
    assert "You have stepped out of this application." in own
    assert "How each person scored" not in own
    assert stepped.get(f"/meetings/{SLUG}/revise").status_code == 302


# Revised scores ------------------------------------------------------------------------------------

def test_a_panellist_revises_their_score_with_a_reason(meeting_round, chair, lived):
    started(chair)
    page = lived.get(f"/meetings/{SLUG}").get_data(as_text=True)
    assert ("You said: Quality 1 of 5 Need 1 of 5 "
            "That makes 0.0 out of 100.") in text_of(page)
    start = text_of(lived.get(f"/meetings/{SLUG}/revise").get_data(as_text=True))
    # the current answers, in the scale's words
    assert "Quality 1 of 5 Change" in start and "Need 1 of 5 Change" in start
    response = revise_on_screens(lived, {1: "5", 2: "5"}, "I heard how many people it reaches")
    assert response.status_code == 302
    sheets = db.session.scalars(sa.select(ScoreSheet).join(ScoreSheet.application)
                                .where(ScoreSheet.application.has(reference="A1"))
                                .order_by(ScoreSheet.revision.desc())).all()
    newest = sheets[0]
    assert (newest.stage, newest.revision, newest.status) == ("revised", 1, "submitted")
    assert newest.reason == "I heard how many people it reaches"
    assert len([s for s in sheets if s.member.user.email == LIVED]) == 2  # initial kept
    # A1: (87.5 + 100) / 2 = 93.75 → rank 1; A1 (60) + A3 (40) = 100 funded, A2 not.
    text = text_of(chair.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True))
    assert "Score now 93.8 out of 100" in text
    assert "Rank now 1 of 3 (was 3 before the meeting)" in text
    assert "Funded on the scores now" in text
    assert "100.0 changed from 0.0" in text
    assert "Lived experience scored 12.5 points higher than Academic." in text
    follow = text_of(lived.get(f"/meetings/{SLUG}").get_data(as_text=True))
    assert "That makes 100.0 out of 100. (Your first score made 0.0.)" in follow
    # The initial figures are untouched; the report agrees with the meeting.
    result = report.round_report(round_by_slug(SLUG))
    a1 = next(a for a in result["applications"] if a["reference"] == "A1")
    assert a1["score"] == 93.75 and a1["rank"] == 1 and a1["initial"]["score"] == 43.75
    event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert event.action == "sheet.revised"
    assert "I heard how many people" in str(opened(event).after)


@pytest.mark.parametrize("answers, reason, message", [
    ({1: "5"}, "", "Say in a few words why you are changing your score"),
    ({1: "1", 2: "1"}, "Changed my mind", "You have not changed any score."),
    ({1: "9"}, "Changed my mind", "Not a valid choice"),
    ({1: "unable", 2: "unable"}, "Changed my mind", "Score at least one question."),
])
def test_a_bad_revision_says_what_to_fix_and_changes_nothing(meeting_round, chair, lived,
                                                             answers, reason, message):
    started(chair)
    before = db.session.scalar(sa.select(sa.func.count(ScoreSheet.id)))
    response = revise_on_screens(lived, answers, reason)
    assert response.status_code in (400, 409)
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert db.session.scalar(sa.select(sa.func.count(ScoreSheet.id))) == before


def test_a_revision_from_an_older_revision_is_refused(meeting_round, chair, lived):
    started(chair)
    round_ = round_by_slug(SLUG)
    member = next(m for m in round_.members if m.user.email == LIVED)
    with pytest.raises(services.MeetingError, match="on another device or tab"):
        services.revise_sheet(member.user, member, meetings.meeting_of(round_), 3,
                              {"q": "4", "n": "4"}, "Changed my mind")


def test_a_revision_for_an_item_the_chair_has_left_is_refused(meeting_round, chair, lived):
    started(chair)
    page = lived.get(f"/meetings/{SLUG}/revise/question/1").get_data(as_text=True)
    lived.post(f"/meetings/{SLUG}/revise/question/1", data={
        "csrf_token": csrf_token(page), "application": "A1", "score": "5"})
    check = lived.get(f"/meetings/{SLUG}/revise/check").get_data(as_text=True)
    skip = chair.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
    chair.post(f"/rounds/{SLUG}/meeting/skip", data={"csrf_token": csrf_token(skip),
                                                     "application": "A1"})
    assert current_reference() == "A2"
    response = lived.post(f"/meetings/{SLUG}/revise/check", data={
        "csrf_token": csrf_token(check), "application": "A1", "reason": "More"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(ScoreSheet.id)).where(
        ScoreSheet.revision > 0)) == 1  # only the bundle's revision of A3
    follow = lived.get(f"/meetings/{SLUG}").get_data(as_text=True)
    assert "The chair has moved on to another application" in follow
    # The live region on the old revise page says so too.
    live = lived.get(f"/meetings/{SLUG}/revise?item=A1&since=0").get_data(as_text=True)
    assert "The chair has moved on to another application." in live


def test_the_chair_and_those_without_a_sheet_cannot_revise(meeting_round, chair, app, mailbox):
    started(chair)
    assert chair.get(f"/meetings/{SLUG}/revise").status_code == 302
    round_ = round_by_slug(SLUG)
    running = meetings.meeting_of(round_)
    from panel.accounts.models import User
    from panel.scoring.queries import member_of

    chair_member = member_of(db.session.scalar(sa.select(User).where(User.email == CHAIR)), round_)
    with pytest.raises(services.MeetingError, match="The chair does not score"):
        services.revise_sheet(chair_member.user, chair_member, running, 0, {}, "x")
    # aca2 scored A1 but not A2: on A2 there is nothing to revise.
    services.open_item(chair_member.user, running, "A2")
    db.session.commit()
    aca2 = sign_in(app.test_client(), mailbox, "aca2@panel.example")
    text = text_of(aca2.get(f"/meetings/{SLUG}").get_data(as_text=True))
    assert "You did not score this application." in text and "Change your score" not in text


# Outcomes and moving on ------------------------------------------------------------------------------

def record(client, outcome, rationale="", application=None):
    html = client.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
    form = form_for(html, f"/rounds/{SLUG}/meeting/outcome")
    return client.post(f"/rounds/{SLUG}/meeting/outcome", data={
        "csrf_token": csrf_token(html), "application": application or hidden(form, "application"),
        "outcome": outcome, "rationale": rationale})


def test_the_chair_records_outcomes_and_moves_through_the_agenda(meeting_round, chair):
    started(chair)
    response = record(chair, "fund", "Strong community support in the meeting")
    assert response.status_code == 302
    assert current_reference() == "A2"
    html = chair.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
    assert "Outcome recorded for A1: Fund." in html
    # Skip A2, decide A3, and the meeting comes back to A2.
    chair.post(f"/rounds/{SLUG}/meeting/skip", data={"csrf_token": csrf_token(html),
                                                     "application": "A2"})
    assert current_reference() == "A3"
    assert record(chair, "keep").status_code == 302  # keep needs no rationale
    assert current_reference() == "A2"
    assert record(chair, "no_consensus", "Split down the middle").status_code == 302
    assert current_reference() is None
    done = text_of(chair.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True))
    assert "Every application on the agenda has an outcome" in done
    decisions = dict(db.session.execute(sa.select(Decision.application_id, Decision.outcome)
                                        .order_by(Decision.application_id)).all())
    assert sorted(decisions.values()) == ["fund", "keep", "no_consensus"]
    actions = list(db.session.scalars(sa.text(
        "SELECT action FROM audit_events WHERE action LIKE 'meeting.%' OR "
        "action = 'decision.recorded' ORDER BY id")))
    assert actions == ["meeting.started", "meeting.item_opened", "decision.recorded",
                       "meeting.item_opened", "meeting.item_skipped", "meeting.item_opened",
                       "decision.recorded", "meeting.item_opened", "decision.recorded",
                       "meeting.item_closed"]
    # A1 fund: final funded A1 (60) + A2 (50) + A3 (40) = £150, over the £100 budget.
    result = report.round_report(round_by_slug(SLUG))
    assert [o["reference"] for o in result["overrides"]] == ["A1"]
    assert result["warnings"] == ["After the panel's decisions the funded applications ask "
                                  "for £150.00, over the budget of £100.00."]


@pytest.mark.parametrize("outcome, rationale, message", [
    ("", "", "Choose what the panel decided"),
    ("fund", "", "Write the reason for this outcome."),
    ("do_not_fund", "  ", "Write the reason for this outcome."),
    ("maybe", "x", "Not a valid choice"),
])
def test_a_bad_outcome_says_what_to_fix_and_changes_nothing(meeting_round, chair, outcome,
                                                            rationale, message):
    started(chair)
    response = record(chair, outcome, rationale)
    assert response.status_code in (400, 409)
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html
    assert db.session.scalar(sa.select(sa.func.count(Decision.id))) == 0
    assert current_reference() == "A1"


def test_an_outcome_for_an_item_already_left_is_refused(meeting_round, chair):
    started(chair)
    html = chair.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
    record(chair, "keep")
    assert current_reference() == "A2"
    response = chair.post(f"/rounds/{SLUG}/meeting/outcome", data={
        "csrf_token": csrf_token(html), "application": "A1", "outcome": "fund",
        "rationale": "Late"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Decision.outcome)) == "keep"
    assert current_reference() == "A2"


def test_the_chair_reorders_the_agenda_and_returns_to_an_item(meeting_round, chair):
    started(chair)
    html = chair.get(f"/rounds/{SLUG}/meeting/agenda").get_data(as_text=True)
    token = csrf_token(html)

    def act(reference, action):
        return chair.post(f"/rounds/{SLUG}/meeting/agenda/{reference}",
                          data={"csrf_token": token, "action": action})

    act("A3", "next")  # A1, A3, A2
    act("A1", "down")  # A3, A1, A2
    act("A2", "up")    # A3, A2, A1
    act("A3", "up")    # already first: nothing changes
    meeting = db.session.scalar(sa.select(Meeting))
    db.session.refresh(meeting)
    assert [i.application.reference for i in sorted(meeting.items, key=lambda i: i.position)] \
        == ["A3", "A2", "A1"]
    assert current_reference() == "A1"
    assert act("A2", "open").status_code == 302
    assert current_reference() == "A2"
    assert act("Z9", "open").status_code == 302
    assert "Z9 is not on this meeting" in chair.get(
        f"/rounds/{SLUG}/meeting/agenda").get_data(as_text=True)


# Who may do what ----------------------------------------------------------------------------------

def test_only_the_chair_and_officers_run_the_meeting(meeting_round, chair, lived, app, officer):
    started(chair)
    assert lived.get(f"/rounds/{SLUG}/meeting").status_code == 403
    assert lived.get(f"/rounds/{SLUG}/meeting/agenda").status_code == 403
    html = lived.get(f"/meetings/{SLUG}").get_data(as_text=True)
    assert lived.post(f"/rounds/{SLUG}/meeting/skip", data={
        "csrf_token": csrf_token(html), "application": "A1"}).status_code == 403
    assert current_reference() == "A1"
    stranger = app.test_client()
    people.staff("auditor@example.org", "auditor")
    people.sign_in_staff(stranger, "auditor@example.org")
    assert stranger.get(f"/rounds/{SLUG}/meeting").status_code == 404
    assert stranger.get(f"/meetings/{SLUG}").status_code == 404
    assert officer.get(f"/rounds/{SLUG}/meeting").status_code == 200
    assert officer.get(f"/rounds/{SLUG}/meeting/screen").status_code == 200


def test_the_meeting_runs_only_in_moderation(meeting_round, chair):
    meeting_round.phase = "scoring"
    db.session.commit()
    html = chair.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
    assert "The meeting can start when scoring has closed" in html
    response = chair.post(f"/rounds/{SLUG}/meeting/start", data={"csrf_token": csrf_token(html)})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Meeting.id))) == 0


# Live updates ----------------------------------------------------------------------------------------

def test_the_live_region_answers_204_until_something_changes(meeting_round, chair, lived):
    started(chair)
    page = lived.get(f"/meetings/{SLUG}")
    version = int(page.headers["X-Live-Version"])
    assert f'data-live-version="{version}"' in page.get_data(as_text=True)
    quiet = lived.get(f"/meetings/{SLUG}?since={version}")
    assert quiet.status_code == 204 and quiet.get_data() == b""
    record(chair, "keep")
    changed = lived.get(f"/meetings/{SLUG}?since={version}")
    assert changed.status_code == 200 and int(changed.headers["X-Live-Version"]) > version
    fragment = changed.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div data-item="A2"')
    assert "<html" not in fragment and "A2" in fragment
    assert "Being talked about now" in fragment


# The bundle ---------------------------------------------------------------------------------------------

def test_revisions_and_outcomes_from_the_meeting_export_in_the_bundle(meeting_round, chair,
                                                                      lived, tmp_path):
    started(chair)
    revise_on_screens(lived, {1: "5", 2: "unable"}, "Heard more")
    record(chair, "fund", "=Community need")
    export_bundle(round_by_slug(SLUG), tmp_path / "out", system="tests")
    scores = (tmp_path / "out" / "scores.csv").read_text()
    assert f'"{LIVED}","A1","revised",5,"",""' in scores
    decisions = (tmp_path / "out" / "decisions.csv").read_text()
    assert "'=Community need" in decisions and '"A1","fund"' in decisions
