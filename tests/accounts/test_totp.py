"""Two-step sign-in for staff (issue 8): an authenticator app (TOTP, RFC 6238) and ten
single-use recovery codes; required for staff where TOTP_REQUIRED is on (production)."""
from __future__ import annotations

import importlib
import json
import re

import pytest
import sqlalchemy as sa

from panel import create_app
from panel.accounts import second_factor
from panel.accounts.models import RecoveryCode, SecondFactor
from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.extensions import db
from tests.builders import people
from tests.builders.people import (
    RECOVERY_CODE,
    SET_UP,
    next_code,
    set_up_two_step,
    staff_with_two_step,
    user_named,
)
from tests.support.web import make_app, submit


def _actions() -> list[str]:
    return db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()


def _events(action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_officer_sets_up_two_step_sign_in_with_a_qr_code_and_a_code(officer):
    page = officer.get(SET_UP).get_data(as_text=True)
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in page
    factor = db.session.get(SecondFactor, user_named("officer@example.org").id)
    assert factor.confirmed_at is None
    secret = second_factor.plain_secret(factor)
    assert " ".join(re.findall(".{4}", secret)) in page  # the key, to type instead
    officer.get(SET_UP)  # a reload keeps the same key, so an earlier scan still works
    db.session.refresh(factor)
    assert " ".join(re.findall(".{4}", secret)) in officer.get(SET_UP).get_data(as_text=True)

    wrong = submit(officer, SET_UP, {"code": "000000" if next_code("officer@example.org") != "000000" else "111111"})
    assert 'href="#code">That code is not right.' in wrong.get_data(as_text=True)
    assert wrong.status_code == 200

    response = submit(officer, SET_UP, {"code": next_code("officer@example.org")})
    page = response.get_data(as_text=True)
    assert "Two-step sign-in is on." in page and "You will not see these codes again." in page
    codes = RECOVERY_CODE.findall(page)
    assert len(codes) == len(set(codes)) == 10
    db.session.refresh(factor)
    assert factor.confirmed_at is not None and factor.last_used_step is not None
    stored = db.session.scalars(sa.select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)
    [event] = _events("user.second_factor_enrolled")
    assert event.after == {"method": "authenticator app", "recovery_codes": 10}

    # Never shown again.
    assert officer.get(SET_UP).headers["Location"] == "/account"
    account = officer.get("/account").get_data(as_text=True)
    assert secret not in account and "10 recovery codes left" in account


def test_setting_up_refuses_a_badly_typed_code(officer):
    officer.get(SET_UP)
    page = submit(officer, SET_UP, {"code": "12345"}).get_data(as_text=True)
    assert 'href="#code">The code must be 6 digits, like 123456' in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page


def test_sign_in_asks_for_a_code_after_the_password(app, client):
    staff_with_two_step(app)
    response = people.sign_in_staff(client, "officer@example.org")
    assert response.headers["Location"] == "/sign-in/code"
    assert client.get("/rounds/").status_code == 302  # not signed in yet
    page = client.get("/sign-in/code").get_data(as_text=True)
    assert "Enter the code from your authenticator app" in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page

    response = submit(client, "/sign-in/code", {"code": next_code("officer@example.org")})
    assert response.headers["Location"] == "/"
    assert client.get("/rounds/").status_code == 200
    [*_, signed_in] = _events("user.signed_in")
    assert signed_in.after == {"method": "password and authenticator app"}


def test_wrong_code_is_refused_with_a_message(app, client):
    staff_with_two_step(app)
    people.sign_in_staff(client, "officer@example.org")
    right = next_code("officer@example.org")
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = submit(client, "/sign-in/code", {"code": wrong})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Enter your code – FairPanel</title>" in page
    assert ('href="#code">That code is not right. Enter the code your authenticator app '
            "shows now</a>") in page
    assert client.get("/rounds/").status_code == 302


def test_a_code_works_once(app, client):
    staff_with_two_step(app)
    code = next_code("officer@example.org")
    people.sign_in_staff(client, "officer@example.org")
    assert submit(client, "/sign-in/code", {"code": code}).status_code == 302

    thief = app.test_client()  # someone who saw the code and knows the password
    people.sign_in_staff(thief, "officer@example.org")
    page = submit(thief, "/sign-in/code", {"code": code}).get_data(as_text=True)
    assert "That code has been used already. Wait for your app to show a new code" in page
    assert thief.get("/rounds/").status_code == 302


def test_codes_with_spaces_are_fine(app, client):
    staff_with_two_step(app)
    people.sign_in_staff(client, "officer@example.org")
    code = next_code("officer@example.org")
    assert submit(client, "/sign-in/code", {"code": f" {code[:3]} {code[3:]} "}).status_code == 302


def test_a_recovery_code_works_once_and_the_count_drops(app, client):
    codes = staff_with_two_step(app)
    people.sign_in_staff(client, "officer@example.org")
    assert "use one of your recovery codes" in client.get("/sign-in/code").get_data(as_text=True)
    typed = codes[0].upper().replace("-", " ")  # however it is copied, it works
    response = submit(client, "/sign-in/recovery-code", {"code": typed}, follow_redirects=True)
    assert "You have 9 recovery codes left." in response.get_data(as_text=True)
    assert client.get("/rounds/").status_code == 200
    assert "9 recovery codes left" in client.get("/account").get_data(as_text=True)
    [used] = _events("user.recovery_code_used")
    assert used.after == {"left": 9}
    assert _events("user.signed_in")[-1].after == {"method": "password and recovery code"}

    again = app.test_client()
    people.sign_in_staff(again, "officer@example.org")
    page = submit(again, "/sign-in/recovery-code", {"code": codes[0]}).get_data(as_text=True)
    assert "That recovery code is not right, or it has been used already." in page
    assert again.get("/rounds/").status_code == 302


def test_few_recovery_codes_left_says_how_to_get_more(app, client):

    codes = staff_with_two_step(app)
    for code in codes[:8]:
        second_factor.use_recovery_code(user_named("officer@example.org"), code)
    db.session.commit()
    people.sign_in_staff(client, "officer@example.org")
    response = submit(client, "/sign-in/recovery-code", {"code": codes[8]}, follow_redirects=True)
    assert ("You have 1 recovery code left. Make new ones from your account page"
            in response.get_data(as_text=True))


def test_new_recovery_codes_replace_the_old_ones(app, client):
    old = staff_with_two_step(app)
    people.sign_in_staff(client, "officer@example.org")
    submit(client, "/sign-in/recovery-code", {"code": old[0]})
    refused = submit(client, "/account", {"code": "999999"}, action="/account/recovery-codes")
    assert "That code is not right." in refused.get_data(as_text=True)
    response = submit(client, "/account", {"code": next_code("officer@example.org")},
                      action="/account/recovery-codes")
    page = response.get_data(as_text=True)
    new = RECOVERY_CODE.findall(page)
    assert len(new) == 10 and not set(new) & set(old)
    assert "Your old recovery codes no longer work." in page
    assert _actions()[-1] == "user.recovery_codes_replaced"

    other = app.test_client()
    people.sign_in_staff(other, "officer@example.org")
    assert "not right" in submit(other, "/sign-in/recovery-code",
                                 {"code": old[1]}).get_data(as_text=True)
    assert submit(other, "/sign-in/recovery-code", {"code": new[1]}).status_code == 302


def test_an_invitation_link_is_no_way_round_the_code(app, client, mailbox):
    from panel.accounts import services

    staff_with_two_step(app)
    services.send_invitation(None, user_named("officer@example.org"), system="tests")
    db.session.commit()
    link = mailbox.last_link("officer@example.org", "/invitation/")
    response = submit(client, link, {"password": "a new pass phrase", "confirm": "a new pass phrase"})
    assert response.headers["Location"] == "/sign-in/code"
    assert client.get("/rounds/").status_code == 302
    assert submit(client, "/sign-in/code", {"code": next_code("officer@example.org")}).status_code == 302
    assert client.get("/rounds/").status_code == 200


def test_the_code_must_follow_the_password_within_five_minutes(app, client):
    staff_with_two_step(app)
    people.sign_in_staff(client, "officer@example.org")
    with client.session_transaction() as session:
        marker = session["password_passed"]
        session["password_passed"] = {**marker, "at": marker["at"] - 5 * 60 - 1}
    response = client.get("/sign-in/code", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.request.path == "/sign-in/staff"
    assert "you have 5 minutes to enter the code" in page
    assert client.get("/rounds/").status_code == 302


def test_the_code_page_needs_the_password_first(client):
    assert client.get("/sign-in/code").headers["Location"] == "/sign-in/staff"
    assert client.get("/sign-in/recovery-code").headers["Location"] == "/sign-in/staff"


def test_next_page_survives_the_second_step(app, client):
    staff_with_two_step(app)
    submit(client, "/sign-in/staff?next=/rounds/",
           {"email": "officer@example.org", "password": people.PASSWORD},
           action="/sign-in/staff?next=/rounds/")
    response = submit(client, "/sign-in/code", {"code": next_code("officer@example.org")})
    assert response.headers["Location"] == "/rounds/"


def test_code_attempts_are_rate_limited(database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, RATELIMIT_ENABLED=True,
                   SIGN_IN_RATE_LIMIT="100 per minute", SIGN_IN_PER_EMAIL_LIMIT="3 per minute")
    with app.app_context():
        staff_with_two_step(app)
        client = app.test_client()
        people.sign_in_staff(client, "officer@example.org")
        codes = [submit(client, "/sign-in/code", {"code": "000000"}).status_code for _ in range(3)]
        assert codes == [200, 200, 200]
        assert submit(client, "/sign-in/code", {"code": "000000"}).status_code == 429
        # Recovery codes count against the same attempts.
        assert submit(client, "/sign-in/recovery-code", {"code": "abcd"}).status_code == 429
        assert client.get("/rounds/").status_code == 302
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def required(database_url, mailbox, tmp_path):
    app = make_app(database_url, mailbox, tmp_path, TOTP_REQUIRED=True)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_when_required_staff_set_it_up_before_any_other_page(required):
    people.staff("officer@example.org", "officer")
    client = required.test_client()
    people.sign_in_staff(client, "officer@example.org")
    for page in ("/", "/rounds/", "/account", "/account/password"):
        assert client.get(page).headers["Location"] == SET_UP, page
    page = client.get(SET_UP).get_data(as_text=True)
    assert "Staff accounts need two-step sign-in." in page
    assert set_up_two_step(client, "officer@example.org")
    assert client.get("/rounds/").status_code == 200


def test_when_required_a_new_staff_member_sets_it_up_after_choosing_a_password(required, mailbox):
    from panel.accounts import services

    services.invite(None, email="hannah@example.org", name="Hannah Price", roles={"auditor"},
                    system="tests")
    db.session.commit()
    client = required.test_client()
    link = mailbox.last_link("hannah@example.org", "/invitation/")
    submit(client, link, {"password": people.PASSWORD, "confirm": people.PASSWORD})
    assert client.get("/audit/").headers["Location"] == SET_UP


def test_when_required_signing_out_still_works(required):
    people.staff("officer@example.org", "officer")
    client = required.test_client()
    people.sign_in_staff(client, "officer@example.org")
    response = submit(client, SET_UP, action="/sign-out", follow_redirects=True)
    assert "You have signed out." in response.get_data(as_text=True)


def test_panellists_sign_in_by_link_as_before_even_when_required(required, mailbox):
    people.panellist("amira@example.org")
    client = required.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    page = client.get("/my-rounds").get_data(as_text=True)
    assert "My rounds" in page and "two-step" not in page.lower()
    assert client.get("/account").status_code == 403
    assert client.get(SET_UP).status_code == 403


def test_off_by_default_in_test_and_development_on_in_production(app, database_url, monkeypatch):
    import config

    assert app.config["TOTP_REQUIRED"] is False
    monkeypatch.delenv("TOTP_REQUIRED", raising=False)
    try:
        importlib.reload(config)
        assert config.DevelopmentConfig.TOTP_REQUIRED is False
        production = create_app("production", SECRET_KEY="x" * 32,
                                SQLALCHEMY_DATABASE_URI=database_url,
                                BASE_URL="https://panel.example.org")
        assert production.config["TOTP_REQUIRED"] is True
        monkeypatch.setenv("TOTP_REQUIRED", "off")
        importlib.reload(config)
        assert config.ProductionConfig.TOTP_REQUIRED is False
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_admin_resets_a_lost_second_factor(app, client):
    people.staff("admin@example.org", "admin", name="Ada Admin")
    staff_with_two_step(app)
    officer = user_named("officer@example.org")
    officer_session = app.test_client()
    people.sign_in_staff(officer_session, "officer@example.org")
    submit(officer_session, "/sign-in/code", {"code": next_code("officer@example.org")})

    people.sign_in_staff(client, "admin@example.org")
    page = client.get(f"/admin/people/{officer.id}").get_data(as_text=True)
    assert "Reset two-step sign-in" in page
    response = submit(client, f"/admin/people/{officer.id}",
                      action=f"/admin/people/{officer.id}/reset-two-step-sign-in",
                      follow_redirects=True)
    assert "Two-step sign-in reset for Olu Officer." in response.get_data(as_text=True)
    assert db.session.get(SecondFactor, officer.id) is None
    assert db.session.scalars(sa.select(RecoveryCode)).all() == []
    [event] = _events("user.second_factor_reset")
    assert (opened(event).who, event.object_id) == ("admin@example.org", str(officer.id))
    assert "Reset two-step sign-in" not in client.get(
        f"/admin/people/{officer.id}").get_data(as_text=True)

    assert officer_session.get("/rounds/").status_code == 302  # their sessions ended
    fresh = app.test_client()  # not required here: the password alone signs in again
    assert people.sign_in_staff(fresh, "officer@example.org").headers["Location"] == "/"


def test_only_admins_reset_a_second_factor(app, officer):
    staff_with_two_step(app, "auditor@example.org", "auditor", name="Aud Itor")
    auditor = user_named("auditor@example.org")
    response = submit(officer, "/rounds/", action=f"/admin/people/{auditor.id}/reset-two-step-sign-in")
    assert response.status_code == 403
    assert db.session.get(SecondFactor, auditor.id) is not None


def test_flask_accounts_reset_two_step(app, runner):
    staff_with_two_step(app)
    result = runner.invoke(args=["accounts", "reset-two-step", "Officer@Example.org"])
    assert result.exit_code == 0, result.output
    assert "Two-step sign-in reset for officer@example.org." in result.output
    assert db.session.get(SecondFactor, user_named("officer@example.org").id) is None
    assert _events("user.second_factor_reset")[0].actor == "system: flask accounts reset-two-step"
    again = runner.invoke(args=["accounts", "reset-two-step", "officer@example.org"])
    assert "has no two-step sign-in; nothing changed" in again.output


def test_the_secret_and_the_codes_never_reach_the_audit_trail(app, client):
    codes = staff_with_two_step(app)
    secret = second_factor.plain_secret(
        db.session.get(SecondFactor, user_named("officer@example.org").id))
    people.sign_in_staff(client, "officer@example.org")
    submit(client, "/sign-in/recovery-code", {"code": codes[0]})
    replaced = submit(client, "/account", {"code": next_code("officer@example.org")},
                      action="/account/recovery-codes")
    codes += RECOVERY_CODE.findall(replaced.get_data(as_text=True))
    people.staff("admin@example.org", "admin", name="Ada Admin")
    admin = app.test_client()
    people.sign_in_staff(admin, "admin@example.org")
    officer = user_named("officer@example.org")
    submit(admin, f"/admin/people/{officer.id}",
           action=f"/admin/people/{officer.id}/reset-two-step-sign-in")

    assert {"user.second_factor_enrolled", "user.recovery_code_used",
            "user.recovery_codes_replaced", "user.second_factor_reset"} <= set(_actions())
    trail = " ".join(json.dumps(event.canonical())
                     for event in db.session.scalars(sa.select(AuditEvent)))
    assert secret not in trail and secret.lower() not in trail
    for code in codes:
        assert code not in trail and code.replace("-", "") not in trail
