"""Anchors: the head of the audit chain, recorded when a round is decided (issue 7).

The anchor is printed on the round's report and public summary. Later, anyone holding a
published copy can ask `flask audit verify` (or the auditor's page) whether the trail
still reaches that exact hash: rewriting any event before it, even with every hash
recomputed, changes the hash at the anchored position and is caught."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from panel.audit.chain import ChainReport
from panel.audit.models import AuditAnchor, AuditEvent
from panel.audit.services import record
from panel.extensions import db
from panel.rounds.models import Round


@dataclass(frozen=True)
class AnchorCheck:
    round_slug: str
    round_title: str
    event_id: int
    event_hash: str
    ok: bool
    problem: str


def anchor_round(actor, round_: Round, *, system: str | None = None) -> AuditAnchor:
    """Record the chain's head now (after the event that decided the round) as the round's
    anchor, then an event saying so. A round is anchored once."""
    found = round_anchor(round_)
    if found is not None:
        return found
    db.session.flush()
    head = db.session.execute(select(AuditEvent.id, AuditEvent.hash)
                              .order_by(AuditEvent.id.desc()).limit(1)).one()
    anchor = AuditAnchor(round_id=round_.id, event_id=head.id, event_hash=head.hash)
    db.session.add(anchor)
    db.session.flush()
    record("audit.anchored", actor=actor, target=round_, system=system, before=None,
           after={"event_id": head.id, "event_hash": head.hash})
    return anchor


def round_anchor(round_: Round) -> AuditAnchor | None:
    return db.session.scalar(select(AuditAnchor).where(AuditAnchor.round_id == round_.id))


def check_anchors(report: ChainReport) -> list[AnchorCheck]:
    """Every anchor against the chain as it is now. ``report`` is the chain's own check
    (:func:`panel.auditor.queries.verify_chain`): an anchor beyond a broken event cannot
    be vouched for."""
    rows = db.session.execute(
        select(AuditAnchor, Round.slug, Round.title, AuditEvent.hash)
        .join(Round, AuditAnchor.round_id == Round.id)
        .outerjoin(AuditEvent, AuditEvent.id == AuditAnchor.event_id)
        .order_by(AuditAnchor.event_id)).all()
    checks = []
    for anchor, slug, title, stored in rows:
        if stored is None:
            ok, problem = False, f"event {anchor.event_id} is missing from the trail"
        elif stored != anchor.event_hash:
            ok, problem = False, (f"event {anchor.event_id} now has hash {stored}, "
                                  f"not the anchored {anchor.event_hash}")
        elif not report.ok and report.bad_event_id <= anchor.event_id:
            ok, problem = False, (f"the chain is broken at event {report.bad_event_id}, "
                                  "before this anchor")
        else:
            ok, problem = True, ""
        checks.append(AnchorCheck(slug, title, anchor.event_id, anchor.event_hash, ok, problem))
    return checks
