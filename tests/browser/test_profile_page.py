"""The panellist's connections page on a 360 px phone, in real headless Chromium,
axe-checked: saving, and the error summary for a line that is too long."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.builders import people


def test_panellist_lists_their_connections_on_a_phone(app, visit, mailbox):
    people.demo_round()
    visitor = visit(phone=True)
    page = visitor.page
    visitor.goto("/sign-in")
    page.get_by_label("Email address").fill("dave@panel.example")
    page.get_by_role("button", name="Email me a sign-in link").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visitor.goto(mailbox.last_link("dave@panel.example", "/sign-in/link/"))
    page.get_by_role("button", name="Sign in").tap()
    expect(page.get_by_role("heading", level=1)).to_have_text("My rounds")

    visitor.goto("/my-connections")
    expect(page.get_by_role("heading", level=1)).to_have_text("My connections")
    box = page.get_by_label("Your connections")
    expect(box).to_have_value("eastgate food club\nCarers Together Network")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    box.fill("eastgate food club\n" + "x" * 201)
    page.get_by_role("button", name="Save my connections").tap()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_focused()
    visitor.check()
    summary.get_by_role("link", name="Line 2 is too long").click()
    expect(box).to_be_focused()

    box.fill("eastgate food club\nMoss Lane Tenants' Association")
    button = page.get_by_role("button", name="Save my connections")
    assert button.bounding_box()["height"] >= 44
    button.tap()
    expect(page.get_by_text("Your connections have been saved.")).to_be_visible()
    expect(box).to_have_value("eastgate food club\nMoss Lane Tenants' Association")
    expect(page.get_by_text("Possible match")).to_have_count(0)
    visitor.check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
