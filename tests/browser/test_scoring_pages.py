"""A lived-experience panellist scores an application on a phone, by touch with and
without JavaScript, and by keyboard only; axe checks every page on the way."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.builders import people

EMAIL = "amira@panel.example"


@pytest.fixture
def demo(app):
    return people.demo_round()


def sign_in(visitor, mailbox):
    page = visitor.page
    visitor.goto("/sign-in")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Email me a sign-in link").click()
    visitor.goto(mailbox.last_link(EMAIL, "/sign-in/link/"))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My rounds")


def fits(visitor, width=360):
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= width, visitor.page.url


def step(visitor):
    visitor.check()
    fits(visitor)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_panellist_scores_an_application_by_touch(demo, visit, mailbox, javascript):
    visitor = visit(phone=True, javascript=javascript)
    page = visitor.page
    sign_in(visitor, mailbox)
    step(visitor)
    # A compact header on a phone: no tagline, the menu in 16px text (was 190 px tall).
    assert visitor.box(page.locator("header.fp-header"))["height"] <= 150
    page.get_by_role("link", name=re.compile("^Start scoring")).tap()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Do you have any connection to this project?")
    step(visitor)
    page.get_by_label("No", exact=True).tap()
    page.get_by_role("button", name="Continue").tap()

    expect(page.get_by_text("Read the application")).to_be_visible()
    step(visitor)
    page.get_by_role("link", name="Start scoring").tap()

    for number, answer in enumerate(["4 – Real benefit for people who need it",
                                     "I don't feel able to score this",
                                     "3 – Plan is OK but has some risks",
                                     "5 – Great value for every pound"], start=1):
        expect(page.get_by_text(f"Question {number} of 4")).to_be_visible()
        radio = page.get_by_label(answer)
        assert visitor.box(radio)["height"] >= 44
        if number == 1 and javascript:
            visitor.photograph("question-360x740")
        radio.tap()
        if javascript:
            expect(page.get_by_text("Saved", exact=True)).to_be_visible()
        step(visitor)
        page.get_by_role("button", name="Save and continue").tap()

    page.get_by_label(re.compile("Anything you want to say")).fill("A lovely idea.")
    step(visitor)
    page.get_by_role("button", name="Save and continue").tap()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    # The words they chose, not only a number.
    expect(page.get_by_text("Real benefit for people who need it – 4 of 5")).to_be_visible()
    if javascript:
        visitor.photograph("check-360x740", full_page=True)
    expect(page.get_by_text("A lovely idea.")).to_be_visible()
    step(visitor)
    page.get_by_role("button", name="Submit my scores").tap()

    expect(page.get_by_text("Your scores have been sent. Thank you!")).to_be_visible()
    expect(page.get_by_text("1 of 22 done.")).to_be_visible()
    step(visitor)
    page.get_by_role("link", name="Growing food together on the estate").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your scores have been sent")
    step(visitor)


def test_panellist_scores_with_the_keyboard_only(demo, visit, mailbox):
    visitor = visit()
    page = visitor.page
    sign_in(visitor, mailbox)

    def press(locator, key="Enter"):
        locator.focus()
        expect(locator).to_be_focused()
        page.keyboard.press(key)

    press(page.get_by_role("link", name=re.compile("^Start scoring")))
    press(page.get_by_label("No", exact=True), "Space")
    press(page.get_by_role("button", name="Continue"))
    expect(page.get_by_text("Read the application")).to_be_visible()
    visitor.check()
    press(page.get_by_role("link", name="Start scoring"))
    for number in range(1, 5):
        expect(page.get_by_text(f"Question {number} of 4")).to_be_visible()
        press(page.get_by_label(re.compile("^3 – ")), "Space")
        expect(page.get_by_label(re.compile("^3 – "))).to_be_checked()
        visitor.check()
        press(page.get_by_role("button", name="Save and continue"))
    # Wait for the comment page itself: pressing too early presses question 4's button.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anything you want to say")
    press(page.get_by_role("button", name="Save and continue"))  # no comment
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    visitor.check()
    press(page.get_by_role("button", name="Submit my scores"))
    expect(page.get_by_text("1 of 22 done.")).to_be_visible()


def test_a_connection_steps_the_panellist_out_kindly(demo, visit, mailbox):
    visitor = visit(phone=True)
    page = visitor.page
    sign_in(visitor, mailbox)
    page.get_by_role("link", name=re.compile("^Start scoring")).tap()
    page.get_by_label("Yes, I have a connection").tap()
    page.get_by_role("button", name="Continue").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is your connection?")
    step(visitor)
    page.get_by_label("I use their services").tap()
    page.get_by_role("button", name="Tell the organisers").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("You will not score this one")
    step(visitor)


def test_an_academic_scores_on_one_page_by_keyboard_in_under_20_key_presses(
        demo, visit, mailbox):
    """From the application's page to the scores sent, with the keyboard only and every
    key counted: Tab to Start scoring, a number for each of the 4 questions, Tab to Send."""
    visitor = visit(viewport={"width": 1280, "height": 800})
    page = visitor.page
    sign_in(visitor, mailbox)
    page.get_by_role("link", name=re.compile("^Start scoring")).click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="answer every question on one page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your scores")
    visitor.check()
    visitor.photograph("sheet-1280x800")
    visitor.fits(360)  # it works on a phone too, though phones start one at a time
    visitor.photograph("sheet-360x740")
    page.set_viewport_size({"width": 1280, "height": 800})
    # The choice is remembered: the application's page now starts on the one page.
    page.get_by_role("link", name="Back to the application").click()
    expect(page.get_by_text("Read the application")).to_be_visible()

    presses = []

    def press(key):
        presses.append(key)
        page.keyboard.press(key)

    def focused_text():
        return page.evaluate("document.activeElement && document.activeElement.innerText")

    while focused_text() != "Start scoring" and len(presses) < 20:
        press("Tab")
    press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your scores")
    for key in ("4", "3", "5", "2"):
        press(key)
    expect(page.get_by_label(re.compile("^4 – ")).first).to_be_checked()
    expect(page.locator("textarea")).to_be_focused()  # after the last question
    while focused_text() != "Send my scores" and len(presses) < 30:
        press("Tab")
    press("Enter")
    expect(page.get_by_text("Your scores have been sent. Thank you!")).to_be_visible()
    expect(page.get_by_role("link", name="Go to the next application")).to_be_visible()
    visitor.check()
    print(f"key presses: {len(presses)}: {' '.join(presses)}")
    assert len(presses) <= 20, presses
