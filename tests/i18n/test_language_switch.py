"""The language switch on every page (issue 21): one button naming the other language in
itself, a POST with the page's CSRF token, back to the same page. Signed in, the choice
is kept on the account (users.language); not signed in, in this browser's session, and
copied to the account at sign-in when the account has none. A language FairPanel does
not have is refused with a clear message, and nothing changes."""
from __future__ import annotations

import re

from panel.extensions import db
from panel.i18n import SESSION_KEY
from tests.builders import people
from tests.support.web import csrf_token

AMIRA = "amira@example.org"
TO_WELSH = '<button type="submit" class="fp-language__button" name="language" value="cy" ' \
           'lang="cy">Cymraeg</button>'
TO_ENGLISH = '<button type="submit" class="fp-language__button" name="language" ' \
             'value="en" lang="en-GB">English</button>'


def _switch(client, page: str, language: str, *, next_path: str | None = None):
    """Open ``page`` and press its language button (or post ``language`` as a made-up
    form would), going back to ``next_path`` (default: the one the page says)."""
    html = client.get(page).get_data(as_text=True)
    found = re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)
    assert found, "the page has no language switch"
    return client.post("/language", data={
        "csrf_token": csrf_token(html), "language": language,
        "next": found.group(1).replace("&amp;", "&") if next_path is None else next_path})


def _session_language(client):
    with client.session_transaction() as session:
        return session.get(SESSION_KEY)


def test_every_page_offers_the_other_language_in_its_own_words(client):
    english = client.get("/sign-in").get_data(as_text=True)
    assert TO_WELSH in english and TO_ENGLISH not in english
    assert '<input type="hidden" name="next" value="/sign-in">' in english
    welsh = client.get("/privacy", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert TO_ENGLISH in welsh and TO_WELSH not in welsh


def test_someone_signed_out_switches_to_welsh_and_back_and_stays_on_the_page(client):
    response = _switch(client, "/privacy?from=footer", "cy")
    assert response.status_code == 302
    assert response.headers["Location"] == "/privacy?from=footer"
    page = client.get("/privacy?from=footer").get_data(as_text=True)
    assert '<html lang="cy">' in page and "Hysbysiad preifatrwydd" in page
    assert TO_ENGLISH in page
    assert _session_language(client) == "cy"
    back = _switch(client, "/privacy", "en")
    assert back.headers["Location"] == "/privacy"
    page = client.get("/privacy", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert '<html lang="en-GB">' in page and "Privacy notice" in page  # the choice wins


def test_only_a_path_on_this_site_is_followed_else_the_home_page(client):
    for elsewhere in ("https://evil.example/", "//evil.example/x", "/\\evil.example",
                      "/sign-in\r\nSet-Cookie: x=1", ""):
        response = _switch(client, "/sign-in", "cy", next_path=elsewhere)
        assert response.status_code == 302
        assert response.headers["Location"] == "/", elsewhere


def test_a_language_fairpanel_does_not_have_is_refused_and_nothing_changes(app, client, mailbox):
    people.panellist(AMIRA)
    people.sign_in_by_link(client, mailbox, AMIRA)
    for wrong in ("fr", "CY", "", "cy-GB"):
        response = _switch(client, "/account/my-data", wrong)
        assert response.status_code == 302
        assert response.headers["Location"] == "/account/my-data"  # their place is kept
        page = client.get("/account/my-data").get_data(as_text=True)
        assert ("FairPanel is in English and in Welsh: choose English or Cymraeg. Nothing "
                "has been changed.") in page
    assert people.user_named(AMIRA).language is None
    assert _session_language(client) is None


def test_signed_in_the_choice_is_kept_on_the_account(app, client, mailbox):
    people.panellist(AMIRA)
    people.sign_in_by_link(client, mailbox, AMIRA)
    response = _switch(client, "/account/my-data", "cy")
    assert response.headers["Location"] == "/account/my-data"
    assert people.user_named(AMIRA).language == "cy"
    page = client.get("/account/my-data").get_data(as_text=True)
    assert '<html lang="cy">' in page and "Beth sydd gan FairPanel amdanoch chi" in page
    # Another browser, signing in: the account's choice, whatever the browser prefers.
    other = app.test_client()
    people.sign_in_by_link(other, mailbox, AMIRA)
    page = other.get("/account/my-data", headers={"Accept-Language": "en"})
    assert '<html lang="cy">' in page.get_data(as_text=True)
    _switch(other, "/account/my-data", "en")
    assert people.user_named(AMIRA).language == "en"


def test_a_choice_made_before_signing_in_goes_onto_an_account_that_has_none(app, mailbox):
    people.panellist(AMIRA)
    people.panellist("bob@example.org", "Bob Jones")
    people.user_named("bob@example.org").language = "en"
    db.session.commit()
    for email in (AMIRA, "bob@example.org"):
        client = app.test_client()
        _switch(client, "/sign-in", "cy")
        people.sign_in_by_link(client, mailbox, email)
    assert people.user_named(AMIRA).language == "cy"  # had none: takes this browser's
    assert people.user_named("bob@example.org").language == "en"  # chose before: kept


def test_signing_out_keeps_the_page_in_the_language_chosen(app, client, mailbox):
    people.panellist(AMIRA)
    _switch(client, "/sign-in", "cy")
    people.sign_in_by_link(client, mailbox, AMIRA)
    html = client.get("/account/my-data").get_data(as_text=True)
    response = client.post("/sign-out", data={"csrf_token": csrf_token(html)})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="cy">' in page and "Rydych chi wedi allgofnodi." in page


def test_the_language_is_part_of_the_person_s_own_data(app, client, mailbox):
    people.panellist(AMIRA)
    people.sign_in_by_link(client, mailbox, AMIRA)
    _switch(client, "/account/my-data", "cy")
    data = client.get("/account/my-data.json").get_json()
    assert data["account"]["language"] == "cy"
    page = client.get("/account/my-data").get_data(as_text=True)
    assert '<dd class="fp-summary-list__value" id="language">Cymraeg</dd>' in page
