"""Erasing a person's personal data (UK GDPR Art. 17; DESIGN.md §7, docs/privacy.md).

Their account stays as a row (events, sheets and decisions refer to its id) under a
pseudonym, "Erased panellist 7" (7: the account's id, the trail's pseudonymous id), with
an address that cannot receive mail and no way to sign in. Everything that is theirs or
names them goes, in one transaction:

- the account's e-mail, name, password, two-step secrets, recovery codes and links;
- their connections profile (the organisations on their panel places) and, on their
  connections, sheets, revisions and time records, the words they wrote (a note, a
  comment, a reason) and an officer's review reason about them;
- the trail's sealed values (:mod:`panel.audit.personal`) of every event about their
  account, places, assignments, sheets and connections, and every other sealed value
  that names them (a list of e-mails, a note mentioning their name): a value naming
  several people goes whole;
- their e-mail address or name wherever someone else's free text holds it (another
  member's note, a rationale), replaced with "[erased]"; uploads waiting for
  confirmation that hold their address; the outbox's copies of e-mails to them.

What stays: their scores, the decisions, every event (so ``flask audit verify`` and every
anchor hold: the chain hashes commitments, never the values), their letters and groups
in each round. Events written before personal values were sealed (format 1) hold the
address in their hash and cannot lose it without breaking the chain: the erasure says how
many there are. A round still open (draft, scoring, moderation) refuses, unless forced:
the reason is required either way and is kept on the trail (``user.erased``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import String, Text, cast, delete, func, or_, select, update

from panel.accounts.models import (
    AccountToken,
    RecoveryCode,
    Role,
    SecondFactor,
    User,
    UserRole,
)
from panel.audit.models import AuditEvent, AuditPersonal
from panel.audit.services import record
from panel.bundle.models import ParkedUpload
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.mail.models import OutboxMessage
from panel.moderation.models import Decision
from panel.payments.models import TimeRecord
from panel.rounds.models import Application, Assignment, PanelMember, Round
from panel.scoring.models import ScoreSheet

ERASED_DOMAIN = "erased.invalid"  # RFC 2606: can never receive mail
ERASED_TEXT = "[erased]"
OPEN_PHASES = ("draft", "scoring", "moderation")
# Free text that someone else wrote and that may name the person: their address or name
# in it is replaced. (Their own words are emptied: see _empty_their_words.)
FREE_TEXT = [
    (Conflict, "details"), (Conflict, "review_reason"),
    (ScoreSheet, "comment"), (ScoreSheet, "reason"),
    (Decision, "rationale"), (Round, "over_budget_reason"), (TimeRecord, "note"),
    (Application, "lay_summary"), (Application, "lay_summary_cy"),
    (Application, "applicant_name"),
    (Application, "organisation"), (Application, "contact_email"),
]
# A name this short would match inside other words: only the address is looked for.
SHORTEST_NAME = 4


class ErasureError(Exception):
    """Refused: the message says what to do instead."""


@dataclass(frozen=True)
class Erased:
    """What an erasure did, for the person who asked for it."""

    pseudonym: str
    sealed_values: int  # trail values deleted from audit_personal
    texts: int  # cells of free text emptied or with the address/name replaced
    format_1_events: int  # older events whose hash still holds the address


def is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_DOMAIN)


def open_rounds(user: User) -> list[Round]:
    """The rounds still open (not decided) that ``user`` is on the panel of."""
    return list(db.session.scalars(
        select(Round).join(PanelMember, PanelMember.round_id == Round.id)
        .where(PanelMember.user_id == user.id, Round.phase.in_(OPEN_PHASES))
        .order_by(Round.title)))


def pseudonym(user: User) -> str:
    if user.is_staff:
        return f"Erased staff member {user.id}"
    if user.memberships:
        return f"Erased panellist {user.id}"
    return f"Erased person {user.id}"


def erase(actor: User | None, user: User, *, reason: str, force: bool = False,
          system: str | None = None) -> Erased:
    """Erase ``user``'s personal data (see the module). Raises :class:`ErasureError`,
    changing nothing, when the reason is missing, the person is already erased, is the
    one erasing, is the last admin, or is on an open round's panel without ``force``."""
    reason = (reason or "").strip()
    if not reason:
        raise ErasureError(_("Give the reason for erasing this person's data, for example "
                             "“Asked to be forgotten by e-mail on 3 March”. It is kept on "
                             "the decision trail."))
    if is_erased(user):
        raise ErasureError(_("%(name)s's personal data has already been erased.",
                             name=user.name))
    if actor is not None and actor.id == user.id:
        raise ErasureError(_("You cannot erase your own account: ask another admin."))
    if user.has_role(Role.ADMIN) and _other_admins(user) == 0:
        raise ErasureError(_("This is the only admin who can sign in: make someone else an "
                             "admin first."))
    still_open = open_rounds(user)
    if still_open and not force:
        names = ", ".join(f"“{r.title}” ({r.phase})" for r in still_open)
        raise ErasureError(_(
            "%(name)s is on the panel of a round still open: %(rounds)s. Their scores and "
            "connections are still being used. Erase them once the round is decided, or "
            "force it with a reason.", name=user.name, rounds=names))

    email, name = user.email, user.name
    needles = [email] + ([name] if len(name.strip()) >= SHORTEST_NAME else [])
    label = pseudonym(user)
    sealed = _erase_sealed_values(user, needles)
    texts = _empty_their_words(user) + _replace_in_free_text(needles)
    _close_account(user, label)
    _forget_parked_uploads(email)
    _forget_their_e_mails(email)
    format_1 = db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.format == 1, or_(AuditEvent.actor == email,
                                    func.lower(_as_text(AuditEvent.before)).contains(email),
                                    func.lower(_as_text(AuditEvent.after)).contains(email))))
    record("user.erased", actor=actor, target=user, system=system, after={
        "reason": reason, "forced": bool(still_open), "pseudonym": label,
        "open_rounds": [r.slug for r in still_open], "sealed_values": sealed,
        "texts": texts, "format_1_events": format_1})
    return Erased(label, sealed, texts, format_1)


def _other_admins(user: User) -> int:
    return db.session.scalar(
        select(func.count()).select_from(UserRole).join(User, User.id == UserRole.user_id)
        .where(UserRole.role == Role.ADMIN.value, User.active.is_(True),
               User.id != user.id)) or 0


def _erase_sealed_values(user: User, needles: list[str]) -> int:
    """Delete the trail's sealed values about the person or naming them."""
    about = _events_about(user)
    naming = or_(*(func.lower(AuditPersonal.value).contains(n.lower()) for n in needles))
    result = db.session.execute(delete(AuditPersonal).where(
        or_(AuditPersonal.event_id.in_(about), naming)).execution_options(
            synchronize_session=False))
    return result.rowcount or 0


def _events_about(user: User):
    """The ids of events about the person: their account, panel places, assignments,
    sheets and connections, and what they did themselves."""
    members = select(PanelMember.id).where(PanelMember.user_id == user.id)
    targets = [
        ("users", select(cast(User.id, String)).where(User.id == user.id)),
        ("panel_members", select(cast(PanelMember.id, String))
         .where(PanelMember.user_id == user.id)),
        ("assignments", select(cast(Assignment.id, String))
         .where(Assignment.member_id.in_(members))),
        ("score_sheets", select(cast(ScoreSheet.id, String))
         .where(ScoreSheet.member_id.in_(members))),
        ("conflicts", select(cast(Conflict.id, String))
         .where(Conflict.member_id.in_(members))),
    ]
    return select(AuditEvent.id).where(or_(
        AuditEvent.actor_id == user.id,
        *((AuditEvent.object_type == kind) & AuditEvent.object_id.in_(ids)
          for kind, ids in targets)))


def _empty_their_words(user: User) -> int:
    """Their own words: notes on their connections (and the review of them), comments
    and revision reasons on their sheets, notes correcting their time (their minutes
    stay: what they were paid for); their connections profile."""
    members = select(PanelMember.id).where(PanelMember.user_id == user.id)
    count = 0
    for model, column in ((Conflict, "details"), (Conflict, "review_reason"),
                          (ScoreSheet, "comment"), (ScoreSheet, "reason"),
                          (TimeRecord, "note")):
        attribute = getattr(model, column)
        count += db.session.execute(
            update(model).where(model.member_id.in_(members), attribute != "")
            .values({column: ""}).execution_options(synchronize_session=False)).rowcount or 0
    for member in user.memberships:
        if member.affiliations:
            member.affiliations = []
            count += 1
    return count


def _replace_in_free_text(needles: list[str]) -> int:
    """Someone else's words that hold the person's address or name: that part becomes
    "[erased]", the rest of the words stay."""
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    count = 0
    for model, column in FREE_TEXT:
        attribute = getattr(model, column)
        condition = or_(*(func.lower(attribute).contains(n.lower()) for n in needles))
        for row in db.session.scalars(select(model).where(condition)):
            setattr(row, column, pattern.sub(ERASED_TEXT, getattr(row, column)))
            count += 1
    return count


def _forget_parked_uploads(email: str) -> None:
    """Uploads waiting for confirmation (short-lived, a handful) that hold the address."""
    wanted = email.encode("utf-8")
    for upload in db.session.scalars(select(ParkedUpload)):
        if wanted in upload.data.lower():
            db.session.delete(upload)


def _forget_their_e_mails(email: str) -> None:
    """The outbox's copies of what was e-mailed to them (address, name, links), sent or
    not: what reached them is in their mailbox, what did not never will."""
    db.session.execute(delete(OutboxMessage).where(
        func.lower(OutboxMessage.recipient) == email.lower()))


def _close_account(user: User, label: str) -> None:
    db.session.execute(delete(AccountToken).where(AccountToken.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user.id))
    db.session.expire(user, ["second_factor"])
    user.email = f"erased-{user.id}@{ERASED_DOMAIN}"
    user.name = label
    user.password_hash = None
    user.active = False
    user.session_version += 1  # every session of theirs ends now


def _as_text(column):
    return cast(column, Text)
