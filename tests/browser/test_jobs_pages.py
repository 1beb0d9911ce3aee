"""The round's background work and the admin's jobs page in a real browser: axe on
both, and nothing wider than a 360 px phone."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.builders import people
from tests.builders import rounds as round_builders
from tests.support.jobs import run_jobs
from tests.support.web import submit


def test_background_work_and_jobs_pages_are_accessible_on_a_phone(app, visit, mailbox):
    people.staff("officer@example.org", "officer", "admin")
    round_builders.scoring_round(members=("amira@example.org",
                                          "refused-ben-with-a-long-address@example.org"))
    client = app.test_client()
    people.sign_in_staff(client, "officer@example.org")
    submit(client, "/rounds/test-round/", action="/rounds/test-round/reminders")
    run_jobs(app)

    for phone in (False, True):
        visitor = visit(phone=phone)
        visitor.sign_in_staff("officer@example.org", people.PASSWORD)
        visitor.goto("/rounds/test-round/background")
        page = visitor.page
        expect(page.get_by_role("heading", level=1)).to_contain_text("Background work")
        expect(page.get_by_role("rowheader",
                                name="refused-ben-with-a-long-address@example.org")).to_be_visible()
        visitor.photograph(f"background-work-{'360' if phone else '1280'}")
        if phone:
            visitor.fits(360)
        visitor.goto("/admin/jobs")
        expect(page.get_by_role("heading", level=1)).to_have_text("Jobs")
        visitor.photograph(f"jobs-{'360' if phone else '1280'}")
        if phone:
            visitor.fits(360)
