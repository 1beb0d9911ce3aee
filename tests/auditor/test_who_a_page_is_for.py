"""A member of staff refused a staff page is told whom it is for and where their own
work is, not to "contact the programme officer" (issue 20)."""
from __future__ import annotations

import html
import re

from tests.builders import people
from tests.builders import rounds as round_builders


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_an_officer_on_an_audit_page_is_told_it_is_for_auditors(app, officer):
    for path in ("/audit/", "/audit/trail", "/audit/verify"):
        response = officer.get(path)
        assert response.status_code == 403
        page = text(response)
        assert "<title>This page is for auditors" in response.get_data(as_text=True)
        assert "As a programme officer you follow each round from its own pages" in page
        assert "ask an admin to give your account the auditor role" in page
        assert "contact the programme officer" not in page
        assert 'href="/rounds/">Go to your rounds</a>' in response.get_data(as_text=True)


def test_an_auditor_on_an_officer_page_is_pointed_to_the_audit_pages(app, client):
    round_builders.draft_round()
    people.staff("audrey@example.org", "auditor", name="Audrey Auditor")
    people.sign_in_staff(client, "audrey@example.org")
    response = client.get("/rounds/test-round/")
    assert response.status_code == 403
    page = text(response)
    assert "This page is for programme officers" in page
    assert "As an auditor you can read every round's decisions and its trail" in page
    assert 'href="/audit/">Go to the audit pages</a>' in response.get_data(as_text=True)


def test_a_panellist_still_hears_to_ask_the_programme_officer(app, client, mailbox):
    people.panellist("amira@example.org")
    round_ = round_builders.draft_round()
    round_builders.member(round_, "amira@example.org", "lived_experience")
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    page = text(client.get("/audit/"))
    assert "You cannot see this page" in page
    assert "contact the programme officer for your round" in page
