"""Which language a page is written in (panel/i18n.py): the person's own choice, kept on
their account; else the one chosen in this browser; else the browser's preference; else
English. The page says its language in ``lang`` (issue 21)."""
from __future__ import annotations

from flask_babel import ngettext

from panel.extensions import db
from panel.i18n import SESSION_KEY, in_language
from tests.builders import people

SKIP_EN = "Skip to main content"
SKIP_CY = "Neidio i'r prif gynnwys"


def test_a_page_is_in_english_by_default(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="en-GB">' in page
    assert SKIP_EN in page


def test_a_browser_that_prefers_welsh_gets_welsh(client):
    page = client.get("/sign-in", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    text = page.get_data(as_text=True)
    assert '<html lang="cy">' in text
    assert SKIP_CY in text


def test_a_language_chosen_in_this_browser_beats_its_preference(client):
    with client.session_transaction() as session:
        session[SESSION_KEY] = "en"
    text = client.get("/sign-in", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert '<html lang="en-GB">' in text


def test_a_signed_in_person_reads_in_the_language_on_their_account(app, client, mailbox):
    people.panellist("amira@example.org")
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    people.user_named("amira@example.org").language = "cy"
    db.session.commit()
    with client.session_transaction() as session:
        session[SESSION_KEY] = "en"  # chosen before signing in: the account's choice wins
    text = client.get("/my-rounds").get_data(as_text=True)
    assert '<html lang="cy">' in text
    assert SKIP_CY in text


def test_welsh_has_its_six_plural_forms(app):
    # CLDR's Welsh plural rules: 0 zero, 1 one, 2 two, 3 few, 6 many, the rest other.
    # The catalogue's Plural-Forms picks the form; an untranslated message falls back to
    # English's two forms, so the forms are read from the compiled catalogue itself.
    from flask_babel import get_translations
    with app.test_request_context(), in_language("cy"):
        plural = get_translations().plural
        assert [plural(n) for n in (0, 1, 2, 3, 4, 5, 6, 7, 11, 100)] == \
            [0, 1, 2, 3, 5, 5, 4, 5, 5, 5]
        # Unknown to the catalogue: English, with English's choice of form.
        assert ngettext("%(num)d thing", "%(num)d things", 1) == "1 thing"
        assert ngettext("%(num)d thing", "%(num)d things", 2) == "2 things"
