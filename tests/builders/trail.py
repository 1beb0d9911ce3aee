"""The decision trail in tests: taking away the database's guard triggers, to show that
`flask audit verify` catches what someone with the database could do."""
from __future__ import annotations

from contextlib import contextmanager, nullcontext

import pytest
import sqlalchemy as sa

from panel.accounts import services as accounts
from panel.accounts.models import User
from panel.conflicts import services as conflicts
from panel.extensions import db
from panel.moderation import services as moderation
from panel.rounds import services as rounds
from panel.rounds.models import PanelMember
from panel.scoring import queries as scoring_queries
from panel.scoring import services as scoring
from tests.builders import people
from tests.builders import rounds as round_builders

DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
    "postgresql": ["DROP TRIGGER audit_events_no_update_delete ON audit_events"],
}


def drop_triggers():
    """What someone with direct database access could do."""
    for statement in DROP_TRIGGERS[db.engine.dialect.name]:
        db.session.execute(sa.text(statement))
    db.session.commit()


def forge(event, **changes) -> None:
    """What a forger with the database could do beyond editing one event: change it,
    then work out again the hash of every event after it in its chain, so that the chain
    agrees with itself (in the legacy chain, every later event of formats 1 to 3; in a
    round's or the site's chain, every later position of that chain)."""
    from panel.audit.chain import event_hash
    from panel.audit.models import AuditEvent

    for name, value in changes.items():
        setattr(event, name, value)
    if event.chain is None:
        later = (sa.select(AuditEvent).where(AuditEvent.chain.is_(None),
                                             AuditEvent.id >= event.id)
                 .order_by(AuditEvent.id))
    else:
        later = (sa.select(AuditEvent).where(AuditEvent.chain == event.chain,
                                             AuditEvent.seq >= event.seq)
                 .order_by(AuditEvent.seq))
    previous = event.prev_hash
    for each in db.session.scalars(later).all():
        each.prev_hash = previous
        each.hash = previous = event_hash(previous, each.canonical())
        db.session.flush()
    db.session.commit()


SLUG = "test-round"


OFFICER, AUDITOR = "officer@example.org", "auditor@example.org"


ADA, LEE, PAT, CHAIR = ("ada@panel.example", "lee@panel.example", "-pat@panel.example",
                        "chair@panel.example")


REVISION_REASON = "I heard how it reaches older people"


DISMISS_REASON = "A neighbour only; no stake in it"


RATIONALE = "Reaches people no one else does"


def _member(email: str) -> PanelMember:
    return db.session.scalar(sa.select(PanelMember).join(User).where(User.email == email))


def _score(email: str, reference: str, q: str, n: str, comment: str, *, actor=None,
           answer: bool = True) -> None:
    member = _member(email)
    assignment = scoring_queries.assignment_for(member, reference)
    acting = actor or member.user
    if answer:
        scoring.answer_no_connection(acting, assignment)
    sheet = scoring.save_sheet(acting, assignment, 0 if answer else _version(assignment),
                               scores={"q": q, "n": n}, comment=comment,
                               assisted=actor is not None)
    scoring.submit_sheet(acting, assignment, sheet.version)
    db.session.commit()


def _version(assignment) -> int:
    sheet = scoring_queries.initial_sheet(assignment.member_id, assignment.application_id)
    return sheet.version if sheet else 0


def build_audited_round(set_up_in_format: int | None = None):
    """The audited round, decided. With ``set_up_in_format``, its set-up (accounts, round,
    applications, panel, opening scoring) is written in that earlier trail format, as
    for a round under way when FairPanel was upgraded, and the rest in the current one."""
    with writing_format(set_up_in_format) if set_up_in_format else nullcontext():
        officer = people.staff(OFFICER, "officer", name="Olu Officer")
        people.staff(AUDITOR, "auditor", name="Hannah Price")
        round_ = round_builders.draft_round()
        round_builders.applications(round_, 60, 50)
        for email, name, group, role in ((ADA, "Ada Academic", "academic", "panellist"),
                                         (LEE, "Lee Lived", "lived_experience", "panellist"),
                                         (PAT, "Pat Minus", "academic", "panellist"),
                                         (CHAIR, "Chair Person", None, "chair")):
            accounts.create_account(None, email=email, name=name, system="tests")
            db.session.commit()
            round_builders.member(round_, email, group, role)
        rounds.assign_everyone(officer, round_)
        rounds.change_phase(officer, round_, "scoring")
        db.session.commit()

    _score(ADA, "A1", "5", "4", "Strong plan")
    _score(ADA, "A2", "3", "3", "Fine")
    _score(LEE, "A1", "2", "1", "Not for us")
    lee = _member(LEE)
    conflict = scoring.declare_connection(lee.user, scoring_queries.assignment_for(lee, "A2"),
                                          "local", "My neighbour volunteers there")
    db.session.commit()
    conflicts.dismiss(officer, conflict, DISMISS_REASON)
    db.session.commit()
    _score(LEE, "A2", "4", "5", "Good for the area", answer=False)
    _score(PAT, "A1", "4", "4", "From the paper form", actor=officer, answer=False)
    pat = _member(PAT)
    scoring.pass_on(pat.user, scoring_queries.assignment_for(pat, "A2"))
    rounds.change_phase(officer, round_, "moderation")
    db.session.commit()

    chair = _member(CHAIR).user
    meeting = moderation.start_meeting(chair, round_)
    db.session.commit()
    lee = _member(LEE)
    moderation.revise_sheet(lee.user, lee, meeting, 0, {"q": "3", "n": "2"}, REVISION_REASON)
    db.session.commit()
    moderation.record_outcome(chair, meeting, "fund", RATIONALE)
    db.session.commit()
    # Funding takes the funded set £10 over the £100 budget: deciding needs a reason.
    rounds.change_phase(officer, round_, "decided",
                        over_budget_reason="The trust covers the extra £10")
    db.session.commit()
    return round_


@pytest.fixture
def audited_round(app):
    return build_audited_round()


def write_format_1_event(action: str, *, actor: User | None, object_type: str | None = None,
                         object_id: str | None = None, before=None, after=None,
                         system: str = "tests"):
    """An event as FairPanel wrote it before the trail sealed personal values (format 1):
    the actor's e-mail and every value hashed as they are, and no "v" in the hash. The
    canonical payload is spelt out here as it was then, not taken from the model."""
    from panel.audit.chain import event_hash
    from panel.audit.models import GENESIS_HASH, AuditEvent
    from panel.extensions import utcnow

    head = db.session.execute(sa.select(AuditEvent.id, AuditEvent.hash)
                              .where(AuditEvent.chain.is_(None))
                              .order_by(AuditEvent.id.desc()).limit(1)).first()
    prev_id, prev_hash = head if head else (0, GENESIS_HASH)
    occurred_at = utcnow()
    who = actor.email if actor is not None else f"system: {system}"
    payload = {"id": prev_id + 1,
               "occurred_at": occurred_at.isoformat(timespec="microseconds") + "Z",
               "actor_id": actor.id if actor is not None else None, "actor": who,
               "action": action, "object_type": object_type, "object_id": object_id,
               "round_id": None, "before": before, "after": after}
    event = AuditEvent(id=prev_id + 1, format=1, occurred_at=occurred_at,
                       actor_id=payload["actor_id"], actor=who, action=action,
                       object_type=object_type, object_id=object_id, round_id=None,
                       before=before, after=after, prev_hash=prev_hash,
                       hash=event_hash(prev_hash, payload))
    db.session.add(event)
    db.session.flush()
    if db.engine.dialect.name == "postgresql":  # the id came from the chain, not the sequence
        db.session.execute(sa.text("SELECT setval('audit_events_id_seq', :id)"),
                           {"id": event.id})
    db.session.commit()
    return event


@contextmanager
def writing_format(format_: int):
    """record() writes events of an earlier trail format for a while (format 2: personal
    values sealed, but the event itself hashed, not its digest, as FairPanel did between
    migrations 0010 and 0011; format 3: digested, in the one legacy chain, as before
    0015). A trail reads as it would in real life only when such events come before
    any of format 4."""
    from panel.audit import services

    kept = services.CURRENT_FORMAT
    services.CURRENT_FORMAT = format_
    try:
        yield
    finally:
        services.CURRENT_FORMAT = kept
