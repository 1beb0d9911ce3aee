"""The panellist's scoring pages through the test client: the connection question first,
one question per page, save and resume, check and submit, stale saves, passing, phases."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from panel.accounts.models import User
from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.rounds.models import Application, Assignment, PanelMember
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.builders.rounds import scoring_round
from tests.support.web import csrf_token, submit

BASE = "/my-rounds/test-round/A1"


def signed_in(app, mailbox, email="amira@example.org"):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    return client


@pytest.fixture
def amira(app, mailbox):
    scoring_round(members=("amira@example.org", "bea@example.org"))
    return signed_in(app, mailbox)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def checked(page: str) -> list[str]:
    """The values of the radios ticked on ``page``."""
    return [re.search(r'value="([^"]*)"', tag).group(1)
            for tag in re.findall(r"<input[^>]*>", page) if re.search(r"\schecked[\s>]", tag)]


def answer_no(client):
    return submit(client, f"{BASE}/connection", {"answer": "none"})


def sheet() -> ScoreSheet | None:
    return db.session.scalar(select(ScoreSheet))


def test_home_shows_progress_and_a_start_scoring_link(amira):
    page = text(amira.get("/my-rounds"))
    assert "0 of 1 done." in page and "1 still to do." in page
    assert f'href="{BASE}"' in page and "Start scoring" in page
    answer_no(amira)
    assert "Carry on" in text(amira.get("/my-rounds"))


def test_the_connection_question_comes_first(amira):
    response = amira.get(BASE)
    assert response.headers["Location"].endswith(f"{BASE}/connection")
    for page in ("application", "question/1", "comment", "check"):
        assert amira.get(f"{BASE}/{page}").headers["Location"].endswith("/connection"), page
    page = text(amira.get(f"{BASE}/connection"))
    assert "Do you have any connection to this project?" in page
    assert "A shared garden." in page and "a mill town" not in page  # only title and summary
    response = submit(amira, f"{BASE}/connection", {})
    assert "Choose No or Yes" in text(response)
    assert answer_no(amira).headers["Location"].endswith(f"{BASE}/application")
    assert "a mill town" in text(amira.get(f"{BASE}/application"))


def test_yes_asks_the_kind_then_steps_the_member_out_kindly(amira):
    response = submit(amira, f"{BASE}/connection", {"answer": "connected"})
    assert response.headers["Location"].endswith("/connection/kind")
    page = text(amira.get(f"{BASE}/connection/kind"))
    assert "I use their services" in page
    assert "Choose the kind of connection" in text(submit(amira, f"{BASE}/connection/kind", {}))
    declared = submit(amira, f"{BASE}/connection/kind",
                      {"kind": "family_or_friend", "note": "My cousin"})
    conflict = db.session.scalars(select(Conflict)).one()
    assert (conflict.level, conflict.status, conflict.details) == ("step_out", "pending", "My cousin")
    page = text(amira.get(declared.headers["Location"]))
    assert "You will not score this one" in page and "Thank you for telling us" in page
    assert amira.get(f"{BASE}/application").headers["Location"].endswith(BASE)
    response = amira.post(f"{BASE}/save", json={"version": 0, "scores": {"q": "3"}},
                          headers={"X-CSRFToken": csrf_token(page)})
    assert response.status_code == 409 and sheet() is None
    assert "Stepped out" in text(amira.get("/my-rounds/test-round"))


def test_score_save_resume_on_another_device_check_and_submit(app, mailbox, amira):
    answer_no(amira)
    page = text(amira.get(f"{BASE}/question/1"))
    assert "Quality" in page and "Question 1 of 2" in page
    assert "I don't feel able to score this" in page
    response = submit(amira, f"{BASE}/question/1", {})
    assert "Choose a score" in text(response)
    response = submit(amira, f"{BASE}/question/1", {"score": "4", "version": "0"})
    assert response.headers["Location"].endswith(f"{BASE}/question/2")

    phone = signed_in(app, mailbox)  # the same person on another device
    assert phone.get(BASE).headers["Location"].endswith(f"{BASE}/application")
    assert checked(text(phone.get(f"{BASE}/question/1"))) == ["4"]
    version = sheet().version
    submit(phone, f"{BASE}/question/2", {"score": "unable", "version": version})
    response = submit(phone, f"{BASE}/comment", {"comment": "Lovely idea", "version": version + 1})
    assert response.headers["Location"].endswith(f"{BASE}/check")
    page = text(phone.get(f"{BASE}/check"))
    assert "4 of 5" in page and "I don't feel able to score this" in page
    assert "Lovely idea" in page
    # "Change" on the check page comes back to it after saving, by the Back link too.
    change = re.search(r'href="([^"]*/question/1\?from=check)"', page).group(1)
    question = text(phone.get(change))
    assert f'href="{BASE}/check"' in question
    response = submit(phone, change, {"score": "5", "version": sheet().version})
    assert response.headers["Location"].endswith(f"{BASE}/check")
    page = text(phone.get(f"{BASE}/check"))
    assert "5 of 5" in page and "you will be able to change your scores" in page
    response = submit(phone, f"{BASE}/check")
    assert response.headers["Location"].endswith("/my-rounds/test-round")
    assert sheet().status == "submitted"
    page = text(amira.get(BASE))
    assert "Your scores have been sent" in page and "cannot be changed" in page
    assert amira.get(f"{BASE}/question/1").headers["Location"].endswith(BASE)
    assert "1 of 1 done." in text(amira.get("/my-rounds"))


def test_submit_needs_one_score(amira):
    answer_no(amira)
    submit(amira, f"{BASE}/question/1", {"score": "unable", "version": "0"})
    response = submit(amira, f"{BASE}/check")
    assert response.status_code == 409
    assert "Score at least one question, or pass on this application" in text(response)
    assert sheet().status == "draft"


def test_a_stale_save_is_refused_with_what_is_saved_now(amira):
    answer_no(amira)
    submit(amira, f"{BASE}/question/1", {"score": "4", "version": "0"})
    response = submit(amira, f"{BASE}/question/1", {"score": "2", "version": "0"})
    assert response.status_code == 409
    page = text(response)
    assert "You changed these scores on another device or tab. Here is what is saved now." in page
    assert f'value="{sheet().version}"' in page
    assert db.session.scalar(select(ScoreSheet.version)) == sheet().version
    assert {s.value for s in sheet().scores} == {4}


def test_a_double_submit_makes_one_sheet(amira):
    answer_no(amira)
    submit(amira, f"{BASE}/question/1", {"score": "3", "version": "0"})
    token = csrf_token(text(amira.get(f"{BASE}/check")))
    version = sheet().version
    first = amira.post(f"{BASE}/check", data={"csrf_token": token, "version": version})
    second = amira.post(f"{BASE}/check", data={"csrf_token": token, "version": version})
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ScoreSheet)) == 1
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "sheet.submitted")) == 1


def test_background_save_and_a_stale_one(amira):
    answer_no(amira)
    token = csrf_token(text(amira.get(f"{BASE}/question/1")))
    response = amira.post(f"{BASE}/save", json={"version": 0, "scores": {"q": "5"}},
                          headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.json["saved"]
    version = response.json["version"]
    response = amira.post(f"{BASE}/save", json={"version": 0, "scores": {"q": "1"}},
                          headers={"X-CSRFToken": token})
    assert response.status_code == 409 and response.json["stale"]
    assert response.json["scores"] == {"q": "5"} and response.json["version"] == version
    assert "another device or tab" in response.json["message"]
    assert amira.post(f"{BASE}/save", json={"version": 0, "scores": {"q": "1"}}).status_code == 400


def test_pass_without_a_reason(amira):
    page = text(amira.get(f"{BASE}/pass"))
    assert "You do not need to tell us why" in page
    submit(amira, f"{BASE}/pass")
    assert "You passed on this one" in text(amira.get(BASE))
    assert sheet() is None
    assert "Passed" in text(amira.get("/my-rounds/test-round"))


def test_after_passing_or_a_connection_the_next_application_is_offered(amira):
    member = db.session.scalar(select(PanelMember).join(User).where(
        User.email == "amira@example.org"))
    second = db.session.scalar(select(Application).where(Application.reference == "A2"))
    db.session.add(Assignment(member_id=member.id, application_id=second.id))
    db.session.commit()
    assert "0 of 2 done. 2 still to do." in text(amira.get("/my-rounds/test-round"))

    passed = submit(amira, f"{BASE}/pass")
    assert passed.headers["Location"].endswith(BASE)  # where A1 stands, with the next one
    page = text(amira.get(BASE))
    assert "You passed on this one" in page
    assert re.search(r'href="/my-rounds/test-round/A2">Go to the next application<', page)
    assert "1 of 2 done. 1 still to do." in text(amira.get("/my-rounds/test-round"))

    submit(amira, "/my-rounds/test-round/A2/connection", {"answer": "connected"})
    submit(amira, "/my-rounds/test-round/A2/connection/kind",
           {"kind": "work_or_volunteer", "note": ""})
    page = text(amira.get("/my-rounds/test-round/A2"))
    assert "You will not score this one" in page
    assert "Go to the next application" not in page  # nothing left to do
    assert "Back to your applications" in page


def test_unassigned_or_unknown_applications_are_404(amira):
    for path in ("/my-rounds/test-round/A2", "/my-rounds/test-round/A2/connection",
                 "/my-rounds/test-round/A2/application", "/my-rounds/test-round/ZZ",
                 "/my-rounds/no-round", "/my-rounds/no-round/A1"):
        assert amira.get(path).status_code == 404, path
    token = csrf_token(text(amira.get("/my-rounds")))
    assert amira.post("/my-rounds/test-round/A2/save", json={"version": 0, "scores": {"q": "3"}},
                      headers={"X-CSRFToken": token}).status_code == 404


def test_someone_not_on_the_panel_sees_nothing(app, mailbox, amira):
    people.panellist("stranger@example.org", "Stranger")
    stranger = signed_in(app, mailbox, "stranger@example.org")
    assert stranger.get("/my-rounds/test-round").status_code == 404
    assert stranger.get(BASE).status_code == 404


@pytest.mark.parametrize("phase", ["draft", "moderation"])
def test_no_application_pages_outside_scoring(app, mailbox, phase):
    scoring_round(phase=phase)
    client = signed_in(app, mailbox)
    page = text(client.get("/my-rounds/test-round"))
    assert "Growing food together" not in page
    for path in (BASE, f"{BASE}/connection", f"{BASE}/application", f"{BASE}/question/1"):
        assert client.get(path).status_code == 404, path


def test_no_one_sees_anyone_elses_scores(app, mailbox, amira):
    answer_no(amira)
    submit(amira, f"{BASE}/question/1", {"score": "4", "version": "0"})
    submit(amira, f"{BASE}/comment", {"comment": "SECRET-COMMENT", "version": sheet().version})
    bea = signed_in(app, mailbox, "bea@example.org")
    submit(bea, f"{BASE}/connection", {"answer": "none"})
    for path in (BASE, f"{BASE}/application", f"{BASE}/question/1", f"{BASE}/comment",
                 f"{BASE}/check", "/my-rounds", "/my-rounds/test-round"):
        page = text(bea.get(path, follow_redirects=True))
        assert "SECRET-COMMENT" not in page and not checked(page), path


def test_an_officer_enters_a_sheet_for_a_panellist(app, officer):
    round_ = scoring_round()
    member = round_.members[0]
    path = f"/rounds/test-round/assisted/{member.id}/A1"
    # The officer finds it from the application's reviewers page.
    reviewers = text(officer.get("/rounds/test-round/assignments/A1"))
    assert f'href="{path}">Enter scores for {member.user.name}</a>' in reviewers
    page = text(officer.get(path))
    assert "Enter scores for" in page
    response = submit(officer, path, {"c_q": "3", "c_n": "unable", "comment": "By phone",
                                      "version": "0", "action": "submit"})
    assert response.status_code == 302
    saved = sheet()
    assert saved.status == "submitted" and saved.assisted_by.email == "officer@example.org"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sheet.submitted")).one()
    assert opened(event).who == "officer@example.org"
    assert opened(event).after["assisted_for"] == "amira@example.org"


def test_only_officers_enter_sheets_for_others(app, mailbox, amira):
    member_id = db.session.scalar(select(ScoreSheet.member_id)) or 1
    assert amira.get(f"/rounds/test-round/assisted/{member_id}/A1").status_code == 403


def test_after_the_session_ends_signing_in_again_lands_back_on_the_question(app, mailbox, amira):
    answer_no(amira)
    submit(amira, f"{BASE}/question/1", {"score": "4", "version": "0"})
    later = app.test_client()  # the session has gone: a new browser, or an expired cookie
    response = later.get(f"{BASE}/question/2")
    assert response.status_code == 302
    sign_in_page = response.headers["Location"]
    assert sign_in_page.startswith("/sign-in?next=")
    submit(later, sign_in_page, {"email": "amira@example.org"}, action=sign_in_page)
    link = mailbox.last_link("amira@example.org", "/sign-in/link/")
    back = submit(later, link)
    assert back.headers["Location"] == f"{BASE}/question/2"
    assert checked(text(later.get(f"{BASE}/question/1"))) == ["4"]  # the saved answer is kept


def test_stay_signed_in_renews_the_session_and_needs_the_csrf_token(app, amira):
    page = amira.get("/my-rounds").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    # 12 hours, the default, less the few seconds since the cookie was signed at sign-in
    assert 43200 - 60 <= int(re.search(r'data-session-seconds="(\d+)"', page).group(1)) <= 43200
    assert amira.post("/session/keep-alive", headers={"X-CSRFToken": token}).status_code == 204
    assert amira.post("/session/keep-alive").status_code == 400
    assert app.test_client().post("/session/keep-alive").status_code in (302, 400)
