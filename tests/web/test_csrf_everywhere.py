"""CSRF on every state-changing request (issue 8, DESIGN.md §9 "Safe").

Every rule of ``app.url_map`` that accepts POST (or PUT, PATCH, DELETE) is in ``POSTS``
below, with the person who would send it and a body they might send. Each is sent three
times without a good token: with no token, with a made-up one, and with a real token
taken from somebody else's session (what a forging site could get hold of). Every
attempt must get the "This form has expired" page with 400, and the database, the
outbox and the parked uploads must be exactly as they were. A rule missing from
``POSTS`` fails :func:`test_every_state_changing_route_is_in_the_table` by name.

The CSRF check runs before any view (Flask-WTF's ``CSRFProtect``, in ``before_request``),
so a 400 "form has expired" page also shows that the URL matched its rule: an unknown
URL would be a 404.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from panel.bundle import uploads
from panel.extensions import db
from panel.rounds.models import PanelMember
from panel.rounds.queries import round_by_slug
from panel.scoring import queries as scoring_queries
from panel.scoring import services as scoring
from tests.builders import people
from tests.builders.every_page import DRAFT, SCORING, World, database_rows
from tests.builders.worked import SLUG as MEETING_SLUG
from tests.support.web import csrf_token, submit

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
EXPIRED = "This form has expired"
NEW_PASSWORD = "a brand new pass phrase"


@dataclass(frozen=True)
class Post:
    """One state-changing request: who sends it, where (``{name}`` filled from the
    world's values), and a body like the one their browser would send."""

    who: str
    urls: tuple[str, ...]
    body: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)  # field name -> (filename, bytes)
    json: dict | None = None  # a fetch() from static/js, token in a header


def post(who: str, *urls: str, files: dict | None = None, json: dict | None = None,
         **body) -> Post:
    return Post(who, urls, body, files or {}, json)


APPLICATIONS_CSV = (b"reference,title,lay_summary,requested_amount,applicant_name,"
                    b"organisation,contact_email\nB1,New project,What it does,20,Dee,Org,"
                    b"dee@org.example\n")
PANEL_CSV = b"email,name,group,role\nnew@panel.example,New Person,academic,panellist\n"
ROUND_ = f"/rounds/{SCORING}"
SETUP = f"/rounds/{DRAFT}/setup"
MINE = f"/my-rounds/{SCORING}/A1"
MEETING = f"/rounds/{MEETING_SLUG}/meeting"

POSTS: dict[str, Post] = {
    # Signing in and out
    "accounts.sign_in": post("anonymous", "/sign-in", email="amira@example.org"),
    "accounts.staff_sign_in": post("anonymous", "/sign-in/staff?next=/rounds/",
                                   email="officer@example.org", password=people.PASSWORD),
    "accounts.sign_in_with_link": post("anonymous", "/sign-in/link/{sign_in_link}"),
    "accounts.sign_in_code": post("past_password", "/sign-in/code", code="123456"),
    "accounts.sign_in_recovery_code": post("past_password", "/sign-in/recovery-code",
                                           code="abcd-efgh-jkmn-pqrs"),
    "accounts.invitation": post("anonymous", "/invitation/{invitation}",
                                password=NEW_PASSWORD, confirm=NEW_PASSWORD),
    "accounts.sign_out": post("officer", "/sign-out"),
    "accounts.keep_alive": post("panellist", "/session/keep-alive"),
    "accounts.choose_language": post("panellist", "/language", language="cy",
                                     next="/my-rounds"),
    # A staff member's own account
    "accounts.change_password": post("officer", "/account/password", current=people.PASSWORD,
                                     password=NEW_PASSWORD, confirm=NEW_PASSWORD),
    "accounts.set_up_second_factor": post("officer", "/account/two-step-sign-in",
                                          code="123456"),
    "accounts.new_recovery_codes": post("two_step", "/account/recovery-codes", code="123456"),
    # People
    "admin.invite": post("admin", "/admin/people/invite", name="Hannah Price",
                         email="hannah@example.org", roles=["auditor"]),
    "admin.person": post("admin", "/admin/people/{officer_id}", roles=["officer", "admin"]),
    "admin.person_action": post("admin", "/admin/people/{officer_id}/disable",
                                "/admin/people/{disabled_id}/enable",
                                "/admin/people/{officer_id}/resend"),
    "admin.reset_second_factor": post("admin", "/admin/people/{two_step_id}/"
                                               "reset-two-step-sign-in"),
    "admin.erase": post("admin", "/admin/people/{disabled_id}/erase",
                        reason="Asked to be forgotten", understood="y"),
    # Setting up a round
    "round_setup.create": post("officer", "/rounds/new", title="Another round",
                               description="", slug="another-round"),
    "round_setup.details": post("officer", f"{SETUP}/details", title="Renamed",
                                description="", scoring_deadline="2030-01-31"),
    "round_setup.scale": post("officer", f"{SETUP}/scale", scale_min="0", scale_max="10"),
    "round_setup.scale_descriptors": post("officer", f"{SETUP}/scale/descriptors",
                                          level_1="Poor", level_5="Excellent"),
    "round_setup.funding": post("officer", f"{SETUP}/funding", budget="5000",
                                funding_rule="skip"),
    "round_setup.rank_model": post("officer", f"{SETUP}/rank-model", rank_model="on"),
    "round_setup.blind": post("officer", f"{SETUP}/blind",
                              identifying_columns=["organisation"]),
    "round_setup.retention": post("officer", f"{SETUP}/retention", retention_months="24"),
    "round_setup.publishing": post("officer", f"{SETUP}/publishing",
                                   public_columns=["organisation"]),
    "round_setup.new_criterion": post("officer", f"{SETUP}/criteria/new", key="reach",
                                      name="Reach", weight="1", guidance=""),
    "round_setup.criterion": post("officer", f"{SETUP}/criteria/q", name="Quality of plan",
                                  weight="2", guidance=""),
    "round_setup.remove_criterion": post("officer", f"{SETUP}/criteria/n/remove"),
    "round_setup.move_criterion": post("officer", f"{SETUP}/criteria/n/move/up",
                                       f"{SETUP}/criteria/q/move/down"),
    "round_setup.groups": post("officer", f"{SETUP}/groups", weighting="equal_sheets"),
    "round_setup.new_group": post("officer", f"{SETUP}/groups/new", key="youth",
                                  label="Young people", weight="1"),
    "round_setup.group": post("officer", f"{SETUP}/groups/academic", label="Researchers",
                              weight="2"),
    "round_setup.remove_group": post("officer", f"{SETUP}/groups/academic/remove"),
    # Importing
    "round_import.applications": post("officer", f"/rounds/{DRAFT}/applications",
                                      files={"file": ("applications.csv", APPLICATIONS_CSV)}),
    "round_import.confirm_applications": post("officer", f"/rounds/{DRAFT}/applications/confirm",
                                              token="a-parked-upload"),
    "round_import.panellists": post("officer", f"/rounds/{DRAFT}/panel",
                                    files={"file": ("panellists.csv", PANEL_CSV)}),
    "round_import.confirm_panellists": post("officer", f"/rounds/{DRAFT}/panel/confirm",
                                            token="a-parked-upload"),
    "round_bundle.import_bundle": post("officer", "/rounds/import",
                                       files={"file": ("bundle.zip", b"PK\x05\x06" + bytes(18))}),
    "round_bundle.confirm_bundle": post("officer", "/rounds/import/confirm",
                                        token="a-parked-upload"),
    # Running a round
    "round_progress.assignments": post("officer", f"{ROUND_}/assignments", mode="everyone",
                                       reviewers="", apply="Apply"),
    "round_progress.reviewers": post("officer", f"{ROUND_}/assignments/A1",
                                     members=["{amira_member}"]),
    "round_progress.phase_forward": post("officer", f"{ROUND_}/phase/next",
                                         from_phase="scoring"),
    "round_progress.phase_back": post("officer", f"{ROUND_}/phase/back", from_phase="scoring",
                                      reason="Opened too early"),
    "round_progress.reminders": post("officer", f"{ROUND_}/reminders"),
    "scoring.assisted": post("officer", f"{ROUND_}/assisted/{{ben_member}}/A1", c_q="4",
                             c_n="3", comment="From the paper form", version="0",
                             action="submit"),
    # Conflicts
    "conflict_review.confirm": post("officer", f"{ROUND_}/conflicts/{{conflict_id}}/confirm"),
    "conflict_review.dismiss": post("officer", f"{ROUND_}/conflicts/{{conflict_id}}/dismiss",
                                    reason="A neighbour only"),
    "conflict_review.level": post("officer", f"{ROUND_}/conflicts/{{conflict_id}}/level",
                                  level="declared"),
    "conflict_review.add": post("officer", f"{ROUND_}/conflicts/new",
                                member="{amira_member}", reference="A2", kind="family_or_friend",
                                note="", level="step_out"),
    "profile.connections": post("panellist", "/my-connections",
                                connections="I volunteer at Org 2 CIC"),
    # A panellist scoring
    "scoring.connection": post("panellist", f"{MINE}/connection", answer="none"),
    "scoring.connection_kind": post("panellist", f"{MINE}/connection/kind", kind="family_or_friend",
                                    note="My cousin"),
    "scoring.question": post("panellist", f"{MINE}/question/1", score="4", version="0"),
    "scoring.comment": post("panellist", f"{MINE}/comment", comment="Strong plan",
                            version="0"),
    "scoring.check": post("panellist", f"{MINE}/check", version="0"),
    "scoring.whole_sheet": post("panellist", f"{MINE}/all", c_q="4", version="0",
                                action="save"),
    "scoring.pass_on": post("panellist", f"{MINE}/pass"),
    "scoring.save": post("panellist", f"{MINE}/save",
                         json={"version": 0, "scores": {"q": "4"}}),
    # Paying panellists for their time
    "payments.rate": post("officer", f"/rounds/{SCORING}/setup/payment/lived_experience",
                          hourly="25", meeting_fee="75"),
    "payments.approve": post("officer", f"/rounds/{MEETING_SLUG}/payments/{{follower_member}}"
                                        "/approve"),
    "payments.withdraw": post("officer", f"/rounds/{MEETING_SLUG}/payments/{{follower_member}}"
                                         "/withdraw"),
    "payments.my_choice": post("panellist", f"/my-time/{SCORING}/choice", choice="declined"),
    "payments.my_sheet_time": post("panellist", f"/my-time/{SCORING}/sheets/A1",
                                   minutes="40", note="Read it on paper"),
    "payments.my_meeting_time": post("follower", f"/my-time/{MEETING_SLUG}/meeting",
                                     minutes="90", note="I joined by phone"),
    # Downloads of a large round, made in the background
    "voice.prepare_download": post("officer", f"/rounds/{MEETING_SLUG}/report/prepare",
                                   what="csv"),
    # The meeting
    "meeting.start": post("chair", f"{MEETING}/start"),
    "meeting.outcome": post("chair", f"{MEETING}/outcome", application="A1", outcome="fund",
                            rationale="Reaches people no one else does"),
    "meeting.skip": post("chair", f"{MEETING}/skip", application="A1"),
    "meeting.move_on": post("chair", f"{MEETING}/next", application="A1"),
    "meeting.comment": post("chair", f"{MEETING}/comments/A", application="A1", show="yes"),
    "meeting.agenda_change": post("chair", f"{MEETING}/agenda/A3", action="up"),
    "meeting.prepare_draw": post("officer", f"/rounds/{MEETING_SLUG}/draw/prepare"),
    "voice.work_out_rank_model": post("officer", f"/rounds/{MEETING_SLUG}/report/rank-model"),
    "meeting.draw": post("chair", f"{MEETING}/draw", public_input="7 19 42"),
    "meeting.revise_question": post("follower", f"/meetings/{MEETING_SLUG}/revise/question/1",
                                    application="A1", score="3"),
    "meeting.revise_check": post("follower", f"/meetings/{MEETING_SLUG}/revise/check",
                                 application="A1", reason="I heard more about it"),
}


# The world the requests are sent in ---------------------------------------------------------


def someone_elses_token(world: World, who: str) -> str:
    """A genuine token, but issued to another session than ``who``'s."""
    other = "officer" if who != "officer" else "admin"
    return csrf_token(world.clients[other].get("/", follow_redirects=True)
                      .get_data(as_text=True))


def send(client, url: str, request: Post, body: dict, token: str | None):
    if request.json is not None:
        headers = {"X-CSRFToken": token} if token is not None else {}
        return client.post(url, json=request.json, headers=headers)
    data = dict(body)
    if token is not None:
        data["csrf_token"] = token
    for name, (filename, content) in request.files.items():
        data[name] = (io.BytesIO(content), filename)
    return client.post(url, data=data, content_type="multipart/form-data"
                       if request.files else None)


def refusal_text(response) -> str:
    """The page, or for the background save the message its JSON carries."""
    if response.is_json:
        return response.get_json().get("message", "")
    return response.get_data(as_text=True)


# The tests ---------------------------------------------------------------------------------

def test_every_state_changing_route_is_in_the_table(app):
    routes = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()
              if rule.methods & STATE_CHANGING}
    missing = sorted(f"{endpoint} ({rule})" for endpoint, rule in routes.items()
                     if endpoint not in POSTS)
    assert not missing, f"POST routes without a CSRF test: {missing}"
    gone = sorted(set(POSTS) - set(routes))
    assert not gone, f"in the table but no longer a POST route: {gone}"


def test_the_table_s_urls_are_the_routes_they_name(app, world):
    adapter = app.url_map.bind("localhost")
    for endpoint, request in POSTS.items():
        for url in world.urls(request):
            matched, _ = adapter.match(url.split("?")[0], method="POST")
            assert matched == endpoint, (url, matched)


def test_no_state_changing_request_works_without_its_csrf_token(app, world, mailbox,
                                                                 monkeypatch):
    parked = []
    monkeypatch.setattr(uploads, "park", lambda *args, **kwargs: parked.append(args))
    before, messages = database_rows(), len(mailbox.messages)
    let_through = []
    for endpoint, request in POSTS.items():
        client = world.clients[request.who]
        attempts = {"no token": None, "a made-up token": "IjEyMzQ1Ig.aBcDeF.not-a-real-token",
                    "another session's token": someone_elses_token(world, request.who)}
        for url in world.urls(request):
            for attempt, token in attempts.items():
                response = send(client, url, request, world.body(request), token)
                if response.status_code != 400 or EXPIRED not in refusal_text(response):
                    let_through.append(f"{endpoint} {url} with {attempt}: "
                                       f"{response.status_code}")
    assert not let_through, "\n".join(let_through)
    assert database_rows() == before
    assert len(mailbox.messages) == messages and parked == []


def test_the_refusal_says_what_to_do(world):
    response = world.clients["officer"].post("/rounds/new", data={"title": "Another round"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"<title>{EXPIRED} – FairPanel</title>" in page
    assert "reload the page and try again. Nothing has been changed." in page


def test_the_background_save_sends_the_token_in_a_header_and_that_works(app, world):
    """static/js/scoring.js posts JSON with the form's token in ``X-CSRFToken``; the app
    reads it there. Without it, the save is refused with a message the script shows."""
    script = Path(app.static_folder, "js", "scoring.js").read_text(encoding="utf-8")
    assert '"X-CSRFToken": token.value' in script
    panellist = world.clients["panellist"]
    submit(panellist, f"{MINE}/connection", {"answer": "none"})
    page = panellist.get(f"{MINE}/question/1").get_data(as_text=True)
    assert re.search(r'data-autosave="/my-rounds/test-round/A1/save"', page)
    refused = panellist.post(f"{MINE}/save", json={"version": 0, "scores": {"q": "4"}})
    assert refused.status_code == 400
    assert refused.get_json()["saved"] is False
    assert EXPIRED in refused.get_json()["message"]
    saved = panellist.post(f"{MINE}/save", json={"version": 0, "scores": {"q": "4"}},
                           headers={"X-CSRFToken": csrf_token(page)})
    assert saved.status_code == 200 and saved.get_json()["saved"] is True
    member = db.session.get(PanelMember, int(world.values["amira_member"]))
    sheet = scoring_queries.initial_sheet(member.id, round_by_slug(SCORING).applications[0].id)
    assert scoring.sheet_answers(sheet) == {"q": "4"}


def test_a_token_from_before_signing_in_no_longer_works_after(app, mailbox):
    """Signing in starts a new session, and with it a new token: a token planted before
    sign-in (login CSRF, session fixation) is worth nothing afterwards."""
    people.staff("officer@example.org", "officer")
    client = app.test_client()
    planted = csrf_token(client.get("/sign-in/staff").get_data(as_text=True))
    people.sign_in_staff(client, "officer@example.org")
    response = client.post("/rounds/new", data={"csrf_token": planted, "title": "X",
                                                "slug": "x", "description": ""})
    assert response.status_code == 400 and EXPIRED in response.get_data(as_text=True)
    assert round_by_slug("x") is None
