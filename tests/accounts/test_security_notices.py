"""Staff are e-mailed when the way into their account changes (OWASP ASVS 2.2.3, 2.5.5,
2.8.5; docs/security.md): a new password, two-step sign-in switched on or reset, recovery
codes made again or used. Through the real pages and a real SMTP server on loopback."""
from __future__ import annotations

from tests.builders import people
from tests.builders.people import (
    next_code,
    set_up_two_step,
    staff_with_two_step,
    user_named,
)
from tests.support.web import submit

OFFICER = "officer@example.org"
NOT_YOU = "If it was not you, someone else may be using your account."


def notices(mailbox, subject: str) -> list[str]:
    """Bodies of the messages to the officer with this subject."""
    return [mailbox.body(m) for m in mailbox.to(OFFICER) if m["Subject"] == subject]


def test_a_changed_password_is_told_by_email(officer, mailbox):
    mailbox.clear()
    submit(officer, "/account/password", {"current": people.PASSWORD,
                                          "password": "sixteen letters!",
                                          "confirm": "sixteen letters!"})
    [body] = notices(mailbox, "Your FairPanel password was changed")
    assert body.startswith("Hello Olu Officer,")
    assert "Your FairPanel password was changed. Anywhere else you were signed in" in body
    assert "This happened on " in body and " UTC." in body
    assert NOT_YOU in body and "Tell your FairPanel administrator straight away" in body


def test_a_refused_password_change_sends_nothing(officer, mailbox):
    mailbox.clear()
    submit(officer, "/account/password", {"current": "not my password",
                                          "password": "sixteen letters!",
                                          "confirm": "sixteen letters!"})
    assert mailbox.to(OFFICER) == []


def test_the_first_password_chosen_on_invitation_sends_no_notice(app, client, mailbox):
    link = people.invitation_link(app, mailbox)
    assert submit(client, link, {"password": "a long pass phrase",
                                 "confirm": "a long pass phrase"}).status_code == 302
    assert [m["Subject"] for m in mailbox.to("hannah@example.org")] == [
        "You're invited to FairPanel"]


def test_switching_two_step_sign_in_on_is_told(officer, mailbox):
    mailbox.clear()
    assert len(set_up_two_step(officer, OFFICER)) == 10
    [body] = notices(mailbox, "Two-step sign-in is on for your FairPanel account")
    assert "with an authenticator app and ten recovery codes" in body and NOT_YOU in body


def test_a_recovery_code_used_to_sign_in_is_told_with_how_many_are_left(app, client, mailbox):
    codes = staff_with_two_step(app)
    mailbox.clear()
    people.sign_in_staff(client, OFFICER)
    submit(client, "/sign-in/recovery-code", {"code": codes[0]})
    [body] = notices(mailbox, "A recovery code was used to sign in to FairPanel")
    assert "You have 9 left." in body
    # A wrong one changes nothing and says nothing.
    other = app.test_client()
    people.sign_in_staff(other, OFFICER)
    submit(other, "/sign-in/recovery-code", {"code": codes[0]})
    assert len(notices(mailbox, "A recovery code was used to sign in to FairPanel")) == 1


def test_new_recovery_codes_are_told(app, client, mailbox):
    codes = staff_with_two_step(app)
    people.sign_in_staff(client, OFFICER)
    submit(client, "/sign-in/recovery-code", {"code": codes[0]})  # keeps the app's next code
    mailbox.clear()
    submit(client, "/account", {"code": next_code(OFFICER)}, action="/account/recovery-codes")
    [body] = notices(mailbox, "New recovery codes for your FairPanel account")
    assert "The old ones no longer work." in body


def test_a_reset_by_an_admin_or_the_command_line_is_told(app, client, mailbox, runner):
    people.staff("admin@example.org", "admin", name="Ada Admin")
    staff_with_two_step(app)
    officer = user_named(OFFICER)
    people.sign_in_staff(client, "admin@example.org")
    mailbox.clear()
    submit(client, f"/admin/people/{officer.id}",
           action=f"/admin/people/{officer.id}/reset-two-step-sign-in")
    subject = "Two-step sign-in was reset on your FairPanel account"
    [body] = notices(mailbox, subject)
    assert "you were signed out everywhere" in body

    set_up_again = app.test_client()
    people.sign_in_staff(set_up_again, OFFICER)
    set_up_two_step(set_up_again, OFFICER)
    result = runner.invoke(args=["accounts", "reset-two-step", OFFICER])
    assert result.exit_code == 0, result.output
    assert len(notices(mailbox, subject)) == 2
