"""Issue 20, officers setting up, in a real browser at 360 and 1280 px with axe on every
page: the template downloads, a panel import naming groups by their labels, and the
compact round menu on a phone (with and without JavaScript)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from panel.extensions import db
from tests.builders import people
from tests.builders import rounds as round_builders

PANEL = "/rounds/test-round/panel"
APPLICATIONS = "/rounds/test-round/applications"
DASHBOARD = "/rounds/test-round/"
LABELLED = ("email,name,group,role\n"
            "ann@example.org,Ann Lee,Lived experience,panellist\n"
            "raj@example.org,Raj Patel,academic,panellist\n"
            "cat@example.org,Cat Chair,,chair\n")


@pytest.fixture
def draft(app):
    people.staff("officer@example.org")
    return round_builders.draft_round()


def sign_in(visitor):
    visitor.sign_in_staff("officer@example.org", people.PASSWORD)
    expect(visitor.page.get_by_role("heading", level=1)).to_have_text("Rounds")


@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_templates_download_and_a_panel_file_may_name_groups_by_label(
        draft, visit, mailbox, tmp_path, phone):
    visitor = visit(phone=phone)
    page = visitor.page
    sign_in(visitor)

    visitor.goto(APPLICATIONS)
    expect(page.get_by_text("5000, 5,000, £5,000 and 5000.50 are all fine")).to_be_visible()
    with page.expect_download() as got:
        page.get_by_role("link", name="Download the applications template (Excel, .xlsx)").click()
    assert got.value.suggested_filename == "applications-template.xlsx"
    sheet = load_workbook(io.BytesIO(Path(got.value.path()).read_bytes())).active
    assert [cell.value for cell in sheet[1]] == [
        "reference", "title", "lay_summary", "requested_amount", "applicant_name",
        "organisation", "contact_email", "title_cy", "lay_summary_cy"]
    assert sheet.max_row == 2  # the headings and one example row

    visitor.goto(PANEL)
    expect(page.get_by_text("Academic, Lived experience (or lived_experience)",
                            exact=False)).to_be_visible()
    with page.expect_download() as got:
        page.get_by_role("link", name="Download the panellists template (CSV)").click()
    assert got.value.suggested_filename == "panel-template.csv"
    assert Path(got.value.path()).read_text(encoding="utf-8").splitlines()[0] == (
        "email,name,group,role,affiliations,language")
    visitor.photograph(f"panel-import-{'360x740' if phone else '1280x800'}")
    if phone:
        visitor.fits(360)
        assert visitor.smallest_text_px() >= 16

    upload = tmp_path / "panel.csv"
    upload.write_text(LABELLED, encoding="utf-8")
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check 3 people from panel.csv")
    expect(page.get_by_role("row", name="Ann Lee")).to_contain_text("Lived experience")
    visitor.check()
    visitor.photograph(f"panel-preview-{'360x740' if phone else '1280x800'}")
    page.get_by_role("button", name="Add 3 people to the panel").click()
    expect(page.get_by_text("3 people added to the panel.", exact=False)).to_be_visible(
        timeout=20_000)
    visitor.check()
    visitor.goto(PANEL)
    expect(page.get_by_role("row", name="Ann Lee")).to_contain_text("Lived experience")
    expect(page.get_by_role("row", name="Raj Patel")).to_contain_text("Academic")
    db.session.expire_all()
    assert sorted((m.user.email, m.group.key if m.group else None)
                  for m in draft.members) == [("ann@example.org", "lived_experience"),
                                              ("cat@example.org", None),
                                              ("raj@example.org", "academic")]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_phone_gets_a_compact_round_menu_before_the_content(draft, visit, javascript):
    visitor = visit(phone=True, javascript=javascript)
    page = visitor.page
    sign_in(visitor)
    visitor.goto(DASHBOARD)
    menu = page.get_by_role("navigation", name="This round")
    expect(menu).to_have_count(1)  # the tabs are not displayed on a phone
    summary = page.locator("summary", has_text="Round menu")
    expect(summary).to_have_text("Round menu: Overview")
    expect(page.get_by_role("link", name="Applications", exact=True)).to_be_hidden()
    heading = visitor.box(page.get_by_role("heading", level=1))
    assert heading["y"] < 260, heading  # five rows of tabs put it near 400 px down
    assert visitor.box(summary)["height"] >= 44
    assert visitor.smallest_text_px() >= 16
    visitor.fits(360)
    if javascript:  # without it the page looks the same
        visitor.photograph("round-menu-360x740")

    summary.click()
    link = page.get_by_role("link", name="Applications", exact=True)
    expect(link).to_be_visible()
    assert visitor.box(link)["height"] >= 44
    visitor.check()
    if javascript:
        visitor.photograph("round-menu-open-360x740")
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Applications")
    expect(page.locator("summary", has_text="Round menu")).to_have_text(
        "Round menu: Applications")
    visitor.check()
    assert visitor.smallest_text_px() >= 16


def test_a_laptop_keeps_the_round_tabs(draft, visit):
    visitor = visit(viewport={"width": 1280, "height": 800})
    page = visitor.page
    sign_in(visitor)
    visitor.goto(DASHBOARD)
    expect(page.get_by_role("navigation", name="This round")).to_have_count(1)
    expect(page.locator("summary", has_text="Round menu")).to_be_hidden()
    tab = page.get_by_role("link", name="Overview")
    expect(tab).to_have_attribute("aria-current", "page")
    first, last = (visitor.box(page.get_by_role("link", name=name, exact=True))
                   for name in ("Overview", "Background work"))
    assert last["y"] - first["y"] < 60  # at most two rows of tabs
    visitor.photograph("round-tabs-1280x800")
