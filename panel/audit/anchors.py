"""Anchors: the trail's heads, recorded when a round is decided (issue 7).

The anchor is printed on the round's report and public summary. Later, anyone holding a
published copy can ask `flask audit verify` (or the auditor's page) whether the trail
still reaches that exact hash: rewriting any event before it, even with every hash
recomputed, changes the hash at the anchored position and is caught.

Since trail format 4 each round has its own chain, and the site one (docs/trail.md), so
the anchor is an event of its own: ``audit.anchored``, appended to the round's chain
right after the phase change, lists the head (position and hash) of every other chain,
the legacy chain included. Its hash covers the round's chain by the links and every other
chain by their heads, so it vouches, as before, for every event written before it. An
anchor taken before format 4 is the legacy chain's head, checked as it always was."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, or_, select, union_all

from panel.audit import services
from panel.audit.chain import LEGACY, ChainReport, chain_key, chain_name
from panel.audit.models import FORMAT_CHAINED, AuditAnchor, AuditEvent, chain_of
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
    """Anchor the trail now (after the event that decided the round). A round is
    anchored once."""
    found = round_anchor(round_)
    if found is not None:
        return found
    if services.CURRENT_FORMAT < FORMAT_CHAINED:
        return _legacy_anchor(actor, round_, system)
    heads = {chain_name(chain): [position, hash_]
             for chain, (position, hash_) in chain_heads().items()
             if chain != chain_of(round_.id)}
    event = record("audit.anchored", actor=actor, target=round_, system=system, before=None,
                   after={"heads": heads})
    anchor = AuditAnchor(round_id=round_.id, event_id=event.id, event_hash=event.hash)
    db.session.add(anchor)
    db.session.flush()
    return anchor


def _legacy_anchor(actor, round_: Round, system: str | None) -> AuditAnchor:
    """Before format 4: the head of the one chain, then an event saying so."""
    db.session.flush()
    head = db.session.execute(select(AuditEvent.id, AuditEvent.hash)
                              .where(AuditEvent.chain.is_(None))
                              .order_by(AuditEvent.id.desc()).limit(1)).one()
    anchor = AuditAnchor(round_id=round_.id, event_id=head.id, event_hash=head.hash)
    db.session.add(anchor)
    db.session.flush()
    record("audit.anchored", actor=actor, target=round_, system=system, before=None,
           after={"event_id": head.id, "event_hash": head.hash})
    return anchor


def chain_heads() -> dict[int | None, tuple[int, str]]:
    """Every chain's last position and hash as this transaction sees them (other writers'
    uncommitted events are not yet part of the trail). Two queries: the legacy chain's
    head, then each format-4 chain's, found through the rounds (one index lookup each)."""
    db.session.flush()
    heads: dict[int | None, tuple[int, str]] = {}
    legacy = db.session.execute(select(AuditEvent.id, AuditEvent.hash)
                                .where(AuditEvent.chain.is_(None))
                                .order_by(AuditEvent.id.desc()).limit(1)).first()
    if legacy is not None:
        heads[LEGACY] = (legacy.id, legacy.hash)
    keys = union_all(select(Round.id.label("chain")),
                     select(literal(chain_of(None)).label("chain"))).subquery()
    inner = AuditEvent.__table__.alias("inner_events")
    last = (select(func.max(inner.c.seq)).where(inner.c.chain == keys.c.chain)
            .scalar_subquery())
    for chain, seq, hash_ in db.session.execute(
            select(AuditEvent.chain, AuditEvent.seq, AuditEvent.hash)
            .join(keys, AuditEvent.chain == keys.c.chain).where(AuditEvent.seq == last)):
        heads[chain] = (seq, hash_)
    return heads


def round_anchor(round_: Round) -> AuditAnchor | None:
    return db.session.scalar(select(AuditAnchor).where(AuditAnchor.round_id == round_.id))


def check_anchors(report: ChainReport) -> list[AnchorCheck]:
    """Every anchor against the trail as it is now. ``report`` is the chains' own check
    (:func:`panel.auditor.queries.verify_chain`): an anchor beyond a broken event cannot
    be vouched for."""
    rows = db.session.execute(
        select(AuditAnchor, Round.slug, Round.title, AuditEvent)
        .join(Round, AuditAnchor.round_id == Round.id)
        .outerjoin(AuditEvent, AuditEvent.id == AuditAnchor.event_id)
        .order_by(AuditAnchor.event_id)).all()
    checks = []
    for anchor, slug, title, stored in rows:
        problem = _anchor_problem(anchor, stored, report)
        checks.append(AnchorCheck(slug, title, anchor.event_id, anchor.event_hash,
                                  not problem, problem))
    return checks


def _anchor_problem(anchor: AuditAnchor, stored: AuditEvent | None,
                    report: ChainReport) -> str:
    if stored is None:
        return _("event %(event)s is missing from the trail", event=anchor.event_id)
    if stored.hash != anchor.event_hash:
        return _("event %(event)s now has hash %(now)s, not the anchored %(anchored)s",
                 event=anchor.event_id, now=stored.hash, anchored=anchor.event_hash)
    chain = stored.chain_key
    position = stored.seq if chain is not LEGACY else stored.id
    broken = _broken_before(report, chain, position)
    if broken or chain is LEGACY:
        return broken
    return _heads_problem(stored, report)


def _broken_before(report: ChainReport, chain: int | None, position: int) -> str:
    if report.intact_at(chain, position):
        return ""
    event = report.breaks[chain][1]
    if chain is LEGACY:
        return _("the chain is broken at event %(event)s, before this anchor", event=event)
    return _("the chain is broken at event %(event)s of the %(chain)s chain, before this "
             "anchor", event=event, chain=chain_name(chain))


def listed_heads(anchored: AuditEvent) -> dict[int | None, tuple[int, str]]:
    """The heads a format-4 anchor event lists, by chain; ValueError when it lists none
    or they cannot be read."""
    heads = (anchored.after or {}).get("heads")
    try:
        return {chain_key(name): (int(position), str(hash_))
                for name, (position, hash_) in heads.items()}
    except AttributeError:
        raise ValueError(_("the anchor does not list the heads of the other chains")) from None
    except (TypeError, ValueError):
        raise ValueError(_("the anchor's list of the other chains' heads cannot be "
                           "read")) from None


def _heads_problem(anchored: AuditEvent, report: ChainReport) -> str:
    """The other chains as the anchor saw them: each head still there, with the same
    hash, and its chain intact up to it."""
    try:
        listed = listed_heads(anchored)
    except ValueError as error:
        return str(error)
    if not listed:
        return ""
    places = [AuditEvent.id == position if chain is LEGACY
              else and_(AuditEvent.chain == chain, AuditEvent.seq == position)
              for chain, (position, _) in listed.items()]
    found = {(None if row.chain is None else row.chain, row.seq or row.id): row.hash
             for row in db.session.execute(
                 select(AuditEvent.id, AuditEvent.chain, AuditEvent.seq, AuditEvent.hash)
                 .where(or_(*places)))}
    for chain, (position, hash_) in sorted(listed.items(), key=lambda item: item[1][0]):
        name = chain_name(chain)
        now = found.get((chain, position))
        if now is None:
            return _("position %(position)s of the %(chain)s chain is missing from the trail",
                     position=position, chain=name)
        if now != hash_:
            return _("position %(position)s of the %(chain)s chain now has hash %(now)s, "
                     "not the %(vouched)s the anchor vouched for",
                     position=position, chain=name, now=now, vouched=hash_)
        broken = _broken_before(report, chain, position)
        if broken:
            return broken
    return ""
