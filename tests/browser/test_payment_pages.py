"""Paying panellists for their time, in real headless Chromium, axe-checked on every
page (issue 20; docs/payments.md): the officer sets the pay on a laptop; a
lived-experience panellist on a 360 px phone without JavaScript sees their time, corrects
it with a note and chooses whether to be paid; the officer approves the record and
downloads the payments."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import expect

from panel.extensions import db
from panel.rounds import setup
from panel.rounds.models import Phase
from tests.builders import people
from tests.builders.payments import LIVED, paid_round
from tests.support.web import submit

OFFICER = "officer@example.org"
SLUG = "test-round"


def heading(page):
    return page.get_by_role("heading", level=1)


def test_the_officer_sets_how_each_group_is_paid(app, visit):
    paid_round("draft", hourly=None, meeting_fee=None)
    people.staff(OFFICER, "officer")
    for width, phone in ((1280, False), (360, True)):
        visitor = visit(phone=phone, javascript=not phone,
                        viewport=None if phone else {"width": 1280, "height": 800})
        page = visitor.page
        visitor.sign_in_staff(OFFICER, people.PASSWORD)
        visitor.goto(f"/rounds/{SLUG}/setup")
        page.get_by_role("link", name="How each group is paid").click()
        expect(heading(page)).to_have_text("Test roundHow panellists are paid")
        visitor.check()
        visitor.fits(width)
        page.get_by_role("link", name="Change how Lived experience is paid").click()
        expect(heading(page)).to_have_text("Test roundHow Lived experience is paid")
        visitor.check()
        page.get_by_label("Hourly rate (optional)").fill("25")
        page.get_by_label("Fee for each application scored (optional)").fill("30")
        page.get_by_role("button", name="Save pay for Lived experience").click()
        expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
            "Choose an hourly rate or a fee per application, not both")
        visitor.check()
        visitor.fits(width)
        if phone:
            visitor.photograph("payment-rate-360x740")
        page.get_by_label("Fee for each application scored (optional)").fill("")
        page.get_by_label("Meeting fee (optional)").fill("£75")
        page.get_by_role("button", name="Save pay for Lived experience").click()
        expect(page.locator("#pay-lived_experience")).to_have_text(
            "£25 an hour and £75 for the meeting")
        expect(page.locator("#pay-academic")).to_have_text("Not paid")
        visitor.check()
        visitor.fits(width)
        visitor.photograph(f"payment-setup-{width}x{800 if width == 1280 else 740}")


def test_a_lived_experience_panellist_sees_and_corrects_their_time_on_a_phone(app, mailbox,
                                                                               visit):
    round_ = paid_round()
    setup.update_details(None, round_, title=round_.title, description="",
                         scoring_deadline=date(2026, 6, 30), time_zone="Europe/London",
                         funder="Northern Health Trust",
                         help_contact="Sam Patel, 0161 496 0000", minutes_per_application=30)
    db.session.commit()
    visitor = visit(phone=True, javascript=False)
    page = visitor.page
    visitor.sign_in_by_link(mailbox, LIVED)
    page.get_by_role("link", name="See all your applications").click()
    expect(page.locator("#welcome")).to_contain_text(
        "Funded by Northern Health Trust. You have 2 applications to score by "
        "23:59 BST on Tuesday 30 June 2026.")
    expect(page.locator("#welcome")).to_contain_text("If you need help, ask Sam Patel")
    visitor.check()
    visitor.fits(360)
    visitor.photograph("round-welcome-360x740", full_page=True)
    page.get_by_role("link", name="Growing food together").click()  # opens A1: time starts
    visitor.goto(f"/my-rounds/{SLUG}")
    page.get_by_role("link", name="Your time and payment").click()
    expect(heading(page)).to_have_text("Test roundYour time and payment")
    expect(page.locator("#pay-rate")).to_have_text(
        "You are paid £25 an hour and £75 for the meeting.")
    expect(page.get_by_text("Some benefits rules treat payment as income.")).to_be_visible()
    expect(page.locator("#time-list")).to_contain_text("Growing food together")
    visitor.check()
    visitor.fits(360)
    visitor.photograph("my-time-360x740", full_page=True)
    assert visitor.smallest_text_px() >= 16

    page.get_by_role("link", name="Change the time for Growing food together").click()
    expect(heading(page)).to_have_text("Growing food togetherChange your time")
    visitor.check()
    page.get_by_label("How many minutes did you spend?").fill("45")
    page.get_by_role("button", name="Save my time").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_contain_text(
        "Say in a few words why the time is different")
    visitor.check()
    visitor.fits(360)
    visitor.photograph("my-time-correction-360x740", full_page=True)
    page.get_by_label("Why is it different?").fill("I read it on paper first")
    page.get_by_role("button", name="Save my time").click()
    expect(page.get_by_text("Your time is saved. The programme officer will check it.")
           ).to_be_visible()
    expect(page.locator("#time-list")).to_contain_text("You said 45 minutes")
    expect(page.locator("#pay-total")).to_have_text("£18.75 so far.")  # 45/60 × £25
    visitor.check()

    page.get_by_role("link", name="Change whether you are paid").click()
    visitor.check()
    visitor.fits(360)
    visitor.photograph("my-pay-choice-360x740")
    page.get_by_label("No, do not pay me").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#pay-total")).to_have_text("Nothing, as you chose not to be paid.")
    visitor.check()

    laptop = visit(viewport={"width": 1280, "height": 800})
    laptop.sign_in_by_link(mailbox, LIVED)
    laptop.goto(f"/my-time/{SLUG}")
    expect(laptop.page.locator("#time-list")).to_contain_text("You said 45 minutes")
    laptop.fits(1280)
    laptop.photograph("my-time-1280x800")


def test_the_officer_approves_a_record_and_downloads_the_payments(app, mailbox, visit):
    round_ = paid_round()
    member = app.test_client()
    people.sign_in_by_link(member, mailbox, LIVED)
    submit(member, f"/my-time/{SLUG}/sheets/A1", {"minutes": "90", "note": "On paper"})
    round_.phase = Phase.MODERATION.value
    db.session.commit()
    people.staff(OFFICER, "officer")
    visitor = visit(viewport={"width": 1280, "height": 800})
    page = visitor.page
    visitor.sign_in_staff(OFFICER, people.PASSWORD)
    visitor.goto(f"/rounds/{SLUG}/payments")
    expect(heading(page)).to_have_text("Test roundPanellists' time and pay")
    row = page.get_by_role("row", name=re.compile("^Amira"))
    expect(row).to_contain_text("To approve")
    expect(row).to_contain_text("£37.50")  # 90 minutes at £25 an hour
    visitor.check()
    visitor.photograph("payments-1280x800")
    page.get_by_role("link", name="Amira").click()
    expect(page.get_by_role("row", name=re.compile("^Growing food together"))).to_contain_text(
        "On paper")
    visitor.check()
    page.get_by_role("button", name="Approve Amira's time and pay").click()
    expect(page.get_by_text("Amira's record is approved.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("^Amira"))).to_contain_text("Approved")
    visitor.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="Payments (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Amira,amira@example.org,Lived experience,no,90,0,0,1," in text
    assert "Total approved,,,,,,,,,37.5,," in text
    with page.expect_download() as workbook:
        page.get_by_role("link", name="Payments (Excel workbook)").click()
    assert workbook.value.suggested_filename == "test-round-payments.xlsx"

    phone = visit(phone=True, javascript=False)
    phone.sign_in_staff(OFFICER, people.PASSWORD)
    phone.goto(f"/rounds/{SLUG}/payments")
    phone.fits(360)
    phone.photograph("payments-360x740")
