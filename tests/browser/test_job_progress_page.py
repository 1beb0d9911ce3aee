"""A job's own page in real Chromium: waiting, then — live, without a reload by hand —
its result, as an officer follows an import on a laptop and on a phone; axe-clean and
nothing wider than the screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.builders import people
from tests.builders import rounds as round_builders
from tests.support.jobs import jobs_held

LAPTOP = {"width": 1280, "height": 800}
APPLICATIONS = ("reference,title,lay_summary,requested_amount,applicant_name,organisation,"
                "contact_email\n"
                "B1,Community fridge,A fridge where people share food.,1200,Jo Bloggs,"
                "Fridge CIC,jo@fridge.example\n"
                "B2,Walking group,Weekly walks.,2500,Sam Lee,Walkers Trust,sam@walk.example\n")


@pytest.mark.parametrize("phone", [False, True], ids=["laptop", "phone"])
def test_an_officer_follows_an_import_to_its_end(app, visit, tmp_path, phone):
    people.staff("officer@example.org", "officer")
    round_builders.draft_round()
    upload = tmp_path / "applications.csv"
    upload.write_text(APPLICATIONS, encoding="utf-8")
    visitor = visit(phone=phone, viewport=None if phone else LAPTOP)
    page, width = visitor.page, 360 if phone else 1280
    visitor.sign_in_staff("officer@example.org", people.PASSWORD)
    visitor.goto("/rounds/test-round/applications")
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    with jobs_held(app):
        page.get_by_role("button", name="Add 2 applications").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Importing a file")
        expect(page.get_by_text("Waiting to start.")).to_be_visible()
        expect(page.get_by_role("progressbar")).to_be_visible()
        visitor.check()
        visitor.fits(width)
        visitor.photograph(f"job-waiting-{width}x{740 if phone else 800}")
    # The worker takes the job; the page follows by itself and shows how it went.
    expect(page.get_by_role("heading", name="Done")).to_be_visible(timeout=20_000)
    expect(page.get_by_text("2 applications added from applications.csv.")).to_be_visible()
    visitor.check()
    visitor.fits(width)
    visitor.photograph(f"job-done-{width}x{740 if phone else 800}")
    page.get_by_role("link", name="Back to Test round").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test round")
