"""A person's own data (issue 19; panel/accounts/my_data.py), and the privacy notice and
accessibility statement every page's footer links to."""
from __future__ import annotations

import json

import sqlalchemy as sa

from panel.accounts.services import find_user
from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.rounds import services as round_services
from tests.builders import people
from tests.builders.demo import ACADEMICS, CANARIES, COMMENT, DEMO_SLUG, LIVED, OFFICER

AMIRA, KERRY = "amira@panel.example", "kerry@panel.example"


def _published(round_):
    round_services.change_phase(find_user(OFFICER), round_, "published")
    db.session.commit()


def test_a_panellist_reads_and_downloads_what_fairpanel_holds_about_them(demo_decided, client,
                                                                       mailbox):
    _published(demo_decided)
    people.sign_in_by_link(client, mailbox, AMIRA)
    page = client.get("/account/my-data").get_data(as_text=True)
    assert "What FairPanel holds about you" in page
    assert "Amira Hussain" in page and AMIRA in page
    assert COMMENT[2] in page  # her comment on CA-001
    assert "a panellist (Lived experience)" in page

    response = client.get("/account/my-data.json")
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="my-fairpanel-data.json"')
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == AMIRA and data["account"]["staff_roles"] == []
    place, = data["panel_places"]
    assert (place["round_slug"], place["role"], place["group"]) == (
        DEMO_SLUG, "panellist", "Lived experience")
    first = next(s for s in place["score_sheets"] if s["application"] == "CA-001")
    assert first["comment"] == COMMENT[2] and first["status"] == "submitted"
    assert len(first["scores"]) == len(demo_decided.criteria)
    assert len(place["connection_answers"]) == len(demo_decided.applications)
    assert {e["by"] for e in data["trail"]} <= {"you", "FairPanel staff"} | {
        e["by"] for e in data["trail"] if e["by"].startswith("system: ")}
    assert any(e["action"] == "sheet.submitted" and e["by"] == "you" for e in data["trail"])
    # The e-mails sent to her (the sign-in link she just used among them), without their
    # text: a copy of a live link does not belong in a download.
    assert "Your FairPanel sign-in link" in {e["subject"] for e in data["emails"]}
    assert {e["state"] for e in data["emails"]} <= {"sent", "pending", "failed"}
    assert "/sign-in/link/" not in json.dumps(data)
    assert "E-mails we sent you" in page and "“Your FairPanel sign-in link” (sent)" in page
    # Nobody else's data: no other panel member's address.
    text = json.dumps(data)
    for other in (*ACADEMICS, *LIVED, "chair@panel.example", OFFICER):
        if other != AMIRA:
            assert other not in text, other
    # A copy of personal data left the system: the trail says so.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "user.data_downloaded",
        AuditEvent.actor_id == find_user(AMIRA).id)) == 1


def test_a_declared_connection_is_in_its_panellists_data(demo_decided, client, mailbox):
    people.sign_in_by_link(client, mailbox, KERRY)
    data = json.loads(client.get("/account/my-data.json").get_data(as_text=True))
    connection, = data["panel_places"][0]["connections"]
    assert (connection["application"], connection["note"]) == ("CA-009",
                                                                CANARIES.connection_note)


def test_your_data_needs_signing_in(client):
    assert client.get("/account/my-data").status_code == 302
    assert client.get("/account/my-data.json").status_code == 302


def test_the_notices_are_public_and_linked_from_every_footer(app, client):
    app.config.update(ORGANISATION_NAME="Northshire Community Trust",
                      PRIVACY_CONTACT="privacy@northshire.example",
                      PRIVACY_RETENTION="We keep it for two years after each round.")
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "Northshire Community Trust uses FairPanel" in privacy
    assert 'href="mailto:privacy@northshire.example"' in privacy
    assert "We keep it for two years after each round." in privacy
    access = client.get("/accessibility").get_data(as_text=True)
    assert "WCAG" in access and "partially compliant" in access
    assert "privacy@northshire.example" in access  # no separate accessibility contact
    for page in ("/sign-in", "/privacy", "/accessibility"):
        html = client.get(page).get_data(as_text=True)
        assert 'href="/privacy"' in html and 'href="/accessibility"' in html, page
        assert ">Your data</a>" not in html  # signed out: no footer link to their data


def test_the_public_summary_links_the_notices_too(demo_decided, client):
    _published(demo_decided)
    html = client.get(f"/rounds/{DEMO_SLUG}/report/summary").get_data(as_text=True)
    assert 'href="/privacy"' in html and 'href="/accessibility"' in html
