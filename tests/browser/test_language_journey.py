"""Issue 21's "Done when" as one journey, once in Welsh and once in English, in Debian's
Chromium on a 360×740 phone: a panellist who is not signed in opens the sign-in page,
changes its language with the switch, asks for a sign-in link, gets the e-mail in that
language from the loopback SMTP server and follows it; sees the round's deadline, the
end of 30 June 2027 in London, given in British Summer Time in their language; opens the
application (its Welsh title and lay summary in Welsh, the English in English), scores
both criteria by their Welsh or English names, guidance and level words, checks the
answers and submits; the page thanks them in their language and the database holds the
scores. Every page is axe-clean, no wider than the phone and has no text under 16 px.

The Welsh reader's browser asks for English and they press "Cymraeg"; the English
reader's browser asks for Welsh (as many in Wales do) and they press "English"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from panel.extensions import db
from panel.rounds.rules_time_zones import end_of_day
from panel.scoring.models import ScoreSheet
from tests.builders import people
from tests.builders.rounds import scoring_round

EMAIL = "eira@example.org"
NAME = "Eira Morgan"
ROUND = "/my-rounds/test-round"


@dataclass(frozen=True)
class Words:
    """What the panellist reads, and presses, in one language."""

    language: str
    html_lang: str
    browser: str  # the language the browser asks for before the switch is pressed
    switch: str  # the switch's button, named in the language it turns the pages into
    sign_in: str
    email_label: str
    send_link: str
    check_email: str
    subject: str
    sentence: str
    sign_in_as: str
    sign_in_button: str
    my_rounds: str
    progress: str
    moment: str  # the deadline
    deadline: str
    start: str
    connection: str
    no: str
    carry_on: str
    title: str
    lay_summary: str
    questions: tuple[tuple[str, str, str, str], ...]  # heading, guidance, choice, on check
    saved: str
    save: str
    comment_question: str
    comment: str
    check: str
    submit: str
    thanks: str
    done: str


WELSH = Words(
    language="cy", html_lang="cy", browser="en-GB", switch="Cymraeg",
    sign_in="Mewngofnodi i FairPanel", email_label="Cyfeiriad e-bost",
    send_link="Anfon dolen fewngofnodi ataf i", check_email="Edrychwch ar eich e-bost",
    subject="Eich dolen fewngofnodi FairPanel",
    sentence="Dyma eich dolen i fewngofnodi i FairPanel:",
    sign_in_as=f"Mewngofnodi fel {NAME}", sign_in_button="Mewngofnodi",
    my_rounds="Fy nghylchoedd", progress="0 o 1 wedi'u gwneud.",
    moment="dydd Mercher 30 Mehefin 2027 am 23:59 BST",
    deadline="Gorffennwch erbyn dydd Mercher 30 Mehefin 2027 am 23:59 BST, os gwelwch yn dda.",
    start="Dechrau sgorio", connection="Oes gennych chi unrhyw gysylltiad â'r prosiect hwn?",
    no="Na", carry_on="Parhau",
    title="Tyfu bwyd gyda'n gilydd", lay_summary="Gardd a rennir gan bawb ar y stad.",
    questions=(("Ansawdd", "Pa mor dda yw'r cynllun?", "4 – Da", "Da – 4 o 5"),
               ("Angen", "Pa mor fawr yw'r angen?", "2 – Gwan", "Gwan – 2 o 5")),
    saved="Wedi'i gadw", save="Cadw a pharhau",
    comment_question="Oes unrhyw beth rydych chi eisiau ei ddweud am y prosiect hwn?",
    comment="Syniad da.", check="Gwirio eich atebion", submit="Cyflwyno fy sgorau",
    thanks="Mae eich sgorau wedi'u hanfon. Diolch!", done="1 o 1 wedi'u gwneud.",
)

ENGLISH = Words(
    language="en", html_lang="en-GB", browser="cy-GB", switch="English",
    sign_in="Sign in to FairPanel", email_label="Email address",
    send_link="Email me a sign-in link", check_email="Check your email",
    subject="Your FairPanel sign-in link", sentence="Here is your link to sign in to FairPanel:",
    sign_in_as=f"Sign in as {NAME}", sign_in_button="Sign in",
    my_rounds="My rounds", progress="0 of 1 done.",
    moment="23:59 BST on Wednesday 30 June 2027",
    deadline="Please finish by 23:59 BST on Wednesday 30 June 2027.",
    start="Start scoring", connection="Do you have any connection to this project?",
    no="No", carry_on="Continue",
    title="Growing food together", lay_summary="A garden shared by everyone on the estate.",
    questions=(("Quality", "How good is the plan?", "4 – Good", "Good – 4 of 5"),
               ("Need", "How big is the need?", "2 – Weak", "Weak – 2 of 5")),
    saved="Saved", save="Save and continue",
    comment_question="Anything you want to say about this project?",
    comment="A good idea.", check="Check your answers", submit="Submit my scores",
    thanks="Your scores have been sent. Thank you!", done="1 of 1 done.",
)


def _bilingual_round():
    """The tests' round (criteria Quality, weight 3, and Need, weight 1; scale 1–5) with
    Welsh beside every English word a panellist reads, scoring until the end of
    Wednesday 30 June 2027 in London: 23:59:59 BST, 22:59:59 UTC. Eira scores A1."""
    round_ = scoring_round(members=(EMAIL,))
    round_.scoring_deadline = end_of_day(date(2027, 6, 30), "Europe/London")
    a1 = round_.applications[0]
    a1.title_cy = WELSH.title
    a1.lay_summary, a1.lay_summary_cy = ENGLISH.lay_summary, WELSH.lay_summary
    for criterion, english, welsh in zip(round_.criteria, ENGLISH.questions, WELSH.questions):
        criterion.guidance = english[1]
        criterion.name_cy, criterion.guidance_cy = welsh[0], welsh[1]
    round_.scale_descriptors = {"1": "Very weak", "2": "Weak", "3": "OK", "4": "Good",
                                "5": "Outstanding"}
    round_.scale_descriptors_cy = {"1": "Gwan iawn", "2": "Gwan", "3": "Iawn", "4": "Da",
                                   "5": "Rhagorol"}
    people.user_named(EMAIL).name = NAME
    db.session.commit()


@pytest.mark.parametrize("words", [WELSH, ENGLISH], ids=["cy", "en"])
def test_a_panellist_signs_in_and_scores_in_their_language(app, visit, mailbox, words):
    _bilingual_round()
    reader = visit(phone=True, locale=words.browser)
    page = reader.page

    def step(heading: str | None = None, language: Words = words) -> None:
        """The page reached: its heading, its language, axe, the phone's width, 16 px."""
        if heading:
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("html")).to_have_attribute("lang", language.html_lang)
        reader.check()
        reader.fits(360)
        assert reader.smallest_text_px() >= 16, page.url

    # Not signed in: the page is in the language the browser asks for, until the switch.
    reader.goto("/sign-in")
    other = ENGLISH if words is WELSH else WELSH
    step(other.sign_in, other)
    switch = page.get_by_role("button", name=words.switch)
    expect(switch).to_have_attribute("lang", words.html_lang)
    switch.tap()
    page.wait_for_load_state("load")
    assert page.url == reader.base_url + "/sign-in"
    step(words.sign_in)
    page.get_by_label(words.email_label).fill(EMAIL)
    page.get_by_role("button", name=words.send_link).tap()
    step(words.check_email)

    [message] = mailbox.to(EMAIL)
    assert message["Subject"] == words.subject
    assert words.sentence in mailbox.body(message)
    reader.goto(mailbox.last_link(EMAIL, "/sign-in/link/"))
    step(words.sign_in_as)
    if words is WELSH:
        reader.photograph("journey-cy-email-link-360x740")
    page.get_by_role("button", name=words.sign_in_button, exact=True).tap()

    step(words.my_rounds)
    expect(page.get_by_text(words.progress)).to_be_visible()
    expect(page.get_by_text(words.deadline)).to_be_visible()
    expect(page.locator("strong", has_text="BST")).to_be_visible()
    if words is WELSH:
        reader.photograph("journey-cy-my-rounds-360x740")
    page.get_by_role("link", name=re.compile("^" + words.start)).tap()

    step(words.connection)
    page.get_by_label(words.no, exact=True).tap()
    page.get_by_role("button", name=words.carry_on).tap()

    step(words.title)  # the application, wholly in the reader's language
    expect(page.locator("main").get_by_text(words.lay_summary)).to_be_visible()
    expect(page.locator(".fp-only-english")).to_have_count(0)
    page.get_by_role("link", name=words.start, exact=True).tap()

    for heading, guidance, choice, _on_check in words.questions:
        step(heading)
        expect(page.get_by_text(guidance)).to_be_visible()
        expect(page.locator("main")).to_contain_text(words.title)
        if words is WELSH and heading == words.questions[0][0]:
            reader.photograph("journey-cy-question-360x740")
        page.get_by_label(choice, exact=True).tap()
        expect(page.get_by_text(words.saved, exact=True)).to_be_visible()  # by JavaScript
        page.get_by_role("button", name=words.save).tap()

    expect(page.get_by_role("heading", level=1)).to_contain_text(words.comment_question)
    page.get_by_label(re.compile("^" + re.escape(words.comment_question))).fill(words.comment)
    step()
    page.get_by_role("button", name=words.save).tap()

    step(words.check)
    for heading, _guidance, _choice, on_check in words.questions:
        row = page.locator(".fp-summary-list__row", has_text=heading)
        expect(row.locator(".fp-summary-list__value")).to_have_text(on_check)
    expect(page.get_by_text(words.comment)).to_be_visible()
    page.get_by_role("button", name=words.submit).tap()

    step("Test round")  # the round's own page
    expect(page.get_by_text(words.thanks)).to_be_visible()
    expect(page.get_by_text(words.done)).to_be_visible()
    expect(page.locator("#welcome")).to_contain_text(words.moment)
    if words is WELSH:
        reader.photograph("journey-cy-sent-360x740")

    db.session.expire_all()
    assert people.user_named(EMAIL).language == words.language  # kept at sign-in
    [sheet] = db.session.scalars(sa.select(ScoreSheet)).all()
    assert (sheet.status, sheet.application.reference, sheet.comment) == (
        "submitted", "A1", words.comment)
    assert {s.criterion.key: s.value for s in sheet.scores} == {"q": 4, "n": 2}
    # S = 100 × (3 × (4 − 1) + 1 × (2 − 1)) / ((5 − 1) × (3 + 1)) = 100 × 10 / 16
    assert sheet.score == 62.5
