"""Headings are read by what they say, not how they are spelt (issue 22, item 2): a heading
that differs from a known column only by capitals, a kind of space, or an invisible
character is that column, so it is refused as a duplicate beside the real one, and alone
it is the real column — never an extra column shown to panellists."""
from __future__ import annotations

import pytest

from panel.bundle import import_bundle
from panel.extensions import db
from panel.models import Assignment
from panel.rounds import services as rounds
from panel.rounds import setup
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.bundles import demo_bundle, edit, problems_of, round_rows
from tests.support.jobs import finish_job
from tests.support.web import confirm_upload, submit, upload

# The four headings the issue found, and the column each of them is.
LOOK_ALIKES = [
    ("contact_email\u200b", "contact_email"),  # zero-width space
    ("Organisation\u00ad", "organisation"),  # soft hyphen
    ("contact\u00a0email", "contact_email"),  # no-break space
    ("Applicant_Name\ufeff", "applicant_name"),  # byte-order mark
]
COLUMNS = ["reference", "title", "lay_summary", "requested_amount", "applicant_name",
           "organisation", "contact_email", "area"]
ROW = ["B1", "Community fridge", "A fridge where people share food.", "1200",
       "CANARY-APPLICANT", "CANARY-ORG", "canary@leak.example", "north"]


def _csv(headings: list[str], *rows: list[str]) -> bytes:
    return "\n".join(",".join(cells) for cells in (headings, *rows)).encode("utf-8") + b"\n"


@pytest.mark.parametrize(("heading", "column"), LOOK_ALIKES)
def test_a_look_alike_beside_the_real_heading_is_refused_in_the_browser(app, officer,
                                                                        heading, column):
    round_builders.draft_round()
    before = round_rows()
    file = _csv([*COLUMNS, heading], [*ROW, "CANARY-SECOND"])
    html = upload(officer, "/rounds/test-round/applications", file, "apps.csv").get_data(
        as_text=True)
    assert f"applications.csv, row 1, column {column}" in html
    assert f"There are two columns called {column}" in html
    assert "differ only in capitals, spaces or invisible characters" in html
    assert "Nothing has been added." in html
    assert round_rows() == before


@pytest.mark.parametrize(("heading", "column"), LOOK_ALIKES)
def test_a_look_alike_beside_the_real_heading_is_refused_in_a_bundle(app, tmp_path,
                                                                     heading, column):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", ",lead_contact_phone\n", f",lead_contact_phone,{heading}\n")
    problems = [p for p in problems_of(folder) if p.row == 1]
    assert [(p.file, p.column) for p in problems] == [("applications.csv", column)]
    assert problems[0].message.startswith(f"There are two columns called {column}")


def test_look_alike_headings_alone_are_the_identifying_fields_and_stay_hidden(app, officer,
                                                                             mailbox):
    round_ = round_builders.draft_round(identifying_columns=["lead_contact_phone"])
    headings = ["Reference", "TITLE", "lay summary", "requested_amount",
                "Applicant_Name\ufeff", "Organisation\u00ad", "contact\u00a0email", "area",
                "Lead Contact\u2007Phone\u200b"]
    file = _csv(headings, [*ROW, "CANARY-PHONE-0770"])
    preview = upload(officer, "/rounds/test-round/applications", file, "apps.csv")
    html = preview.get_data(as_text=True)
    assert "Check 1 application from apps.csv" in html
    assert ("Hidden from them: applicant name, organisation, contact email, "
            "lead contact phone, area.") in html
    finish_job(app, officer, confirm_upload(officer, html,
                                            "/rounds/test-round/applications/confirm"))
    db.session.refresh(round_)
    application = round_.applications[0]
    assert (application.applicant_name, application.organisation,
            application.contact_email) == ("CANARY-APPLICANT", "CANARY-ORG",
                                           "canary@leak.example")
    assert application.extra == {"area": "north", "lead_contact_phone": "CANARY-PHONE-0770"}
    assert round_.identifying_columns == ["lead_contact_phone", "area"]  # new: hidden
    setup.set_blind(None, round_, identifying_columns=["lead_contact_phone"],
                    show_group_labels=True, lived_experience_first=True)  # area marked safe

    amira = round_builders.member(round_, "amira@example.org", "lived_experience")
    db.session.add(Assignment(member_id=amira.id, application_id=application.id))
    rounds.change_phase(None, round_, "scoring", system="tests")
    db.session.commit()
    panellist = app.test_client()
    people.sign_in_by_link(panellist, mailbox, "amira@example.org")
    submit(panellist, "/my-rounds/test-round/B1/connection", {"answer": "none"})
    page = panellist.get("/my-rounds/test-round/B1/application").get_data(as_text=True)
    assert "A fridge where people share food." in page and "north" in page
    for canary in round_builders.CANARIES:
        assert canary.lower() not in page.lower()


def test_a_bundle_with_look_alike_headings_imports_them_as_the_real_columns(app, tmp_path):
    folder = demo_bundle(tmp_path)
    edit(folder, "applications.csv", ",applicant_name,organisation,contact_email,",
         ",Applicant_Name\ufeff,Organisation\u00ad,contact\u00a0email,")
    round_ = import_bundle(None, folder, system="tests")
    first = round_.applications[0]
    assert (first.applicant_name, first.organisation, first.contact_email) == (
        "Priya Sharma", "Northfield Growers CIC", "priya@northfieldgrowers.example")
    assert set(first.extra) == {"area", "lead_contact_phone"}
