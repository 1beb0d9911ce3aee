"""Two-step sign-in in real headless Chromium, axe-checked, at phone width."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.builders import people
from tests.builders.people import next_code

OFFICER = "officer@example.org"
PHONE_WIDTH = 360


def fits_the_phone(visitor) -> None:
    assert visitor.page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def sign_in_with_password(visitor) -> None:
    visitor.goto("/sign-in/staff")
    visitor.page.get_by_label("Email address").fill(OFFICER)
    visitor.page.get_by_label("Password").fill(people.PASSWORD)
    visitor.page.get_by_role("button", name="Sign in").click()


def set_up_with_the_app(visitor) -> None:
    """On the set-up page: a wrong code first, then the one the app shows."""
    page = visitor.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    visitor.check()
    fits_the_phone(visitor)
    code = page.get_by_label("Enter the code from your authenticator app")
    code.fill("12345")
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("The code must be 6 digits, like 123456")
    visitor.check()
    code.fill(next_code(OFFICER))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.get_by_role("main").get_by_role("listitem")).to_have_count(10)
    visitor.check()
    fits_the_phone(visitor)
    page.get_by_role("link", name="I have saved my recovery codes").click()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_officer_sets_up_two_step_sign_in_and_signs_in_with_a_code_on_a_phone(app, visit, javascript):
    people.staff(OFFICER, "officer")
    visitor = visit(phone=True, javascript=javascript)
    page = visitor.page
    sign_in_with_password(visitor)
    visitor.goto("/account")
    fits_the_phone(visitor)
    page.get_by_role("link", name="Set up two-step sign-in").click()
    set_up_with_the_app(visitor)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rounds")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    sign_in_with_password(visitor)
    code = page.get_by_role("textbox", name="Enter the code from your authenticator app")
    expect(code).to_have_attribute("autocomplete", "one-time-code")
    expect(code).to_have_attribute("inputmode", "numeric")
    visitor.check()
    fits_the_phone(visitor)
    code.fill("000000" if next_code(OFFICER) != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_contain_text("That code is not right")
    expect(page).to_have_title("Error: Enter your code – FairPanel")
    if javascript:
        expect(summary).to_be_focused()
    visitor.check()
    code.fill(next_code(OFFICER))
    button = page.get_by_role("button", name="Sign in")
    assert button.bounding_box()["height"] >= 44
    button.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rounds")
    visitor.check()


def test_when_required_the_officer_sees_only_the_set_up_page(app, visit):
    app.config["TOTP_REQUIRED"] = True
    people.staff(OFFICER, "officer")
    visitor = visit(phone=True)
    sign_in_with_password(visitor)
    expect(visitor.page.get_by_text("Staff accounts need two-step sign-in.")).to_be_visible()
    visitor.goto("/rounds/")
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
    set_up_with_the_app(visitor)
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Rounds")
    visitor.check()


def test_recovery_code_page_is_accessible_on_a_phone(app, visit):
    from tests.builders.people import staff_with_two_step

    codes = staff_with_two_step(app, OFFICER)
    visitor = visit(phone=True)
    page = visitor.page
    sign_in_with_password(visitor)
    page.get_by_role("link", name="use one of your recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter one of your recovery codes")
    visitor.check()
    fits_the_phone(visitor)
    page.get_by_label("Enter one of your recovery codes").fill(codes[3])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("You have 9 recovery codes left.")).to_be_visible()
    visitor.check()
