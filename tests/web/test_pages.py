"""Who may open which page, and what every response carries."""
from __future__ import annotations

import pytest

from tests.builders import people
from tests.support.web import submit

PAGE_FOR = {"officer": "programme officers", "auditor": "auditors", "admin": "admins"}
STAFF_PAGES = {
    "/rounds/": "officer",
    "/audit/": "auditor",
    "/audit/verify": "auditor",
    "/admin/people": "admin",
    "/admin/people/invite": "admin",
}


@pytest.mark.parametrize("path", [*STAFF_PAGES, "/my-rounds"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize("path,role", STAFF_PAGES.items())
def test_each_staff_page_needs_its_role(app, path, role):
    for other in {"officer", "auditor", "admin"} - {role}:
        client = app.test_client()
        people.staff(f"{other}-{role}@example.org", other)
        people.sign_in_staff(client, f"{other}-{role}@example.org")
        response = client.get(path)
        assert response.status_code == 403, (path, other)
        assert f"This page is for {PAGE_FOR[role]}" in response.get_data(as_text=True)
    client = app.test_client()
    people.staff(f"{role}@example.org", role)
    people.sign_in_staff(client, f"{role}@example.org")
    assert client.get(path).status_code == 200


def test_panellist_cannot_open_staff_pages(app, client, mailbox):
    people.demo_round()
    people.sign_in_by_link(client, mailbox, "amira@panel.example")
    for path in STAFF_PAGES:
        assert client.get(path).status_code == 403


def test_home_offers_each_area_of_a_person_with_several_roles(app, client):
    people.staff("both@example.org", "officer", "auditor", name="Bo Both")
    people.sign_in_staff(client, "both@example.org")
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Bo Both" in page
    assert 'href="/rounds/">Rounds</a>' in page and 'href="/audit/">Audit</a>' in page
    assert "People" not in page


def test_security_headers_on_every_page(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_posting_without_the_csrf_token_changes_nothing(app, client, mailbox):
    people.panellist("amira@example.org")
    response = client.post("/sign-in", data={"email": "amira@example.org"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_admin_cannot_remove_the_last_admin(app, client):
    admin = people.staff("admin@example.org", "admin", name="Ada Admin")
    people.sign_in_staff(client, "admin@example.org")
    response = submit(client, f"/admin/people/{admin.id}", {"roles": ["officer"]})
    assert "FairPanel needs at least one admin" in response.get_data(as_text=True)
    db_admin = app.extensions["sqlalchemy"].session.get(type(admin), admin.id)
    assert db_admin.role_names == {"admin"}


def test_admin_grants_and_removes_roles_on_the_trail(app, client):
    from panel.audit.models import AuditEvent
    from panel.audit.personal import opened
    from panel.extensions import db

    people.staff("admin@example.org", "admin", name="Ada Admin")
    other = people.staff("olu@example.org", "officer", name="Olu Officer")
    people.sign_in_staff(client, "admin@example.org")
    submit(client, f"/admin/people/{other.id}", {"roles": ["officer", "auditor"]})
    submit(client, f"/admin/people/{other.id}", {"roles": ["auditor"]})
    db.session.refresh(other)
    assert other.role_names == {"auditor"}
    events = db.session.query(AuditEvent).filter_by(action="user.roles_changed").all()
    assert [(e.before, e.after) for e in events] == [
        ({"roles": ["officer"]}, {"roles": ["auditor", "officer"]}),
        ({"roles": ["auditor", "officer"]}, {"roles": ["auditor"]}),
    ]
    assert {opened(e).who for e in events} == {"admin@example.org"}
