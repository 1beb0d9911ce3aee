"""Erasing a person's personal data (issue 19; panel/accounts/erasure.py): after the
round is published, two panellists ask to be forgotten. Their names, e-mails and words
leave every table, page, download and log line; their scores still count, the report's
figures are the same, the trail and every anchor still verify, and pages call them
"Erased panellist N"."""
from __future__ import annotations

import html
import json
import logging

import pytest
import sqlalchemy as sa

from panel.accounts import erasure
from panel.accounts.services import find_user
from panel.audit.anchors import check_anchors
from panel.audit.models import AuditEvent
from panel.auditor.queries import verify_chain
from panel.extensions import db
from panel.reports.report import round_report
from panel.rounds import services as round_services
from panel.rounds.models import Round
from tests.builders import people
from tests.builders.demo import CANARIES, COMMENT, DEMO_SLUG, OFFICER
from tests.support.crawl import crawl, readable
from tests.support.web import submit

AMIRA, KERRY = "amira@panel.example", "kerry@panel.example"
ADMIN, AUDITOR = "admin@fairpanel.example", "auditor@fairpanel.example"
REASON = "Asked to be forgotten by e-mail on 3 March 2027"


@pytest.fixture
def published(demo_decided):
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    return demo_decided


def _figures(report: dict) -> dict:
    """The report's numbers, without the anchor (the trail grows) or names."""
    return {"applications": report["applications"], "groups": report["groups"],
            "overrides": report["overrides"]}


def _database_text() -> str:
    """Every value of every row of every table, as text."""
    parts = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            for value in row:
                if isinstance(value, bytes):
                    parts.append(value.decode("utf-8", "replace"))
                elif isinstance(value, (dict, list)):
                    parts.append(json.dumps(value, ensure_ascii=False))
                elif value is not None:
                    parts.append(str(value))
    return "\n".join(parts).lower()


def test_erased_panellists_leave_no_trace_and_the_round_stands(published, runner, app, mailbox,
                                                               caplog):
    caplog.set_level(logging.INFO)  # every log line from here on, the erasures' included
    people_ = {email: (find_user(email).id, find_user(email).name) for email in (AMIRA, KERRY)}
    before = _figures(round_report(published))
    mailbox.clear()
    assert CANARIES.connection_note.lower() in _database_text()  # Kerry's note, to go

    for email in (AMIRA, KERRY):
        result = runner.invoke(args=["people", "erase", email, "--reason", REASON])
        assert result.exit_code == 0, result.output
        assert f"Erased: now “Erased panellist {people_[email][0]}”." in result.output

    db.session.expire_all()
    round_ = db.session.scalar(sa.select(Round).where(Round.slug == DEMO_SLUG))
    assert _figures(round_report(round_)) == before  # scores still count, same numbers
    report = verify_chain()
    assert report.ok, report.problem
    assert all(check.ok for check in check_anchors(report))
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0

    secrets = [s.lower() for email, (_, name) in people_.items() for s in (email, name)]
    secrets += [COMMENT[2].lower(), CANARIES.connection_note.lower()]
    stored = _database_text()
    for secret in secrets:
        assert secret not in stored, secret
    for email, (user_id, _) in people_.items():
        assert f"erased panellist {user_id}" in stored
        erased = db.session.get(type(find_user(OFFICER)), user_id)
        assert (erased.email, erased.active, erased.password_hash) == (
            f"erased-{user_id}@erased.invalid", False, None)
    events = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "user.erased")).all()
    assert len(events) == 2 and all(e.actor == "system: flask people erase" for e in events)

    # Every page and download each kind of staff member and the chair can reach.
    seen = []
    for who in (OFFICER, AUDITOR, ADMIN):
        client = app.test_client()
        people.sign_in_staff(client, who)
        starts = ["/", f"/rounds/{DEMO_SLUG}/report", f"/rounds/{DEMO_SLUG}/ranking",
                  "/audit/trail", "/admin/people"]
        for address, response in crawl(client, starts, limit=120):
            text = readable(response).lower()
            seen.append(address)
            for secret in secrets:
                assert secret not in text, (who, address, secret)
    for member in ("chair@panel.example", "dave@panel.example"):  # the chair, a panellist
        client = app.test_client()
        people.sign_in_by_link(client, mailbox, member)
        for address, response in crawl(client, ["/", f"/rounds/{DEMO_SLUG}/report/for-panel",
                                                "/account/my-data"], limit=60):
            text = readable(response).lower()
            for secret in secrets:
                assert secret not in text, (member, address, secret)
    assert any("/audit/" in a for a in seen) and any("/admin/people/" in a for a in seen)
    logged = caplog.text.lower()
    for secret in secrets:
        assert secret not in logged, secret
    # Every e-mail sent since (the crawlers' sign-in links, and the round's panel told
    # the report is out again below): none to them, none naming them.
    round_services._tell_report_is_published(round_)  # what publishing sends the panel
    db.session.commit()
    sent = mailbox.messages
    assert sent and len({m["To"] for m in sent}) > 2
    for message in sent:
        text = (message["To"] + message["Subject"] + message.get_content()).lower()
        for secret in secrets:
            assert secret not in text, (message["To"], secret)


def test_a_panellist_on_an_open_round_is_refused_unless_forced(app, runner):
    people.demo_round()  # in scoring
    user_id = find_user(AMIRA).id
    result = runner.invoke(args=["people", "erase", AMIRA, "--reason", REASON])
    assert result.exit_code != 0
    assert "is on the panel of a round still open" in result.output
    assert "force it with a reason" in result.output
    assert find_user(AMIRA) is not None  # nothing changed
    result = runner.invoke(args=["people", "erase", AMIRA, "--reason", "  "])
    assert "Give the reason" in result.output and find_user(AMIRA) is not None

    result = runner.invoke(args=["people", "erase", AMIRA, "--reason", REASON, "--force"])
    assert result.exit_code == 0, result.output
    assert find_user(AMIRA) is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.erased"))
    assert event.after["forced"] is True and event.after["open_rounds"] == [DEMO_SLUG]
    assert event.object_id == str(user_id)
    again = runner.invoke(args=["people", "erase", f"erased-{user_id}@erased.invalid",
                                "--reason", REASON])
    assert "already been erased" in again.output


def test_an_admin_erases_someone_on_the_page(published, client):
    kerry = find_user(KERRY)
    people.sign_in_staff(client, ADMIN)
    page = client.get(f"/admin/people/{kerry.id}").get_data(as_text=True)
    assert f"/admin/people/{kerry.id}/erase" in page
    form = client.get(f"/admin/people/{kerry.id}/erase").get_data(as_text=True)
    assert "Their scores, the panel's decisions and the decision trail stay" in form
    assert f"Erased panellist {kerry.id}" in form and "still open" not in form

    refused = submit(client, f"/admin/people/{kerry.id}/erase", {"reason": REASON})
    assert "Tick the box to confirm you understand this cannot be undone" in \
        refused.get_data(as_text=True)
    assert find_user(KERRY) is not None
    refused = submit(client, f"/admin/people/{kerry.id}/erase", {"reason": "", "understood": "y"})
    # What the browser shows (a lazily translated message reaches the page as markup, so its
    # apostrophe is not escaped as &#39;)
    assert "Give the reason for erasing this person's data" in \
        html.unescape(refused.get_data(as_text=True))

    done = submit(client, f"/admin/people/{kerry.id}/erase",
                  {"reason": REASON, "understood": "y"}, follow_redirects=True)
    text = done.get_data(as_text=True)
    assert f"Personal data erased. The account is now “Erased panellist {kerry.id}”." in text
    assert find_user(KERRY) is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.erased"))
    assert event.actor_id == find_user(ADMIN).id


def test_the_last_admin_and_oneself_cannot_be_erased(app):
    admin = people.staff("admin@example.org", "admin")
    with pytest.raises(erasure.ErasureError, match="only admin"):
        erasure.erase(None, admin, reason=REASON)
    other = people.staff("second@example.org", "admin")
    with pytest.raises(erasure.ErasureError, match="your own account"):
        erasure.erase(other, other, reason=REASON)
