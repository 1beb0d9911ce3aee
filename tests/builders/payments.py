"""Builders for paying panellists (docs/payments.md): a round being scored whose
lived-experience group is paid, through the real services (audited)."""
from __future__ import annotations

from datetime import timedelta

from panel.extensions import db
from panel.payments import services
from panel.payments.models import TimeRecord
from panel.rounds.models import Assignment, Round
from tests.builders.rounds import member, scoring_round

LIVED = "amira@example.org"  # lived experience, paid
ACADEMIC = "prof@example.org"  # academic, not paid
HOURLY = 2500  # £25 an hour
MEETING_FEE = 7500  # £75 for the meeting


def paid_round(phase: str = "scoring", *, hourly: int | None = HOURLY,
               per_application: int | None = None,
               meeting_fee: int | None = MEETING_FEE) -> Round:
    """The tests' scoring round (A1, A2) with a lived-experience member assigned both,
    and an academic assigned A1 (both said they have no connection to A1); lived
    experience is paid at the rates given."""
    round_ = scoring_round("draft", members=(LIVED,))
    academic = member(round_, ACADEMIC, "academic")
    lived = round_.members[0]
    # A1 answered "no connection" by both; A2 (the lived member's) not answered yet.
    lived.assignments[0].connection_answer = "none"
    db.session.add(Assignment(member_id=lived.id, application_id=round_.applications[1].id))
    db.session.add(Assignment(member_id=academic.id, connection_answer="none",
                              application_id=round_.applications[0].id))
    group = next(g for g in round_.groups if g.key == "lived_experience")
    services.set_rate(None, group, hourly=hourly, per_application=per_application,
                      meeting_fee=meeting_fee)
    if phase != "draft":
        round_.phase = phase
    db.session.commit()
    return round_


def time_of(round_: Round, email: str, reference: str | None) -> TimeRecord | None:
    """The member's record for ``reference`` (None: the meeting), fresh from the database."""
    db.session.expire_all()
    found = [t for t in db.session.query(TimeRecord).filter_by(round_id=round_.id)
             if t.member_id == member_id(round_, email)
             and (t.application.reference if t.application else None) == reference]
    return found[0] if found else None


def member_id(round_: Round, email: str) -> int:
    return next(m.id for m in round_.members if m.user.email == email)


def step_back(time: TimeRecord, minutes: float) -> None:
    """As if the member's last request was ``minutes`` earlier than it was."""
    time.last_seen_at -= timedelta(minutes=minutes)
    db.session.commit()
