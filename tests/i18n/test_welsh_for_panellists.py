"""A panellist who reads FairPanel in Welsh gets their e-mails in Welsh (subject and body,
through the real SMTP server the tests run), while the rest of the panel gets English;
Welsh counts take Welsh's six plural forms; WTForms' own messages follow the page
(issue 21)."""
from __future__ import annotations

import contextvars
import re
from datetime import date

from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import InputRequired

from panel.accounts import services as accounts
from panel.accounts.notices import notify
from panel.extensions import db
from panel.i18n import in_language
from panel.rounds import services as rounds
from panel.rounds import setup
from panel.rounds.models import Assignment
from tests.builders import people
from tests.builders.payments import ACADEMIC, LIVED, paid_round
from tests.builders.rounds import applications, member, scoring_round
from tests.support.web import submit

HELP = "Sam Patel, 0161 496 0000"


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _welsh(email: str) -> None:
    people.user_named(email).language = "cy"
    db.session.commit()


def test_a_sign_in_link_comes_in_the_language_on_the_account(app, client, mailbox):
    people.panellist(LIVED, "Amira Hussain")
    people.panellist("bob@example.org", "Bob Jones")
    _welsh(LIVED)
    for email in (LIVED, "bob@example.org"):
        accounts.request_sign_in_link(email)
        db.session.commit()
    [welsh] = mailbox.to(LIVED)
    assert welsh["Subject"] == "Eich dolen fewngofnodi FairPanel"
    body = _words(mailbox.body(welsh))
    assert body.startswith("Helo Amira Hussain, Dyma eich dolen i fewngofnodi i FairPanel:")
    assert "Mae'n gweithio unwaith, am 15 munud." in body
    assert "Nobody" not in body and "FairPanel" in body
    [english] = mailbox.to("bob@example.org")
    assert english["Subject"] == "Your FairPanel sign-in link"
    assert "It works once, for 15 minutes." in _words(mailbox.body(english))


def test_a_link_asked_for_in_welsh_comes_in_welsh_unless_the_account_chose(app, client,
                                                                           mailbox):
    people.panellist(LIVED, "Amira Hussain")
    people.panellist("bob@example.org", "Bob Jones")
    people.user_named("bob@example.org").language = "en"
    db.session.commit()
    for email in (LIVED, "bob@example.org"):
        submit(client, "/sign-in", {"email": email}, headers={"Accept-Language": "cy"})
    assert [m["Subject"] for m in mailbox.to(LIVED)] == ["Eich dolen fewngofnodi FairPanel"]
    assert [m["Subject"] for m in mailbox.to("bob@example.org")] == [
        "Your FairPanel sign-in link"]
    assert people.user_named(LIVED).language is None  # asking for a link chooses nothing


def test_scoring_opens_in_welsh_for_a_welsh_reader_and_in_english_for_the_rest(app, mailbox):
    round_ = paid_round("draft")
    setup.update_details(None, round_, title=round_.title, description="",
                         scoring_deadline=date(2026, 6, 30), time_zone="Europe/London",
                         funder="Northern Health Trust", help_contact=HELP,
                         minutes_per_application=30)
    _welsh(LIVED)
    rounds.change_phase(None, round_, "scoring", system="tests", notify=True)
    db.session.commit()
    [welsh] = mailbox.to(LIVED)
    assert welsh["Subject"] == "Mae'r sgorio ar agor: Test round"
    body = _words(mailbox.body(welsh))
    assert ("Mae'r sgorio ar agor ar gyfer Test round, wedi'i ariannu gan Northern Health "
            "Trust. Mae gennych chi 2 gais i'w sgorio.") in body
    assert "Mae pob cais yn cymryd tua 30 munud, felly tua 1 awr i gyd." in body
    assert "Rydych chi'n cael eich talu am eich amser: £25 yr awr a £75 am y cyfarfod." in body
    assert f"Os oes angen help arnoch chi, gofynnwch i {HELP}." in body
    [english] = mailbox.to(ACADEMIC)
    assert english["Subject"] == "Scoring is open: Test round"
    assert "You have 1 application to score." in _words(mailbox.body(english))


def test_a_reminder_and_the_results_come_in_welsh(app, mailbox):
    round_ = paid_round("scoring")
    _welsh(LIVED)
    officer = people.staff("officer@example.org", "officer")
    rounds.send_reminders(officer, round_)
    db.session.commit()
    [reminder] = mailbox.to(LIVED)
    # Two applications left (A1 and A2, neither sent): Welsh's "two" form, "2 gais".
    assert reminder["Subject"] == "Nodyn atgoffa: 2 gais ar ôl i'w sgorio"
    assert ("Dyma nodyn i'ch atgoffa bod gennych chi 2 gais ar ôl i'w sgorio ar gyfer "
            "Test round.") in _words(mailbox.body(reminder))
    assert [m["Subject"] for m in mailbox.to(ACADEMIC)] == [
        "Reminder: 1 application left to score"]
    rounds._tell_report_is_published(round_)
    db.session.commit()
    published = mailbox.to(LIVED)[-1]
    assert published["Subject"] == "Mae'r canlyniadau wedi'u cyhoeddi: Test round"
    assert "Diolch am fod ar y panel." in mailbox.body(published)


def test_an_invitation_and_a_security_notice_come_in_welsh(app, mailbox):
    user = people.panellist(LIVED, "Amira Hussain")
    _welsh(LIVED)
    accounts.send_invitation(None, user, system="tests")
    notify(user, "recovery_code_used", left=3)
    db.session.commit()
    invitation, notice = mailbox.to(LIVED)
    assert invitation["Subject"] == "Gwahoddiad i FairPanel"
    body = _words(mailbox.body(invitation))
    assert ("Rydych chi wedi cael eich gwahodd i FairPanel, i fod yn rhan o banel "
            "cyllido.") in body
    assert f"o fewn {app.config['INVITATION_DAYS']} diwrnod." in body
    assert notice["Subject"] == "Defnyddiwyd cod adfer i fewngofnodi i FairPanel"
    assert "Mae gennych chi 3 chod ar ôl." in mailbox.body(notice)  # "few": tri chod


# Welsh's six plural forms, worked by hand (CLDR: 0 zero, 1 one, 2 two, 3 few, 6 many,
# other): "cais" (application) takes the soft mutation after 2 ("dau gais") and the
# aspirate after 3 and 6 ("tri chais", "chwe chais"); 0 and 7 take the plain form.
APPLICATIONS = {0: "0 cais", 1: "1 cais", 2: "2 gais", 3: "3 chais", 6: "6 chais",
                7: "7 cais"}


def test_a_welsh_page_counts_applications_in_welsh(app, mailbox):
    round_ = scoring_round("draft", members=())
    applications(round_, *[10] * 5, prefix="B")
    references = sorted(round_.applications, key=lambda a: a.id)
    readers = {}
    for count in (1, 2, 3, 6, 7):
        email = f"reader{count}@example.org"
        made = member(round_, email, "lived_experience")
        for application in references[:count]:
            db.session.add(Assignment(member_id=made.id, application_id=application.id,
                                      connection_answer="none"))
        readers[count] = email
    db.session.commit()
    rounds.change_phase(None, round_, "scoring", system="tests")
    db.session.commit()
    for count, email in readers.items():
        _welsh(email)
        client = app.test_client()
        people.sign_in_by_link(client, mailbox, email)
        page = _words(client.get("/my-rounds/test-round").get_data(as_text=True))
        assert '<html lang="cy">' in page
        assert f"Mae gennych chi {APPLICATIONS[count]} i'w sgorio." in page, count
    with app.test_request_context(), in_language("cy"):
        for count, words in APPLICATIONS.items():
            assert ngettext("You have %(num)d application to score.",
                            "You have %(num)d applications to score.", count) == \
                f"Mae gennych chi {words} i'w sgorio."


def test_wtforms_own_messages_follow_the_page_s_language(app):
    class Form(FlaskForm):
        name = StringField("Name", validators=[InputRequired()])

    def errors(language: str) -> list[str]:
        with app.test_request_context("/", method="POST", data={},
                                      headers={"Accept-Language": language}):
            form = Form(meta={"csrf": False})
            form.validate()
            return form.name.errors

    # Each in a context of its own, as each request is (the page's language is kept on
    # the application context, which the test's own would otherwise share).
    assert contextvars.Context().run(errors, "en") == ["This field is required."]
    assert contextvars.Context().run(errors, "cy") == ["Rhaid cwblhau'r maes hwn."]
