"""Retention per round (issue 19; panel/accounts/retention.py): the officer says how long
the panel's personal data is kept after publication; when the time comes (a frozen clock
here), the panel members are erased, the round says so, and someone still on a round that
keeps them longer is kept."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from panel.accounts import retention
from panel.accounts.services import find_user
from panel.audit.models import AuditEvent
from panel.auditor.queries import verify_chain
from panel.extensions import db
from panel.rounds import services as round_services
from panel.rounds.models import PanelMember, Round, months_after
from tests.builders import people
from tests.builders.demo import ACADEMICS, DEMO_SLUG, LIVED, OFFICER
from tests.support.web import submit

SETTING = f"/rounds/{DEMO_SLUG}/setup/retention"
PANEL = (*ACADEMICS, *LIVED, "chair@panel.example")


def _publish(round_) -> None:
    round_services.change_phase(find_user(OFFICER), round_, "published")
    db.session.commit()


def test_calendar_months_end_on_the_last_day_of_a_shorter_month():
    assert months_after(datetime(2027, 1, 31, 9), 1) == datetime(2027, 2, 28, 9)
    assert months_after(datetime(2027, 11, 15), 24) == datetime(2029, 11, 15)
    assert months_after(datetime(2028, 3, 31), 11) == datetime(2029, 2, 28)


def test_the_officer_sets_it_and_the_overview_says_when(demo_decided, client):
    _publish(demo_decided)
    people.sign_in_staff(client, OFFICER)
    refused = submit(client, SETTING, {"retention_months": "two years"})
    assert "Enter the number of months as a whole number from 1 to 120" in \
        refused.get_data(as_text=True)
    refused = submit(client, SETTING, {"retention_months": "0"})
    assert "from 1 to 120" in refused.get_data(as_text=True)
    assert db.session.get(Round, demo_decided.id).retention_months is None  # nothing changed

    done = submit(client, SETTING, {"retention_months": "24"}, follow_redirects=True)
    round_ = db.session.get(Round, demo_decided.id)
    assert round_.retention_months == 24
    due = months_after(round_.published_at, 24)
    assert f"Until {due:%-d %B %Y} (24 months after publication), then erased" in \
        done.get_data(as_text=True)
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "round.retention_changed"))
    assert (event.before, event.after) == ({"retention_months": None}, {"retention_months": 24})


def test_when_the_time_comes_the_panel_is_erased_once(demo_decided, runner):
    _publish(demo_decided)
    demo_decided.retention_months = 24
    # Amira is also on another round, still in scoring: she is kept for it.
    other = Round(slug="another", title="Another round", phase="scoring")
    db.session.add(other)
    db.session.flush()
    db.session.add(PanelMember(round_id=other.id, user_id=find_user("amira@panel.example").id))
    db.session.commit()
    due = months_after(demo_decided.published_at, 24)

    assert retention.apply_retention(now=due - timedelta(days=1)) == []
    assert find_user("dave@panel.example") is not None

    done = retention.apply_retention(now=due + timedelta(hours=1))
    db.session.commit()
    assert done == [retention.Applied(DEMO_SLUG, erased=len(PANEL) - 1, kept=1)]
    for email in PANEL:
        assert (find_user(email) is not None) == (email == "amira@panel.example"), email
    assert find_user(OFFICER) is not None  # staff are never erased this way
    round_ = db.session.get(Round, demo_decided.id)
    assert round_.retention_applied_at == due + timedelta(hours=1)
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "round.retention_applied"))
    assert event.after == {"retention_months": 24, "erased": len(PANEL) - 1,
                           "members_kept": 1}
    erased = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "user.erased")).all()
    assert len(erased) == len(PANEL) - 1
    assert {e.actor for e in erased} == {"system: retention"}
    assert verify_chain().ok

    # Done once: later runs change nothing.
    assert retention.apply_retention(now=due + timedelta(days=400)) == []
    result = runner.invoke(args=["people", "apply-retention", "--now"])
    assert result.exit_code == 0 and "No round's keeping time has run out." in result.output


def test_the_daily_job_erases_when_the_time_has_come(demo_decided, runner, app):
    """The job the timer hands to the worker (here, the in-process worker): it runs,
    erases, and the Jobs page's row says what it did."""
    from panel.jobs.models import Job
    from panel.jobs.queue import job_queue

    _publish(demo_decided)
    demo_decided.retention_months = 1
    demo_decided.published_at = datetime(2020, 1, 1)  # long ago: the time has come
    db.session.commit()
    result = runner.invoke(args=["people", "apply-retention"])
    assert result.exit_code == 0 and "Handed to the job worker" in result.output
    job_queue(app).run_pending()
    db.session.expire_all()
    row = db.session.scalar(sa.select(Job).where(Job.kind == "people.retention"))
    assert row.state == "done", (row.state, row.last_error)
    assert row.result == f"{DEMO_SLUG}: {len(PANEL)} erased, 0 kept for a later round"
    assert find_user("dave@panel.example") is None
