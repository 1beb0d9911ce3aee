"""Issue 3's "done when": an officer sets up a round from scratch in a real browser —
create it, import applications (CSV) and panellists (Excel), assign, open scoring —
with axe checking every page."""
from __future__ import annotations

import io

import pandas as pd
from playwright.sync_api import expect

from panel.extensions import db
from panel.rounds.queries import round_by_slug
from tests.builders import people

APPLICATIONS = (
    "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email\n"
    'W1,Warm room at the library,"A warm, friendly room open every weekday.",12000,Jo Bloggs,Library Friends,jo@lib.example\n'
    'W2,Soup and chat,"Hot soup and company on cold evenings.",8000,Sam Lee,Soup CIC,sam@soup.example\n'
    'W3,Boiler advice,"Help to keep homes warm for less.","£15,000",Ali Khan,Heat Trust,ali@heat.example\n'
)
PANELLISTS = pd.DataFrame([
    {"email": "ada@uni.example", "name": "Ada Academic", "group": "academic", "role": "panellist"},
    {"email": "lee@home.example", "name": "Lee Lived", "group": "lived_experience", "role": "panellist"},
    {"email": "cat@home.example", "name": "Cat Chair", "group": "", "role": "chair"},
])


def heading(page):
    return page.get_by_role("heading", level=1)


def test_officer_sets_up_a_round_from_scratch(app, visit, mailbox, tmp_path):
    people.staff("officer@example.org", "officer")
    visitor = visit()
    page = visitor.page
    visitor.goto("/sign-in/staff")
    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password").fill(people.PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # Create the round and give it a rubric and a budget.
    page.get_by_role("link", name="Create a round").click()
    page.get_by_label("Title").fill("Warm Spaces 2026")
    page.get_by_role("button", name="Create round").click()
    expect(heading(page)).to_have_text("Warm Spaces 2026Set-up")
    visitor.check()
    page.get_by_role("link", name="Change the criteria").click()
    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("Name", exact=True).fill("Benefit")
    page.get_by_label("Weight").fill("1")
    page.get_by_role("button", name="Add criterion").click()
    expect(page.get_by_text("Criterion added: Benefit.")).to_be_visible()
    page.get_by_role("link", name="Set-up", exact=True).click()
    page.get_by_role("link", name="Change the budget").click()
    page.get_by_label("Budget", exact=True).fill("£25,000")
    page.get_by_role("button", name="Save budget and funding rule").click()
    visitor.check()

    # Applications from a CSV file: preview first, nothing written until confirmed.
    csv_path = tmp_path / "applications.csv"
    csv_path.write_text(APPLICATIONS, encoding="utf-8")
    page.get_by_role("link", name="Applications", exact=True).click()
    visitor.check()
    page.get_by_label("Upload a file").set_input_files(str(csv_path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(heading(page)).to_contain_text("Check 3 applications from applications.csv")
    expect(page.get_by_text("They ask for £35,000 in all.", exact=False)).to_be_visible()
    visitor.check()
    slug = page.url.split("/rounds/")[1].split("/")[0]
    assert round_by_slug(slug).applications == []
    page.get_by_role("button", name="Add 3 applications").click()
    # A background job writes them; its page follows it to the end.
    expect(page.get_by_text("3 applications added from applications.csv.")).to_be_visible(
        timeout=20_000)
    visitor.check()

    # Panellists from an Excel workbook: new people are invited by e-mail.
    xlsx_path = tmp_path / "panel.xlsx"
    buffer = io.BytesIO()
    PANELLISTS.to_excel(buffer, index=False)
    xlsx_path.write_bytes(buffer.getvalue())
    page.get_by_role("link", name="Panel", exact=True).click()
    page.get_by_label("Upload a file").set_input_files(str(xlsx_path))
    page.get_by_role("button", name="Upload and preview").click()
    expect(heading(page)).to_contain_text("Check 3 people from panel.xlsx")
    visitor.check()
    page.get_by_role("button", name="Add 3 people to the panel").click()
    expect(page.get_by_text("3 people added to the panel.", exact=False)).to_be_visible(
        timeout=20_000)
    visitor.check()
    assert {m["To"] for m in mailbox.messages} == {
        "ada@uni.example", "lee@home.example", "cat@home.example"}

    # Everyone reviews everything (the default), then open scoring.
    page.get_by_role("link", name="Assignments").click()
    page.get_by_role("button", name="Preview the assignments").click()
    visitor.check()
    page.get_by_role("button", name="Apply these assignments").click()
    visitor.check()
    page.get_by_role("link", name="Phase").click()
    page.get_by_role("button", name="Move to scoring").click()
    expect(heading(page)).to_contain_text("Move from draft to scoring")
    visitor.check()
    page.get_by_role("button", name="Move to scoring").click()
    visitor.check()

    db.session.expire_all()
    round_ = round_by_slug(slug)
    assert round_.phase == "scoring"
    assert sum(len(m.assignments) for m in round_.members) == 6  # 2 panellists × 3, chair none
    assert round_.budget == 25000


def test_officer_imports_a_whole_bundle_in_the_browser(app, visit, tmp_path):
    from tests.builders.bundles import DEMO, _zip

    people.staff("officer@example.org", "officer")
    archive = tmp_path / "demo.zip"
    archive.write_bytes(_zip(DEMO))
    visitor = visit()
    page = visitor.page
    visitor.goto("/sign-in/staff")
    page.get_by_label("Email address").fill("officer@example.org")
    page.get_by_label("Password").fill(people.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Import a round bundle").click()
    visitor.check()
    page.get_by_label("Upload a round bundle").set_input_files(str(archive))
    page.get_by_role("button", name="Upload and preview").click()
    expect(heading(page)).to_contain_text("Community assets and health inequalities 2026")
    visitor.check()
    page.get_by_label("Email an invitation to panel members who are new to FairPanel").uncheck()
    page.get_by_role("button", name="Create this round").click()
    expect(page.get_by_text("Community assets and health inequalities 2026 imported from "
                            "demo.zip.")).to_be_visible(timeout=20_000)
    visitor.check()
    assert len(round_by_slug("community-assets-2026").applications) == 22
