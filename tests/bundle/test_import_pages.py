"""Importing applications and panellists in the browser: preview first, then one
transaction; a file with problems lists them all and changes nothing."""
from __future__ import annotations

import io
import re

import pandas as pd
import sqlalchemy as sa

from panel.extensions import db
from panel.models import Application, AuditEvent, PanelMember, User
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.support.web import csrf_token

HEADER = "reference,title,lay_summary,requested_amount,applicant_name,organisation,contact_email,area\n"
GOOD = HEADER + (
    'B1,Community fridge,"A fridge where people share food.",1200,Jo Bloggs,Fridge CIC,jo@fridge.example,north\n'
    'B2,Walking group,"Weekly walks for people who live alone.","£2,500.50",Sam Lee,Walkers Trust,sam@walk.example,south\n'
)


def _counts():
    return {name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for name, table in db.metadata.tables.items()}


def _upload(client, path, content: bytes, filename: str):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(page),
                                   "file": (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


def _confirm(client, preview_html: str, action: str):
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', preview_html).group(1)
    return client.post(action, data={"csrf_token": csrf_token(preview_html), "token": token})


def test_applications_preview_writes_nothing_then_confirm_adds_them(app, officer):
    round_ = round_builders.draft_round()
    client = officer
    before = _counts()
    preview = _upload(client, "/rounds/test-round/applications", GOOD.encode(), "apps.csv")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Check 2 applications from apps.csv" in html
    assert "£3,700 in all" in html  # 1200 + 2500.50, shown to the pound
    assert "Other columns will be kept: area." in html
    assert _counts() == before

    done = _confirm(client, html, "/rounds/test-round/applications/confirm")
    assert done.status_code == 302
    added = db.session.scalars(sa.select(Application).where(Application.round_id == round_.id)
                               .order_by(Application.reference)).all()
    assert [(a.reference, str(a.requested_amount), a.extra) for a in added] == [
        ("B1", "1200.00", {"area": "north"}), ("B2", "2500.50", {"area": "south"})]
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["application.added", "application.added"]
    page = client.get("/rounds/test-round/applications").get_data(as_text=True)
    assert "2 applications added from apps.csv." in page
    # The parked upload is used once: confirming again changes nothing.
    again = _confirm(client, html, "/rounds/test-round/applications/confirm")
    assert again.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 2


def test_a_file_with_problems_lists_each_with_row_and_column_and_adds_nothing(app, officer):
    round_builders.draft_round()
    client = officer
    bad = HEADER + (
        "B1,Fridge,Food.,5k,Jo,Fridge CIC,jo@fridge.example,north\n"
        "B1,Walks,Walks.,100,Sam,Walkers,not-an-email,south\n"
    )
    before = _counts()
    response = _upload(client, "/rounds/test-round/applications", bad.encode(), "apps.csv")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "<title>Error: Applications – Test round" in html
    assert "applications.csv, row 2, column requested_amount" in html
    assert "applications.csv, row 3, column reference" in html
    assert "applications.csv, row 3, column contact_email" in html
    assert "Nothing has been added." in html
    assert _counts() == before


def test_applications_from_an_excel_workbook(app, officer):
    round_builders.draft_round()
    client = officer
    frame = pd.read_csv(io.StringIO(GOOD), dtype=str)
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    preview = _upload(client, "/rounds/test-round/applications", buffer.getvalue(), "apps.xlsx")
    html = preview.get_data(as_text=True)
    assert "Check 2 applications from apps.xlsx" in html
    _confirm(client, html, "/rounds/test-round/applications/confirm")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Application)) == 2


def test_only_csv_or_excel_files_are_accepted(app, officer):
    round_builders.draft_round()
    client = officer
    response = _upload(client, "/rounds/test-round/applications", b"hello", "notes.txt")
    assert "The file must be a CSV file or an Excel workbook (.xlsx)" in response.get_data(as_text=True)


def test_panellists_import_invites_new_people_by_email(app, officer, mailbox):
    round_ = round_builders.draft_round()
    people.panellist("known@example.org", "Known Person")
    client = officer
    csv = ("email,name,group,role,affiliations\n"
           "known@example.org,Known Person,academic,panellist,\n"
           "new@example.org,New Person,lived_experience,panellist,Eastgate Food Club;Tenants' association\n"
           "chair@example.org,Chair Person,,chair,\n")
    preview = _upload(client, "/rounds/test-round/panel", csv.encode(), "panel.csv")
    html = preview.get_data(as_text=True)
    assert "Check 3 people from panel.csv" in html
    assert "2 of them are new to FairPanel and will be invited by email." in html
    assert mailbox.messages == []
    _confirm(client, html, "/rounds/test-round/panel/confirm")
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
    before = _counts()
    big = (GOOD + "B3,Padding,\"" + "x" * 8000 + "\",1,A,B,c@d.example,east\n").encode()
    response = _upload(officer, "/rounds/test-round/applications", big, "apps.csv")
    assert response.status_code == 413
    assert "That file is too big" in response.get_data(as_text=True)
    assert _counts() == before
