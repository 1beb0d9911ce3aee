"""Reminders to 2,000 panellists (issue 16): the request only writes them to the outbox,
in a handful of statements whatever the panel's size (its time is printed; on this
machine about 0.2 s — benchmarks/operations.py measures it beside a floor), and the
sending job delivers every one to the loopback SMTP server, over one connection, off the
request; the officer follows the sending on its page."""
from __future__ import annotations

import time

from sqlalchemy import func, select

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.extensions import db
from panel.jobs.models import DONE, Job
from panel.mail.models import SENT, OutboxMessage
from tests.builders.large_panel import scoring_round_with_panel
from tests.support.jobs import run_jobs
from tests.support.statements import counted_statements
from tests.support.web import csrf_token

PANEL = 2000


def test_2000_reminders_are_queued_in_under_a_second_and_all_delivered(officer, app, mailbox):
    round_ = scoring_round_with_panel(PANEL)
    token = csrf_token(officer.get(f"/rounds/{round_.slug}/").get_data(as_text=True))

    started = time.perf_counter()
    with counted_statements() as statements:
        response = officer.post(f"/rounds/{round_.slug}/reminders", data={"csrf_token": token})
    queued_in = time.perf_counter() - started
    assert response.status_code == 302
    writes = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO OUTBOX")]
    assert len(writes) == 1  # one multi-row statement for all 2,000, not one each
    assert len(statements) < 40, len(statements)  # the same handful for any panel size
    started = time.perf_counter()
    run_jobs(app)
    delivered_in = time.perf_counter() - started
    print(f"\n{PANEL} reminders: request {queued_in:.3f} s, delivery by the job "
          f"{delivered_in:.1f} s ({db.engine.dialect.name})")

    assert len(mailbox.messages) == PANEL and mailbox.connections == 1
    assert {m["To"] for m in mailbox.messages} == {
        f"panellist{n:04}@example.org" for n in range(1, PANEL + 1)}
    assert db.session.scalar(select(func.count()).where(OutboxMessage.state == SENT)) == PANEL
    job = db.session.scalars(select(Job).where(Job.kind == "mail.send")).one()
    assert (job.state, job.round_id, job.progress_done, job.progress_total) == (
        DONE, round_.id, PANEL, PANEL)
    assert job.result == f"{PANEL} sent"
    page = officer.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sending e-mail" in page and "Done" in page and f"{PANEL} sent" in page
    sent = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reminders.sent")
                              ).one()
    assert opened(sent).after["count"] == PANEL  # what was queued; delivery is per message
