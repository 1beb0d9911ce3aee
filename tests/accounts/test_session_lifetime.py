"""However busy, a session ends ``SESSION_ABSOLUTE_LIFETIME`` (12 hours) after signing in
(OWASP ASVS 3.3.2, docs/security.md): a copied cookie is not good for ever. The sign-in
time travels in the signed session cookie, so checking it costs no database query, and
a client cannot move it."""
from __future__ import annotations

import re

from tests.builders import people
from tests.builders.rounds import panellist_on_my_rounds

TWELVE_HOURS = 12 * 60 * 60
SIGNED_OUT = "For your safety, we sign everyone out after a while, so please sign in again."


def signed_in_panellist(app, mailbox):
    return panellist_on_my_rounds(app, mailbox)


def signed_in_ago(client, seconds: int) -> None:
    with client.session_transaction() as session:
        session["signed_in_at"] -= seconds


def test_a_session_still_works_just_before_twelve_hours(app, mailbox):
    client = signed_in_panellist(app, mailbox)
    signed_in_ago(client, TWELVE_HOURS - 60)
    assert client.get("/my-rounds").status_code == 200
    page = client.get("/my-rounds").get_data(as_text=True)
    ends_in = int(re.search(r'data-session-ends-in="(\d+)"', page).group(1))
    assert 55 <= ends_in <= 60  # what the page's script counts down to


def test_a_session_in_use_ends_twelve_hours_after_sign_in(app, mailbox):
    client = signed_in_panellist(app, mailbox)
    signed_in_ago(client, TWELVE_HOURS + 1)
    response = client.get("/my-rounds")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert SIGNED_OUT in page and "Anything you saved is kept." in page
    assert client.get("/my-rounds").status_code == 302  # not back by itself
    # Nothing of the old session survives: no user, no sign-in time.
    with client.session_transaction() as session:
        assert "_user_id" not in session and "signed_in_at" not in session


def test_the_expired_cookie_replayed_elsewhere_is_refused(app, mailbox):
    client = signed_in_panellist(app, mailbox)
    signed_in_ago(client, TWELVE_HOURS + 1)
    cookie = client.get_cookie("fairpanel_session").value
    thief = app.test_client()
    thief.set_cookie("fairpanel_session", cookie)
    assert thief.get("/my-rounds").status_code == 302


def test_a_session_without_a_sign_in_time_is_ended(app, mailbox):
    """Sessions made before sign-in times were kept end at once, rather than never."""
    client = signed_in_panellist(app, mailbox)
    with client.session_transaction() as session:
        del session["signed_in_at"]
    assert client.get("/my-rounds").status_code == 302


def test_stay_signed_in_does_not_stretch_the_lifetime(app, mailbox):
    client = signed_in_panellist(app, mailbox)
    page = client.get("/my-rounds").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post("/session/keep-alive", headers={"X-CSRFToken": token}).status_code == 204
    signed_in_ago(client, TWELVE_HOURS + 1)
    assert client.post("/session/keep-alive", headers={"X-CSRFToken": token}).status_code != 204
    assert client.get("/my-rounds").status_code == 302


def test_staff_sessions_end_too_and_a_new_sign_in_starts_the_clock_again(app):
    people.staff("officer@example.org", "officer")
    client = app.test_client()
    people.sign_in_staff(client, "officer@example.org")
    assert client.get("/rounds/").status_code == 200
    signed_in_ago(client, TWELVE_HOURS + 1)
    assert client.get("/rounds/").status_code == 302
    people.sign_in_staff(client, "officer@example.org")
    assert client.get("/rounds/").status_code == 200
