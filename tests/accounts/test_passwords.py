"""Staff passwords (issue 8): NIST SP 800-63B rev. 4 — at least 15 characters, at most
128, any characters, no composition rules, not on the shipped list of common passwords,
not the person's e-mail address or name, not one character repeated."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from panel.accounts import passwords, services
from panel.accounts.models import User
from panel.audit.models import AuditEvent
from panel.extensions import db
from tests.builders import people
from tests.support.web import submit

OLU = {"email": "olu.bankole@example.org", "name": "Olu Bankole"}


def _problems(password: str) -> list[str]:
    return passwords.problems(password, **OLU)


@pytest.mark.parametrize("password", [
    people.PASSWORD,                    # the tests' password, 28 characters
    "fairpanel-demo-2026",                # the demo's
    "fifteen chars!!",                    # exactly 15
    "all lower case words and no digits",  # no composition rules
    "Ünïcödé pässwörd ✓ 🙂 ok",            # any script, symbols and emoji
    "x" * 14 + "y",
    "a" * 64 + "b" * 64,                  # 128: the longest
])
def test_acceptable_passwords(password):
    assert _problems(password) == []


@pytest.mark.parametrize("password", ["", "short", "fourteen chars"])
def test_shorter_than_15_characters_is_refused_saying_how_long(password):
    assert _problems(password) == [
        "Your password must be at least 15 characters. Try adding another word or two"]


def test_longer_than_128_characters_is_refused():
    assert _problems("ab" * 64 + "c") == ["Your password must be 128 characters or fewer"]


def test_length_counts_characters_after_unicode_normalisation():
    # "ﬁ" is one character, the "fi" it stands for two; NIST asks to normalise first.
    assert passwords.normalise("ﬁne ﬁsh") == "fine fish"
    assert _problems("ﬁﬁﬁﬁﬁﬁﬁ ﬁﬁ") == []  # 10 characters typed, 19 once normalised


@pytest.mark.parametrize("password", ["1qaz2wsx3edc4rfv", "1QAZ2wsx3EDC4rfv",
                                      "Q1W2E3R4T5Y6U7I8", "qwerty 123456789",
                                      "passwordpassword", "Iloveyou iloveyou"])
def test_common_passwords_are_refused_whatever_their_case(password):
    assert _problems(password) == [
        "That password is on a list of common passwords that attackers try first. "
        "Choose one that is harder to guess"]


def test_the_common_password_list_is_shipped_lowercase_and_long_enough():
    entries = passwords.common_passwords()
    assert len(entries) >= 10_000
    assert all(entry == entry.lower() for entry in entries)
    assert {"password", "123456", "qwertyuiop"} <= entries


@pytest.mark.parametrize("password", ["olu.bankole@example.org", "OLU.BANKOLE@EXAMPLE.ORG",
                                      "olu.bankole" + "@example.org"])
def test_own_email_address_is_refused(password):
    assert _problems(password) == ["Your password must not be your email address or your name"]


def test_own_name_is_refused():
    long_name = {"email": "ada@example.org", "name": "Adaeze Okonkwo-Baptiste"}
    message = ["Your password must not be your email address or your name"]
    assert passwords.problems("adaeze okonkwo-baptiste", **long_name) == message
    assert passwords.problems("AdaezeOkonkwoBaptiste", **long_name) == message


@pytest.mark.parametrize("password", ["a" * 20, " " * 16, "🙂" * 15])
def test_one_character_repeated_is_refused(password):
    assert _problems(password) == ["Your password must not be one character repeated"]


def test_control_characters_are_refused():
    assert _problems("correct horse\tbattery staple") == [
        "Your password can only use letters, numbers, spaces and symbols you can type"]


def test_a_refused_password_creates_no_account(app):
    with pytest.raises(services.AccountError, match="list of common passwords"):
        services.create_account(None, email="olu@example.org", name="Olu", roles={"officer"},
                                password="1qaz2wsx3edc4rfv")
    db.session.rollback()
    assert db.session.scalar(sa.select(User).where(User.email == "olu@example.org")) is None


def test_a_refused_new_password_leaves_the_old_one(app):
    user = people.staff("officer@example.org", "officer")
    before = user.password_hash, user.session_version
    with pytest.raises(services.AccountError, match="at least 15 characters"):
        services.set_password(user, "too short")
    assert (user.password_hash, user.session_version) == before


def test_a_normalised_password_signs_in_however_it_is_typed(client):
    people.staff("officer@example.org", "officer", password="ﬁne ﬁsh ﬁngers ﬁrst")
    assert people.sign_in_staff(client, "officer@example.org",
                                  "fine fish fingers first").status_code == 302


def _staff_invitation(client, mailbox) -> str:
    services.invite(None, email="hannah@example.org", name="Hannah Price", roles={"auditor"},
                    system="tests")
    db.session.commit()
    return mailbox.last_link("hannah@example.org", "/invitation/")


def _hannah() -> User:
    return db.session.scalar(sa.select(User).where(User.email == "hannah@example.org"))


def test_invitation_refuses_a_common_password_and_saves_nothing(client, mailbox):
    link = _staff_invitation(client, mailbox)
    response = submit(client, link, {"password": "Q1W2E3R4T5Y6U7I8", "confirm": "Q1W2E3R4T5Y6U7I8"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Welcome – FairPanel</title>" in page
    assert 'href="#password">That password is on a list of common passwords' in page
    assert _hannah().password_hash is None
    assert "user.password_set" not in db.session.scalars(sa.select(AuditEvent.action)).all()
    # The link still works: the refusal did not spend it.
    assert submit(client, link, {"password": people.PASSWORD,
                                 "confirm": people.PASSWORD}).status_code == 302
    assert _hannah().password_hash.startswith("$argon2")


def test_invitation_refuses_the_persons_own_email_address(client, mailbox):
    link = _staff_invitation(client, mailbox)
    page = submit(client, link, {"password": "hannah@example.org",
                                 "confirm": "hannah@example.org"}).get_data(as_text=True)
    assert "Your password must not be your email address or your name" in page
    assert _hannah().password_hash is None


def test_invitation_hint_says_what_a_good_password_is(client, mailbox):
    page = client.get(_staff_invitation(client, mailbox)).get_data(as_text=True)
    assert "At least 15 characters. A few unrelated words make a good one." in page


def test_staff_change_their_password_and_other_sessions_end(officer, app):
    elsewhere = app.test_client()
    people.sign_in_staff(elsewhere, "officer@example.org")
    page = submit(officer, "/account/password", {
        "current": people.PASSWORD, "password": "sixteen letters!", "confirm": "sixteen letters!",
    }, follow_redirects=True).get_data(as_text=True)
    assert "Your password has been changed." in page
    assert officer.get("/rounds/").status_code == 200        # this session carries on
    assert elsewhere.get("/rounds/").status_code == 302      # the others have ended
    fresh = app.test_client()
    assert people.sign_in_staff(fresh, "officer@example.org").status_code == 200  # old: no
    assert people.sign_in_staff(fresh, "officer@example.org",
                                  "sixteen letters!").status_code == 302


def test_change_of_password_needs_the_current_one_and_follows_the_rules(officer):
    user = db.session.scalar(sa.select(User).where(User.email == "officer@example.org"))
    before = user.password_hash
    wrong = submit(officer, "/account/password", {
        "current": "not my password", "password": "sixteen letters!", "confirm": "sixteen letters!",
    }).get_data(as_text=True)
    assert 'href="#current">Your current password is not right' in wrong
    common = submit(officer, "/account/password", {
        "current": people.PASSWORD, "password": "passwordpassword", "confirm": "passwordpassword",
    }).get_data(as_text=True)
    assert 'href="#password">That password is on a list of common passwords' in common
    db.session.refresh(user)
    assert user.password_hash == before


def test_panellists_have_no_password_page(client, mailbox):
    people.panellist("amira@example.org")
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    assert client.get("/account/password").status_code == 403
