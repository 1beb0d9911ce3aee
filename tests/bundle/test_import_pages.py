"""Importing applications and panellists in the browser: preview first, then a job that
writes everything in one transaction; a file with problems lists them all and changes
nothing."""
from __future__ import annotations

import hashlib
import io
import re

import pandas as pd
import sqlalchemy as sa

from panel.extensions import db
from panel.models import Application, AuditEvent, PanelMember, User
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.bundles import round_rows
from tests.support.jobs import finish_job
from tests.support.web import confirm_upload, make_app, upload

HEADER = "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email,area\n"
GOOD = HEADER + (
    'B1,Community fridge,"A fridge where people share food.",1200,Jo Bloggs,Fridge CIC,jo@fridge.example,north\n'
    'B2,Walking group,"Weekly walks for people who live alone.","£2,500.50",Sam Lee,Walkers Trust,sam@walk.example,south\n'
)


def test_applications_preview_writes_nothing_then_confirm_adds_them(app, officer):
    round_ = round_builders.draft_round()
    client = officer
    before = round_rows()
    preview = upload(client, "/rounds/test-round/applications", GOOD.encode(), "apps.csv")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Check 2 applications from apps.csv" in html
    assert "£3,700 in all" in html  # 1200 + 2500.50, shown to the pound
    assert ("Panellists and the chair will see: reference, title, lay summary, "
            "requested amount.") in html
    assert ("Hidden from them: applicant name, organisation, contact email, area.") in html
    assert "New columns are hidden in case they say who applied: area." in html
    assert round_rows() == before

    done = confirm_upload(client, html, "/rounds/test-round/applications/confirm")
    assert done.status_code == 302
    result = finish_job(app, client, done)
    assert "Done" in result and "2 applications added from apps.csv." in result
    added = db.session.scalars(sa.select(Application).where(Application.round_id == round_.id)
                               .order_by(Application.reference)).all()
    assert [(a.reference, str(a.requested_amount), a.extra) for a in added] == [
        ("B1", "1200.00", {"area": "north"}), ("B2", "2500.50", {"area": "south"})]
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-1] == "applications.imported"  # one event for the file
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    # The rows as checked, in the canonical form of docs/bundles.md, worked by hand.
    canonical = (
        '[{"applicant_name":"Jo Bloggs","contact_email":"jo@fridge.example",'
        '"extra":{"area":"north"},"lay_summary":"A fridge where people share food.",'
        '"organisation":"Fridge CIC","reference":"B1","requested_amount":"1200",'
        '"title":"Community fridge"},'
        '{"applicant_name":"Sam Lee","contact_email":"sam@walk.example",'
        '"extra":{"area":"south"},"lay_summary":"Weekly walks for people who live alone.",'
        '"organisation":"Walkers Trust","reference":"B2","requested_amount":"2500.5",'
        '"title":"Walking group"}]')
    assert event.after == {"count": 2,
                           "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
                           "hidden_columns": ["area"]}  # new, so hidden from panellists
    assert round_.identifying_columns == ["area"]
    assert (event.round_id, event.object_type) == (round_.id, "rounds")
    # The parked upload is used once: confirming again changes nothing.
    again = confirm_upload(client, html, "/rounds/test-round/applications/confirm")
    assert again.headers["Location"] == "/rounds/test-round/applications"
    assert "That upload has expired" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 2


def test_a_file_with_problems_lists_each_with_row_and_column_and_adds_nothing(app, officer):
    round_builders.draft_round()
    client = officer
    bad = HEADER + (
        "B1,Fridge,Food.,5k,Jo,Fridge CIC,jo@fridge.example,north\n"
        "B1,Walks,Walks.,100,Sam,Walkers,not-an-email,south\n"
    )
    before = round_rows()
    response = upload(client, "/rounds/test-round/applications", bad.encode(), "apps.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error: Applications – Test round" in html
    assert "applications.csv, row 2, column requested_amount" in html
    assert "applications.csv, row 3, column reference" in html
    assert "applications.csv, row 3, column contact_email" in html
    assert "Nothing has been added." in html
    assert round_rows() == before


def test_applications_from_an_excel_workbook(app, officer):
    round_builders.draft_round()
    client = officer
    frame = pd.read_csv(io.StringIO(GOOD), dtype=str)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    preview = upload(client, "/rounds/test-round/applications", buffer.getvalue(), "apps.xlsx")
    html = preview.get_data(as_text=True)
    assert "Check 2 applications from apps.xlsx" in html
    finish_job(app, client, confirm_upload(client, html, "/rounds/test-round/applications/confirm"))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 2


def test_only_csv_or_excel_files_are_accepted(app, officer):
    round_builders.draft_round()
    client = officer
    response = upload(client, "/rounds/test-round/applications", b"hello", "notes.txt")
    assert "The file must be a CSV file or an Excel workbook (.xlsx)" in response.get_data(as_text=True)


def test_panellists_import_invites_new_people_by_email(app, officer, mailbox):
    round_ = round_builders.draft_round()
    people.panellist("known@example.org", "Known Person")
    client = officer
    csv = ("email,name,group,role,affiliations\n"
           "known@example.org,Known Person,academic,panellist,\n"
           "new@example.org,New Person,lived_experience,panellist,Eastgate Food Club;Tenants' association\n"
           "chair@example.org,Chair Person,,chair,\n")
    preview = upload(client, "/rounds/test-round/panel", csv.encode(), "panel.csv")
    html = preview.get_data(as_text=True)
    assert "Check 3 people from panel.csv" in html
    assert "2 of them are new to FairPanel and will be invited by email." in html
    assert mailbox.messages == []
    result = finish_job(app, client, confirm_upload(client, html, "/rounds/test-round/panel/confirm"))
    assert "3 people added to the panel. New accounts have been invited by email." in result
    members = db.session.scalars(sa.select(PanelMember).where(PanelMember.round_id == round_.id)).all()
    by_email = {m.user.email: m for m in members}
    assert set(by_email) == {"known@example.org", "new@example.org", "chair@example.org"}
    assert by_email["new@example.org"].affiliations == ["Eastgate Food Club", "Tenants' association"]
    assert by_email["chair@example.org"].role == "chair"
    assert {m["To"] for m in mailbox.messages} == {"new@example.org", "chair@example.org"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 4


def test_uploads_stop_once_scoring_opens(app, officer):
    round_ = round_builders.draft_round()
    round_.phase = "scoring"
    db.session.commit()
    client = officer
    html = client.get("/rounds/test-round/applications").get_data(as_text=True)
    assert "can only be added while the round is in draft" in html
    assert 'type="file"' not in html


def test_uploads_over_the_size_limit_are_refused_and_change_nothing(app, officer):
    round_builders.draft_round()
    app.config["MAX_CONTENT_LENGTH"] = 4096
    before = round_rows()
    big = (GOOD + "B3,Padding,\"" + "x" * 8000 + "\",1,A,B,c@d.example,east\n").encode()
    response = upload(officer, "/rounds/test-round/applications", big, "apps.csv")
    assert response.status_code == 413
    assert "That file is too big" in response.get_data(as_text=True)
    assert round_rows() == before


def test_a_preview_on_one_machine_is_confirmed_on_another(app, officer, database_url, mailbox,
                                                          tmp_path):
    """Behind a load balancer the preview and the confirmation may reach different web
    processes on different machines: a second app with its own instance folder, on the
    same database, confirms what the first parked. The upload is used once, and it is
    nobody else's to confirm."""
    round_builders.draft_round()
    preview = upload(officer, "/rounds/test-round/applications", GOOD.encode(), "apps.csv")
    html = preview.get_data(as_text=True)
    assert "Check 2 applications from apps.csv" in html

    elsewhere = make_app(database_url, mailbox, tmp_path / "elsewhere")
    elsewhere.instance_path = str(tmp_path / "elsewhere" / "instance")
    assert elsewhere.instance_path != app.instance_path
    other_officer = elsewhere.test_client()
    people.staff("second.officer@example.org", "officer")
    people.sign_in_staff(other_officer, "second.officer@example.org")
    refused = confirm_upload(other_officer, other_officer.get("/rounds/test-round/applications")
                       .get_data(as_text=True).replace("</form>", _token_field(html) + "</form>"),
                       "/rounds/test-round/applications/confirm")
    assert refused.status_code == 302  # not theirs to confirm
    assert "That upload has expired. Upload the file again." in other_officer.get(
        refused.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 0

    second_machine = elsewhere.test_client()
    second_machine.set_cookie("fairpanel_session", officer.get_cookie("fairpanel_session").value)
    done = confirm_upload(second_machine, html, "/rounds/test-round/applications/confirm")
    assert "2 applications added from apps.csv." in finish_job(elsewhere, second_machine, done)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 2
    # Used once, on either machine.
    assert confirm_upload(officer, html, "/rounds/test-round/applications/confirm").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(
        db.metadata.tables["parked_uploads"])) == 0


def _token_field(preview_html: str) -> str:
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview_html).group(1)
    return f'<input name="token" type="hidden" value="{token}">'


def test_a_column_marked_safe_to_show_stays_shown_in_the_next_file(app, officer):
    round_ = round_builders.draft_round()
    html = upload(officer, "/rounds/test-round/applications", GOOD.encode(),
                  "apps.csv").get_data(as_text=True)
    finish_job(app, officer, confirm_upload(officer, html,
                                            "/rounds/test-round/applications/confirm"))
    db.session.refresh(round_)
    round_.identifying_columns = []  # the officer ticked area under Blind review
    db.session.commit()
    more = (HEADER.replace(",area\n", ",area,phone\n")
            + "B3,Choir,\"Singing together.\",900,Al Roy,Choir CIC,al@choir.example,"
              "east,0770 900 123\n")
    html = upload(officer, "/rounds/test-round/applications", more.encode(),
                  "more.csv").get_data(as_text=True)
    assert ("Panellists and the chair will see: reference, title, lay summary, "
            "requested amount, area.") in html
    assert "Hidden from them: applicant name, organisation, contact email, phone." in html
    finish_job(app, officer, confirm_upload(officer, html,
                                            "/rounds/test-round/applications/confirm"))
    db.session.refresh(round_)
    assert round_.identifying_columns == ["phone"]
