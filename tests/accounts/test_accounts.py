"""Signing in and out (issue 2, item 5): panellists by one-time link, staff by password."""
from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from panel.accounts.models import AccountToken, User
from panel.audit.models import AuditEvent
from panel.extensions import db, utcnow
from tests.builders import people
from tests.support.web import make_app, submit

NOT_REVEALED = "If <strong>{}</strong> belongs to someone on a FairPanel panel"


def _actions():
    return db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_panellist_signs_in_with_an_emailed_link(client, mailbox):
    people.panellist("amira@example.org", "Amira Hussain")
    response = submit(client, "/sign-in", {"email": "  Amira@Example.org "}, follow_redirects=True)
    assert NOT_REVEALED.format("Amira@Example.org") in response.get_data(as_text=True)

    [message] = mailbox.to("amira@example.org")
    assert message["Subject"] == "Your FairPanel sign-in link"
    assert "It works once, for 15 minutes." in mailbox.body(message)
    link = mailbox.last_link("amira@example.org", "/sign-in/link/")

    # Opening the link (as a mail scanner would) signs nobody in.
    page = client.get(link).get_data(as_text=True)
    assert "Sign in as Amira Hussain" in page
    assert client.get("/my-rounds").status_code == 302

    response = submit(client, link)
    assert response.status_code == 302
    assert "My rounds" in client.get("/my-rounds").get_data(as_text=True)
    assert _actions()[-2:] == ["user.sign_in_link_sent", "user.signed_in"]


def test_sign_in_link_works_once(client, mailbox):
    people.panellist("amira@example.org")
    submit(client, "/sign-in", {"email": "amira@example.org"})
    link = mailbox.last_link("amira@example.org", "/sign-in/link/")
    assert submit(client, link).status_code == 302
    client.post("/sign-out", data={})  # CSRF refuses it: still signed in, link still used
    other = client.application.test_client()
    response = other.get(link)
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)


def test_sign_in_link_expires(client, mailbox):
    people.panellist("amira@example.org")
    submit(client, "/sign-in", {"email": "amira@example.org"})
    link = mailbox.last_link("amira@example.org", "/sign-in/link/")
    db.session.execute(sa.update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert client.get(link).status_code == 410
    assert submit(client, "/sign-in").status_code == 200  # page still works
    response = client.post(link, data={})
    assert response.status_code in (400, 410)
    assert client.get("/my-rounds").status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_email(client, mailbox):
    people.panellist("amira@example.org")
    known = submit(client, "/sign-in", {"email": "amira@example.org"}, follow_redirects=True)
    unknown = submit(client, "/sign-in", {"email": "nobody@example.org"}, follow_redirects=True)
    def strip(response, email):
        # The form's CSRF token carries the second it was signed, so two pages a
        # second apart differ there and nowhere else a person can see.
        page = response.get_data(as_text=True).replace(email, "EMAIL")
        return re.sub(r"<input[^>]*csrf_token[^>]*>", "CSRF", page)

    assert "CSRF" in strip(known, "amira@example.org")
    assert strip(known, "amira@example.org") == strip(unknown, "nobody@example.org")
    assert mailbox.to("nobody@example.org") == []


def test_staff_cannot_skip_their_password_with_a_link(client, mailbox):
    people.staff("officer@example.org", "officer")
    submit(client, "/sign-in", {"email": "officer@example.org"})
    [message] = mailbox.to("officer@example.org")
    assert "/sign-in/link/" not in mailbox.body(message)
    assert "staff account, so it signs in with your password" in mailbox.body(message)


def test_sign_in_form_explains_a_bad_address(client, mailbox):
    response = submit(client, "/sign-in", {"email": "not an address"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Sign in – FairPanel</title>" in page
    assert 'href="#email">Enter an email address like name@example.com</a>' in page
    assert 'aria-invalid="true"' in page
    assert mailbox.messages == []


def test_staff_sign_in_with_password_and_argon2_hash(client):
    user = people.staff("officer@example.org", "officer")
    assert user.password_hash.startswith("$argon2")
    response = people.sign_in_staff(client, "officer@example.org")
    assert response.status_code == 302
    assert client.get("/rounds/").status_code == 200
    assert _actions()[-1] == "user.signed_in"


def test_wrong_password_and_unknown_email_get_the_same_message(client):
    people.staff("officer@example.org", "officer")
    wrong = people.sign_in_staff(client, "officer@example.org", "not the password").get_data(as_text=True)
    unknown = people.sign_in_staff(client, "ghost@example.org", "not the password").get_data(as_text=True)
    message = "Your email address or password is not right"
    assert message in wrong and message in unknown
    assert client.get("/rounds/").status_code == 302


def test_session_cookie_is_httponly_samesite_and_renewed_at_sign_in(client):
    people.staff("officer@example.org", "officer")
    client.get("/sign-in/staff")
    before = client.get_cookie("fairpanel_session").value
    response = people.sign_in_staff(client, "officer@example.org")
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("fairpanel_session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    after = client.get_cookie("fairpanel_session").value
    assert after != before
    # Nothing from the anonymous session survives (no session fixation).
    with client.session_transaction() as session:
        assert "link_sent_to" not in session and "_user_id" in session


def test_production_cookies_are_secure(database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, SESSION_COOKIE_SECURE=True)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True


def test_signed_out_cookie_is_dead_even_if_copied(client):
    people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    stolen = client.get_cookie("fairpanel_session").value
    submit(client, "/rounds/", action="/sign-out")

    thief = client.application.test_client()
    thief.set_cookie("fairpanel_session", stolen)
    response = thief.get("/rounds/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert _actions()[-1] == "user.signed_out"


def test_disabled_account_loses_its_session(client, app):
    admin = people.staff("admin@example.org", "admin", name="Ada Admin")
    people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    assert client.get("/rounds/").status_code == 200

    admin_client = app.test_client()
    people.sign_in_staff(admin_client, "admin@example.org")
    officer = db.session.scalar(sa.select(User).where(User.email == "officer@example.org"))
    submit(admin_client, f"/admin/people/{officer.id}", action=f"/admin/people/{officer.id}/disable")
    assert client.get("/rounds/").status_code == 302
    assert people.sign_in_staff(client, "officer@example.org").status_code == 200  # refused
    assert admin.active


def test_sign_in_is_rate_limited(database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, RATELIMIT_ENABLED=True,
                   SIGN_IN_RATE_LIMIT="100 per minute", SIGN_IN_PER_EMAIL_LIMIT="3 per minute")
    with app.app_context():
        client = app.test_client()
        codes = [people.sign_in_staff(client, "officer@example.org", "guess").status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        page = people.sign_in_staff(client, "officer@example.org", "guess").get_data(as_text=True)
        assert "Too many attempts" in page
        # Another address from the same place is not punished for it.
        assert people.sign_in_staff(client, "other@example.org", "guess").status_code == 200
        db.session.remove()
        db.engine.dispose()


def test_staff_invitation_lets_them_choose_a_password(client, mailbox, app):
    people.staff("admin@example.org", "admin", name="Ada Admin")
    admin = app.test_client()
    people.sign_in_staff(admin, "admin@example.org")
    response = submit(admin, "/admin/people/invite",
                      {"name": "Hannah Price", "email": "Hannah@Example.org", "roles": ["auditor"]})
    assert response.status_code == 302
    [message] = mailbox.to("hannah@example.org")
    assert "Ada Admin has invited you to FairPanel as Auditor" in mailbox.body(message)
    link = mailbox.last_link("hannah@example.org", "/invitation/")

    short = submit(client, link, {"password": "short", "confirm": "short"})
    assert "Your password must be at least 15 characters" in short.get_data(as_text=True)
    assert submit(client, link, {"password": "a long pass phrase", "confirm": "a long pass phrase"}).status_code == 302
    assert client.get("/audit/").status_code == 200
    fresh = app.test_client()
    assert people.sign_in_staff(fresh, "hannah@example.org", "a long pass phrase").status_code == 302
    assert client.application.test_client().get(link).status_code == 410


def test_panellist_invitation_signs_them_in_without_a_password(client, mailbox, app):
    people.staff("admin@example.org", "admin", name="Ada Admin")
    admin = app.test_client()
    people.sign_in_staff(admin, "admin@example.org")
    submit(admin, "/admin/people/invite", {"name": "Dave Pritchard", "email": "dave@example.org"})
    body = mailbox.body(mailbox.to("dave@example.org")[0])
    assert "You will not need a password" in body
    link = mailbox.last_link("dave@example.org", "/invitation/")
    assert submit(client, link).status_code == 302
    assert "Hello, Dave Pritchard" in client.get("/", follow_redirects=True).get_data(as_text=True)


def test_next_only_leads_to_this_site(client):
    people.staff("officer@example.org", "officer")
    response = submit(client, "/sign-in/staff?next=//evil.example/x",
                      {"email": "officer@example.org", "password": people.PASSWORD},
                      action="/sign-in/staff?next=//evil.example/x")
    assert response.headers["Location"] == "/"
    client.post("/sign-out")
    client2 = client.application.test_client()
    response = submit(client2, "/sign-in/staff?next=/rounds/",
                      {"email": "officer@example.org", "password": people.PASSWORD},
                      action="/sign-in/staff?next=/rounds/")
    assert response.headers["Location"] == "/rounds/"


def test_a_newer_sign_in_link_ends_the_older_one(client, mailbox):
    """Issue 22: each link is single-use and lives 15 minutes; asking again ends it too."""
    people.panellist("amira@example.org", "Amira Hussain")
    submit(client, "/sign-in", {"email": "amira@example.org"})
    older = mailbox.last_link("amira@example.org", "/sign-in/link/")
    page = submit(client, "/sign-in", {"email": "amira@example.org"}, follow_redirects=True)
    assert "If you ask for another link, only the newest one works." in page.get_data(
        as_text=True)
    newer = mailbox.last_link("amira@example.org", "/sign-in/link/")
    assert newer != older
    assert "Asking for a new link stops this one working." in mailbox.body(
        mailbox.to("amira@example.org")[-1])
    assert client.get(older).status_code == 410
    assert client.post(older, data={}).status_code in (400, 410)
    assert "Sign in as Amira Hussain" in client.get(newer).get_data(as_text=True)
    assert submit(client, newer).status_code == 302
    assert "My rounds" in client.get("/my-rounds").get_data(as_text=True)


def test_the_lockout_page_says_the_right_password_waits_too_and_until_when(
        database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, RATELIMIT_ENABLED=True,
                   SIGN_IN_RATE_LIMIT="100 per minute", SIGN_IN_PER_EMAIL_LIMIT="5 per minute")
    with app.app_context():
        people.staff("officer@example.org", "officer")
        client = app.test_client()
        for _ in range(5):
            assert people.sign_in_staff(client, "officer@example.org", "guess").status_code == 200
        started = datetime.now(UTC)
        response = people.sign_in_staff(client, "officer@example.org")  # the right password
        assert response.status_code == 429
        text = " ".join(response.get_data(as_text=True).split())
        assert "There have been 5 tries in one minute, the most allowed." in text
        assert "it is paused until then, even with the right password." in text
        found = re.search(r"Try again after (\d\d:\d\d:\d\d) UK time, in (\d+) seconds?\.", text)
        assert found, text
        seconds = int(found.group(2))
        assert 1 <= seconds <= 61
        assert abs(int(response.headers["Retry-After"]) - seconds) <= 1
        expected = (started + timedelta(seconds=seconds)).astimezone(ZoneInfo("Europe/London"))
        shown = datetime.combine(expected.date(), time.fromisoformat(found.group(1)),
                                 expected.tzinfo)
        assert abs((shown - expected).total_seconds()) <= 2
        assert client.get("/rounds/").status_code == 302  # not signed in
        db.session.remove()
        db.engine.dispose()
