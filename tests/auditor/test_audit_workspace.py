"""The auditor's workspace (issue 7, DESIGN.md §7): the trail with filters, one
application's decision trail, the chain checked in the browser, and the CSV export.

One small round, built through the real services so every event is the one production
writes. Events, in the order they are written:

  officer, auditor accounts (user.created ×2, by "system: tests")
  round "Test round" (round.created), A1 £60 and A2 £50 (application.added ×2)
  Ada Academic, Lee Lived, Pat Minus (e-mail "-pat@panel.example": a formula to a
    spreadsheet), Chair Person: user.created then member.added, for each
  the officer assigns everyone (assignments.created) and opens scoring (round.phase_changed)
  Ada:  A1 "none" + saved q5 n4 + sent;  A2 "none" + saved q3 n3 + sent
  Lee:  A1 "none" + saved q2 n1 + sent;  A2 declares a local connection (conflict.declared),
        the officer dismisses it with a reason (conflict.dismissed), Lee saves q4 n5 + sends
  Pat:  A1 typed in by the officer from paper (sheet.saved, sheet.submitted by the
        officer); A2 passed (assignment.passed, by Pat)
  the officer moves to moderation; the chair starts the meeting (meeting.started) and A1 is
  taken first (meeting.item_opened: A1's gap, 84.375 − 18.75, beats A2's, 81.25 − 50);
  Lee revises A1 to q3 n2 with a reason (sheet.revised); the chair records "fund" with a
  rationale (decision.recorded), which takes the funded set to £110 of the £100 budget; the
  officer decides the round with a reason (round.over_budget_acknowledged,
  round.phase_changed, audit.anchored).

That is 6 + 1 + 2 + 4 (members) + 2 + 6 + 3 + 4 + 3 + 1 + 2 + 1 + 1 + 3 = 39 events, 33 of
them in the round (every one but the six accounts)."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from panel.accounts import services as accounts
from panel.audit.chain import canonical_json
from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.audit.services import record
from panel.auditor.queries import verify_chain
from panel.extensions import db
from panel.rounds import services as rounds
from tests.builders import people
from tests.builders.trail import (
    ADA,
    AUDITOR,
    CHAIR,
    DISMISS_REASON,
    LEE,
    OFFICER,
    RATIONALE,
    REVISION_REASON,
    SLUG,
    drop_triggers,
    forge,
)

ALL_EVENTS, ROUND_EVENTS = 39, 33


@pytest.fixture
def auditor(app, audited_round):
    client = app.test_client()
    people.sign_in_staff(client, AUDITOR)
    return client


def event_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def text_of(html: str) -> str:
    """The words of a page: inline tags vanish, block tags become spaces."""
    html = re.sub(r"</?(strong|span|a|em|code|time|br)\b[^>]*>", " ", html.replace("<wbr>", ""))
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#39;", "'")


def rows_of(html: str, table_id: str) -> list[str]:
    """The text of each body row of one table."""
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody", start):html.index("</tbody>", start)]
    return [text_of(row).strip() for row in re.findall(r"<tr\b.*?</tr>", body, re.S)]


def event_numbers(html: str, table_id: str = "events") -> list[int]:
    start = html.index(f'id="{table_id}"')
    body = html[html.index("<tbody", start):html.index("</tbody>", start)]
    return [int(n) for n in re.findall(r'<tr class="fp-table__row" id="event-(\d+)"', body)]


def actions_of(ids: list[int]) -> list[str]:
    events = {e.id: e.action for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.id.in_(ids)))}
    return [events[i] for i in ids]


# The scenario itself ----------------------------------------------------------------------

def test_the_round_writes_the_events_worked_out_above(audited_round):
    assert event_count() == ALL_EVENTS
    in_round = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.round_id == audited_round.id))
    assert in_round == ROUND_EVENTS
    assert verify_chain().ok


TIME = re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}")
A1_EVENTS = [4, 16, 17, 18, 22, 23, 24, 29, 30, 34, 35, 36]
A2_EVENTS = [5, 19, 20, 21, 25, 26, 27, 28, 31]
# Events 3 to 39 but the accounts of the panel (6, 8, 10, 12), which belong to no round.
ROUND_EVENT_IDS = [n for n in range(3, 40) if n not in (6, 8, 10, 12)]
assert len(ROUND_EVENT_IDS) == ROUND_EVENTS


def untimed(text: str) -> str:
    return TIME.sub("TIME", text)


def _head(chain: int) -> tuple[int, str]:
    last = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.chain == chain)
                              .order_by(AuditEvent.seq.desc()).limit(1)).one()
    return last.seq, last.hash


def hash_of(event_id: int) -> str:
    return db.session.get(AuditEvent, event_id).hash


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


# The trail ----------------------------------------------------------------------------------

def test_the_trail_shows_every_event_newest_first_with_who_what_and_values(auditor):
    html = page(auditor, "/audit/trail")
    assert "<h1" in html and html.count("<h1") == 1
    assert event_numbers(html) == list(range(ALL_EVENTS + 1, 0, -1))  # + the sign-in
    assert "40 events</caption>" in html
    rows = dict(zip(event_numbers(html), rows_of(html, "events")))
    assert untimed(rows[35]) == (
        "35 TIME lee@panel.example Lee Lived Score revised in the meeting sheet.revised "
        "Score sheet 6, revision 1 Lee Lived lee@panel.example A1: Project A1 (decision trail) "
        "In Test round Values of event 35 Before revision 0 scores q: 2; n: 1 After "
        f"revision 1 scores q: 3; n: 2 comment Not for us reason {REVISION_REASON} "
        f"application A1 Hash {hash_of(35)}")
    assert untimed(rows[29]) == (
        "29 TIME officer@example.org Olu Officer Score sheet saved as a draft sheet.saved "
        "Score sheet 5, initial Pat Minus -pat@panel.example A1: Project A1 (decision trail) "
        "In Test round Values of event 29 Before scores (none) comment (blank) After "
        "scores q: 4; n: 4 comment From the paper form assisted for -pat@panel.example "
        f"Hash {hash_of(29)}")
    assert untimed(rows[26]) == (
        "26 TIME officer@example.org Olu Officer Conflict dismissed conflict.dismissed "
        "Conflict 1 Lee Lived lee@panel.example A2: Project A2 (decision trail) In Test "
        "round Values of event 26 Before status pending review reason (blank) After status "
        f"dismissed review reason {DISMISS_REASON} Hash {hash_of(26)}")
    # A meeting event names its application in its values: linked all the same.
    assert untimed(rows[34]).startswith(
        "34 TIME chair@panel.example Chair Person Application taken in the meeting "
        "meeting.item_opened Meeting 1 A1 (decision trail) In Test round")
    assert untimed(rows[1]) == (
        "1 TIME system: tests Account created user.created Account 1 Olu Officer "
        "officer@example.org Values of event 1 After email officer@example.org name Olu "
        f"Officer roles officer Hash {hash_of(1)}")
    assert 'href="/audit/rounds/test-round/applications/A1"' in html
    assert "<time datetime=" in html and "Time (UTC)" in html
    assert 'class="fp-table-wrapper" tabindex="0" role="region"' in html


def test_the_trail_is_paged_fifty_events_at_a_time(auditor):
    for n in range(20):
        people.panellist(f"extra{n}@example.org", f"Extra {n}")
    first = page(auditor, "/audit/trail")
    assert "60 events (page 1 of 2)</caption>" in first
    assert event_numbers(first) == list(range(60, 10, -1))
    second = page(auditor, "/audit/trail?page=2")
    assert event_numbers(second) == list(range(10, 0, -1))
    assert 'href="/audit/trail?page=2"' in first
    # Out of range: the nearest page; nonsense: the first.
    assert event_numbers(page(auditor, "/audit/trail?page=99")) == list(range(10, 0, -1))
    assert event_numbers(page(auditor, "/audit/trail?page=x"))[0] == 60


@pytest.mark.parametrize("query,expected", [
    (f"round={SLUG}&reference=A1", A1_EVENTS[::-1]),
    (f"round={SLUG}&reference=A2", A2_EVENTS[::-1]),
    ("person=pat", [31, 30, 29, 11, 10]),
    ("person=PAT+MINUS", [31, 30, 29, 11, 10]),
    ("person=officer%40example.org", [39, 38, 37, 32, 30, 29, 26, 15, 14, 1]),
    ("person=system%3A+tests", [13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]),
    ("action=conflict.dismissed", [26]),
    ("action=all%3Aconflicts", [26, 25]),
    (f"round={SLUG}&person=lee&action=all%3Asheets", [35, 28, 27, 24, 23]),
    (f"round={SLUG}", ROUND_EVENT_IDS[::-1]),
])
def test_each_filter_narrows_the_trail(auditor, query, expected):
    assert event_numbers(page(auditor, f"/audit/trail?{query}")) == expected


def test_the_date_range_counts_whole_utc_days(auditor):
    times = db.session.execute(sa.select(sa.func.min(AuditEvent.occurred_at),
                                         sa.func.max(AuditEvent.occurred_at))).one()
    first, last = times[0].date(), times[1].date()
    html = page(auditor, f"/audit/trail?date_from={first}&date_to={last}")
    assert len(event_numbers(html)) == ALL_EVENTS + 1
    before = page(auditor, f"/audit/trail?date_to={first - timedelta(days=1)}")
    assert "No events match these filters." in before and 'id="events"' not in before
    after = page(auditor, f"/audit/trail?date_from={last + timedelta(days=1)}")
    assert "No events match these filters." in after


@pytest.mark.parametrize("query,messages", [
    ("round=no-such-round", ["Choose a round from the list"]),
    ("reference=A1", ["Choose the round that application A1 is in"]),
    (f"round={SLUG}&reference=A9", ["There is no application A9 in Test round"]),
    (f"round={SLUG}&reference={'A' * 61}",
     ["Application references are 60 characters or fewer"]),
    ("action=user.deleted", ["Choose an action from the list"]),
    ("date_from=2025-02-30&date_to=soon",
     ["Enter the start date as a date, for example 2025-03-31",
      "Enter the end date as a date, for example 2025-04-30"]),
    ("date_from=2025-04-02&date_to=2025-04-01",
     ["The end date must be the same as or after the start date"]),
    (f"person={'x' * 255}", ["Enter 254 characters or fewer for the person"]),
])
def test_a_bad_filter_gets_a_clear_message_and_no_trail(auditor, query, messages):
    before = event_count()
    html = page(auditor, f"/audit/trail?{query}")
    summary = html[html.index('class="fp-error-summary"'):html.index("</ul>", html.index(
        'class="fp-error-summary"'))]
    assert re.findall(r'<li><a href="#[a-z_]+">([^<]+)</a></li>', summary) == messages
    assert "<title>Error: Decision trail" in html
    assert "Fix the filters above to see the trail." in html and 'id="events"' not in html
    # The download refuses the same filters, records nothing and shows why.
    response = auditor.get(f"/audit/trail.csv?{query}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/audit/trail?")
    assert event_count() == before


# One application's decision trail ----------------------------------------------------------

def test_an_applications_trail_shows_its_identifying_fields_outcome_and_reviewers(auditor):
    html = page(auditor, f"/audit/rounds/{SLUG}/applications/A1")
    text = untimed(text_of(html))
    assert html.count("<h1") == 1
    assert "Test round A1: Project A1" in text
    for field, value in (("Applicant (identifying)", "Applicant 1"),
                         ("Organisation (identifying)", "Organisation 1 CIC"),
                         ("Contact e-mail (identifying)", "applicant1@org1.example"),
                         ("Asks for", "£60.00")):
        assert f"{field} {value}" in text
    assert (f"Outcome Fund Rationale {RATIONALE} Recorded by Chair Person "
            "(chair@panel.example) When TIME") in text
    start = html.index('id="reviewers-caption"')
    reviewers = [untimed(r) for r in rows_of(html[start - 200:], "reviewers-caption")]
    assert reviewers == [
        "Ada Academic ada@panel.example Academic TIME No connection TIME No",
        "Lee Lived lee@panel.example Lived experience TIME No connection TIME No",
        "Pat Minus -pat@panel.example Academic TIME Not answered No",
    ]
    assert "No conflict of interest was recorded on this application." in text


def test_an_applications_trail_shows_every_sheet_revision_and_who_entered_it(auditor):
    html = page(auditor, f"/audit/rounds/{SLUG}/applications/A1")
    assert ("4 score sheets, drafts and revisions included (scale 1 to 5)" in html)
    assert [untimed(r) for r in rows_of(html, "sheets-caption")] == [
        "Ada Academic ada@panel.example Academic Initial Sent 5 4 Strong plan – "
        "Started TIME Last saved TIME Sent TIME",
        "Lee Lived lee@panel.example Lived experience Initial Sent 2 1 Not for us – "
        "Started TIME Last saved TIME Sent TIME",
        "Lee Lived lee@panel.example Lived experience Revision 1 Sent 3 2 Not for us "
        f"{REVISION_REASON} Started TIME Last saved TIME Sent TIME",
        "Pat Minus -pat@panel.example Academic Initial Sent Entered by Olu Officer "
        "(officer@example.org) 4 4 From the paper form – Started TIME Last saved TIME "
        "Sent TIME",
    ]


def test_an_applications_events_come_in_chain_order_with_who_did_each(auditor):
    html = page(auditor, f"/audit/rounds/{SLUG}/applications/A1")
    assert event_numbers(html, "application-events") == A1_EVENTS
    assert actions_of(A1_EVENTS) == [
        "application.added",
        "assignment.connection_answered", "sheet.saved", "sheet.submitted",  # Ada
        "assignment.connection_answered", "sheet.saved", "sheet.submitted",  # Lee
        "sheet.saved", "sheet.submitted",  # Pat's paper sheet, typed in by the officer
        "meeting.item_opened", "sheet.revised", "decision.recorded"]
    who = [re.match(r"\d+ TIME (\S+)", untimed(row)).group(1)
           for row in rows_of(html, "application-events")]
    assert who == ["system:", ADA, ADA, ADA, LEE, LEE, LEE, OFFICER, OFFICER, CHAIR, LEE,
                   CHAIR]
    assert "12 events</caption>" in html
    assert (f'href="/audit/trail?round={SLUG}&amp;reference=A1"' in html
            and f'href="/audit/trail.csv?round={SLUG}&amp;reference=A1"' in html)


def test_a_dismissed_conflict_shows_its_review_and_a_pass_shows(auditor):
    html = page(auditor, f"/audit/rounds/{SLUG}/applications/A2")
    assert [untimed(r) for r in rows_of(html, "conflicts-caption")] == [
        "Lee Lived lee@panel.example Lived experience Neighbour or local connection My "
        "neighbour volunteers there Declared by the member TIME Step out Does not take "
        "them off now Dismissed by Olu Officer officer@example.org TIME Reason: "
        f"{DISMISS_REASON}"]
    reviewers = [untimed(r) for r in rows_of(html, "reviewers-caption")]
    assert reviewers[1] == ("Lee Lived lee@panel.example Lived experience TIME Declared a "
                            "connection (see conflicts) TIME No")
    assert reviewers[2] == "Pat Minus -pat@panel.example Academic TIME Not answered Passed TIME"
    assert "No outcome has been recorded for this application." in html
    assert event_numbers(html, "application-events") == A2_EVENTS
    assert actions_of(A2_EVENTS)[4:6] == ["conflict.declared", "conflict.dismissed"]


def test_a_round_lists_its_applications_with_their_outcomes_and_anchor(auditor):
    html = page(auditor, f"/audit/rounds/{SLUG}")
    assert rows_of(html, "applications") == [
        "A1: Project A1 Applicant 1 Organisation 1 CIC £60.00 4 0 Fund",
        "A2: Project A2 Applicant 2 Organisation 2 CIC £50.00 2 1 No outcome recorded",
    ]
    text = text_of(html)
    assert f"Events in its trail {ROUND_EVENTS} " in text
    assert (f"the trail ended at event 39 with hash {hash_of(39)}") in text
    assert 'href="/audit/rounds/test-round/applications/A2"' in html
    index = page(auditor, "/audit/")
    assert 'href="/audit/rounds/test-round">Test round</a>' in index
    assert 'href="/audit/trail"' in index and 'href="/audit/trail.csv"' in index


def test_unknown_rounds_and_applications_are_not_found(auditor):
    assert auditor.get("/audit/rounds/nope").status_code == 404
    assert auditor.get(f"/audit/rounds/{SLUG}/applications/A9").status_code == 404
    assert auditor.get("/audit/rounds/nope/applications/A1").status_code == 404


# Checking the chain in the browser --------------------------------------------------------

def test_verify_shows_the_whole_chain_and_the_anchor_holding(auditor):
    html = page(auditor, "/audit/verify")
    text = text_of(html)
    assert "The decision trail is whole" in html
    assert ("All 40 events match their hashes, and the trail still reaches every anchor."
            in text)
    # One chain for the round, one for the site (trail format 4): the fingerprint of
    # both heads, worked out by hand.
    round_head, site_head = (_head(1), _head(0))
    heads = ('{"round 1":[%d,"%s"],"site":[%d,"%s"]}' % (*round_head, *site_head))  # noqa: UP031
    assert (f"Fingerprint of every chain's head: {hashlib.sha256(heads.encode()).hexdigest()}"
            in text)
    assert round_head == (ROUND_EVENTS, hash_of(39)) and site_head[1] == hash_of(40)
    assert [r for r in rows_of(html, "anchors-caption")] == [
        f"Test round 39 {hash_of(39)} Holds"]
    assert 'href="/audit/verify">Check again</a>' in html


def test_verify_names_the_break_and_still_vouches_for_an_anchor_before_it(auditor):
    drop_triggers()
    db.session.execute(sa.text("UPDATE audit_events SET action = 'user.deleted' WHERE id = 40"))
    db.session.commit()
    html = page(auditor, "/audit/verify")
    text = text_of(html)
    assert "The chain breaks at event 40 (user.deleted)." in html
    assert "Its contents do not match its hash; it was altered." in text
    # Event 40 is the auditor's sign-in, the site chain's newest: every other event holds,
    # and so does the anchor, which listed the site chain's head before it.
    assert ("39 events are whole: those before it in its chain, and those of every other "
            "chain.") in text
    assert "Fingerprint of every chain's last whole event: " in text
    assert rows_of(html, "anchors-caption") == [f"Test round 39 {hash_of(39)} Holds"]


def test_verify_catches_a_rewritten_trail_by_its_anchor(auditor):
    """A forger rewrites event 26 (the dismissal's reason) and works out every hash after
    it again: the chain agrees with itself, but no longer reaches the anchor."""
    anchored = hash_of(39)
    drop_triggers()
    forge(db.session.get(AuditEvent, 26),
          after={"status": "dismissed", "review_reason": "Nothing to see"})
    assert verify_chain().ok
    html = page(auditor, "/audit/verify")
    text = text_of(html)
    assert "The decision trail has been rewritten" in html
    assert ("The trail no longer reaches the anchor taken when a round was decided." in text)
    assert rows_of(html, "anchors-caption") == [
        f"Test round 39 {anchored} Broken Event 39 now has hash {hash_of(39)}, not the "
        f"anchored {anchored}."]


# The CSV export ---------------------------------------------------------------------------

def download(client, query: str = ""):
    response = client.get(f"/audit/trail.csv{query}", buffered=True)
    assert response.status_code == 200, response.status_code
    return response, list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_export_has_one_row_per_event_in_chain_order(auditor):
    response, rows = download(auditor)
    assert rows[0] == ["id", "occurred_at", "actor", "action", "object_type", "object_id",
                       "round", "before", "after", "prev_hash", "hash"]
    assert [int(row[0]) for row in rows[1:]] == list(range(1, 41))  # not the export itself
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="audit-trail-to-event-40.csv"')
    assert response.mimetype == "text/csv"
    for row in rows[1:]:
        event = db.session.get(AuditEvent, int(row[0]))
        assert row[1] == event.occurred_at.isoformat(timespec="microseconds") + "Z"
        assert row[9:] == [event.prev_hash, event.hash]
    dismissed = rows[26]
    assert dismissed[2:9] == [
        OFFICER, "conflict.dismissed", "conflicts", "1", SLUG,
        '{"review_reason":"","status":"pending"}',
        '{"review_reason":"' + DISMISS_REASON + '","status":"dismissed"}']
    assert rows[1][6:9] == ["", "", canonical_json(
        {"email": OFFICER, "name": "Olu Officer", "roles": ["officer"]})]


def test_the_export_keeps_spreadsheet_formulas_from_running(auditor):
    _, rows = download(auditor, "?person=pat")
    assert [int(row[0]) for row in rows[1:]] == [10, 11, 29, 30, 31]
    passed = rows[-1]
    assert passed[2:9] == ["'-pat@panel.example", "assignment.passed", "assignments", "6",
                           SLUG, '{"passed":false}', '{"application":"A2","passed":true}']
    # Inside JSON the e-mail is not at the start of a cell: left as it is.
    assert '"user":"-pat@panel.example"' in rows[2][8]


def test_the_export_is_recorded_with_its_filters_before_it_is_sent(auditor):
    before = event_count()
    response, rows = download(auditor, f"?round={SLUG}&reference=A2&person=lee")
    assert [int(row[0]) for row in rows[1:]] == [25, 26, 27, 28]
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="audit-trail-{SLUG}-to-event-40.csv"')
    assert event_count() == before + 1
    exported = db.session.get(AuditEvent, 41)
    assert (exported.action, opened(exported).who, exported.object_type,
            exported.round_id) == ("audit.exported", AUDITOR, "rounds",
                                   db.session.get(AuditEvent, 3).round_id)
    assert opened(exported).after == {"format": "csv", "up_to_event": 40, "filters": {
        "round": SLUG, "reference": "A2", "person": "lee", "action": None, "from": None,
        "to": None}}
    assert verify_chain().ok
    # The next download includes the first one's record.
    _, again = download(auditor, "?action=audit.exported")
    assert [int(row[0]) for row in again[1:]] == [41]


# Who may look, and that looking changes nothing -------------------------------------------

AUDIT_PAGES = ["/audit/", "/audit/trail", f"/audit/trail?round={SLUG}&reference=A1",
               "/audit/trail.csv", f"/audit/rounds/{SLUG}",
               f"/audit/rounds/{SLUG}/applications/A1", "/audit/verify"]


def test_only_auditors_may_open_the_workspace(app, audited_round, mailbox):
    before = event_count()
    anonymous = app.test_client()
    for path in AUDIT_PAGES:
        response = anonymous.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith(
            "/sign-in"), path
    officer = app.test_client()
    people.sign_in_staff(officer, OFFICER)
    panellist = app.test_client()
    people.sign_in_by_link(panellist, mailbox, LEE)
    signed_in = event_count()
    assert signed_in > before
    for client in (officer, panellist):
        for path in AUDIT_PAGES:
            assert client.get(path, buffered=True).status_code == 403, path
    assert event_count() == signed_in  # no export was recorded for them


def test_reading_the_workspace_changes_nothing_but_a_download_is_recorded(auditor):
    before = event_count()
    for path in [*AUDIT_PAGES[:3], *AUDIT_PAGES[4:], "/audit/trail?person=pat&page=2",
                 "/audit/trail?round=nope", f"/audit/rounds/{SLUG}/applications/A2"]:
        auditor.get(path)
    assert event_count() == before
    download(auditor)
    assert event_count() == before + 1
    assert db.session.scalar(sa.select(AuditEvent.action).order_by(AuditEvent.id.desc())
                             .limit(1)) == "audit.exported"


# A fixed number of queries per page ---------------------------------------------------------

def statements(client, path: str) -> int:
    found = []

    def note(conn, cursor, statement, parameters, context, executemany):
        found.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note)
    return len(found)


def _more_of_everything(round_, count: int) -> None:
    """``count`` more applications, panellists and sheets: the trail grows by 4 × count."""
    officer = accounts.find_user(OFFICER)
    for n in range(count):
        application = rounds.add_application(None, round_, {
            "reference": f"B{n:03}", "title": f"More {n}", "requested_amount": 10},
            system="tests")
        record("application.noted", actor=officer, target=application, after={"n": n})
        user = accounts.create_account(None, email=f"more{n}@example.org", name=f"More {n}",
                                       system="tests")
        record("user.noted", actor=user, target=user)
    db.session.commit()


def test_each_page_costs_the_same_queries_whatever_the_trail_holds(auditor, audited_round):
    pages = {
        "trail": ["/audit/trail", "/audit/trail?action=decision.recorded",
                  "/audit/trail?action=all%3Asheets&person=lee"],
        "application": [f"/audit/rounds/{SLUG}/applications/A2",
                        f"/audit/rounds/{SLUG}/applications/A1"],
        "round": [f"/audit/rounds/{SLUG}"],
        "filtered by application": [f"/audit/trail?round={SLUG}&reference=A2",
                                    f"/audit/trail?round={SLUG}&reference=A1"],
    }
    small = {name: {statements(auditor, path) for path in paths} for name, paths in pages.items()}
    _more_of_everything(audited_round, 60)  # 240 more events, 60 more applications
    assert event_count() > 250
    large = {name: {statements(auditor, path) for path in paths} for name, paths in pages.items()}
    assert small == large
    assert all(len(counts) == 1 for counts in small.values()), small
    print("statements per page:", {name: counts.pop() for name, counts in small.items()})
