"""Personal values in the decision trail: sealed out of the hash (DESIGN.md §7).

From trail format 2 on, the hashed part of an event names a person only by their user id
(``actor_id``, and the ids of the objects it is about). A value in ``before``/``after``
under one of the :data:`PERSONAL_KEYS` (an e-mail address, a name, free text that may
name someone) is not hashed itself: it is stored in ``audit_personal`` with a random
salt, and the hashed payload holds its commitment in its place::

    {"sealed": SHA-256(salt + canonical JSON of the value)}

So the chain verifies with the values or without them: deleting a person's rows from
``audit_personal`` (erasing them) leaves every hash as it was, and a published trail
shows commitments that cannot be reversed by guessing (the salt is secret and random).
Readers allowed to see the values get them back through :func:`opened`; a value that
was erased reads :data:`ERASED`. See docs/trail.md."""
from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from panel.audit.chain import canonical_json
from panel.audit.models import FORMAT_CHAINED, AuditPersonal
from panel.extensions import db

FORMAT_NAMES = 1  # events written before the switch: names and e-mails hashed as they are
FORMAT_SEALED = 2  # events from the switch on: personal values sealed out of the hash
# And from format 3 on, the chain hashes a salted digest of each event; from format 4 on,
# each round has its own chain (models.py).
CURRENT_FORMAT = FORMAT_CHAINED

PERSON = "person"  # the hashed actor of a format-2 event done by someone (see actor_id)
ERASED = "erased"
ALTERED = "(altered: does not match its seal)"

EVERY_ACTION = ()
# Nothing to hide: an empty value stays in the hash as it is.
EMPTY = (None, "", [], {})
# Keys whose value is personal, wherever they stand in before/after (at any depth of
# nested objects; a list is sealed whole with its key), and the actions they are
# personal in (action prefixes; EVERY_ACTION: all). A value naming several people (the
# reviewers of an assignment change) is one sealed value: erasing one of them erases it.
PERSONAL_KEYS: dict[str, tuple[str, ...]] = {
    # Who someone is.
    "email": EVERY_ACTION,            # user.created; imported rows of a bundle
    "name": ("user.",),               # a person's name (a criterion's name is not)
    "user": EVERY_ACTION,             # member.added: the member's e-mail
    "member": EVERY_ACTION,           # conflicts: the member's e-mail
    "assisted_for": EVERY_ACTION,     # sheets scored for a member: their e-mail
    "emails": EVERY_ACTION,           # reminders.sent
    "reviewers": EVERY_ACTION,        # assignments: e-mails (a count in "everyone" mode)
    "added": EVERY_ACTION,            # assignments: e-mails, each with references
    "removed": EVERY_ACTION,
    "kept": EVERY_ACTION,
    "person": EVERY_ACTION,           # audit.exported: the auditor's search for a person
    "affiliations": EVERY_ACTION,     # a member's connections profile
    # An applicant's identifying fields (and the round's own identifying columns, which
    # the writer passes as extra keys: see record(personal=...)).
    "applicant_name": EVERY_ACTION,
    "organisation": EVERY_ACTION,
    "contact_email": EVERY_ACTION,
    # Free text, which may name someone.
    "lay_summary": EVERY_ACTION,
    "lay_summary_cy": EVERY_ACTION,   # the same in Welsh (issue 21)
    "comment": EVERY_ACTION,          # a sheet's comment
    "details": EVERY_ACTION,          # a conflict's note, or what matched the profile
    "reason": EVERY_ACTION,           # a revision's, a phase change's, a suggestion's
    "review_reason": EVERY_ACTION,    # an officer's review of a conflict
    "rationale": EVERY_ACTION,        # the chair's outcome
    "over_budget_reason": EVERY_ACTION,
    "help_contact": EVERY_ACTION,     # whom a round's panellists ask: a person's name, phone
    # Paying a panellist for their time (docs/payments.md): their time, their pay, their
    # choice not to be paid (which may say something about their benefits) and their
    # note correcting their time.
    "minutes": ("time.", "payment."),
    "measured_minutes": ("time.",),
    "note": ("time.",),
    "pay": ("payment.",),
    "declined": ("payment.",),
}


def is_personal(key: str, action: str, extra: Iterable[str] = ()) -> bool:
    if key in extra:
        return True
    if key not in PERSONAL_KEYS:
        return False
    actions = PERSONAL_KEYS[key]
    return not actions or any(action.startswith(prefix) for prefix in actions)


def commitment(salt: str, value_json: str) -> str:
    return hashlib.sha256((salt + value_json).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SealedValue:
    """One personal value taken out of the hash: where it stood, its salt, and the value
    as canonical JSON (the exact text the commitment covers)."""

    path: str  # JSON list of keys from the event, e.g. '["after","member"]'
    salt: str
    value: str

    @property
    def seal(self) -> dict[str, str]:
        return {"sealed": commitment(self.salt, self.value)}


def seal(side: str, values: Any, action: str, extra: Iterable[str] = ()
         ) -> tuple[Any, list[SealedValue]]:
    """``values`` (JSON-ready before/after) with each personal value replaced by its
    commitment, and the values taken out. ``side`` is "before" or "after"."""
    found: list[SealedValue] = []
    extra = frozenset(extra)

    def walk(value: Any, path: tuple[str, ...]) -> Any:
        if not isinstance(value, dict):
            return value
        out = {}
        for key, item in value.items():
            if is_personal(key, action, extra) and item not in EMPTY:
                sealed = SealedValue(canonical_json([*path, key]),
                                     secrets.token_hex(16), canonical_json(item))
                found.append(sealed)
                out[key] = sealed.seal
            else:
                out[key] = walk(item, (*path, key))
        return out

    return walk(values, (side,)), found


def is_seal(value: Any) -> bool:
    return (isinstance(value, dict) and set(value) == {"sealed"}
            and isinstance(value["sealed"], str))


def unsealed(side: str, values: Any, stored: dict[str, tuple[str, str]]) -> Any:
    """``values`` as hashed, with each commitment replaced by its stored value: ``stored``
    maps a path (as in :class:`SealedValue`) to (salt, value JSON). A value no longer
    stored reads :data:`ERASED`; one that does not match its commitment, :data:`ALTERED`."""

    def walk(value: Any, path: tuple[str, ...]) -> Any:
        if is_seal(value):
            found = stored.get(canonical_json(list(path)))
            if found is None:
                return ERASED
            salt, text = found
            if commitment(salt, text) != value["sealed"]:
                return ALTERED
            return json.loads(text)
        if isinstance(value, dict):
            return {key: walk(item, (*path, key)) for key, item in value.items()}
        return value

    return walk(values, (side,))


@dataclass(frozen=True)
class Opened:
    """An event as readers allowed to see personal data read it."""

    who: str
    before: Any
    after: Any


def shown_actor(format_: int, actor: str, actor_email: str | None) -> str:
    """Who acted, in words: the recorded e-mail of a format-1 event; for format 2, the
    acting person's e-mail now (:data:`ERASED` once their account is erased), or the
    command that acted."""
    if format_ < FORMAT_SEALED or actor != PERSON:
        return actor
    return actor_email or ERASED


def opened(event) -> Opened:
    """One :class:`~panel.audit.models.AuditEvent` with its personal values joined back
    (two small queries; pages of events use :func:`stored_values` for many at once)."""
    stored = stored_values([event.id]).get(event.id, {})
    email = event.actor_user.email if event.actor_user is not None else None
    return Opened(shown_actor(event.format, event.actor, email),
                  unsealed("before", event.before, stored),
                  unsealed("after", event.after, stored))


def stored_values(event_ids: Iterable[int]) -> dict[int, dict[str, tuple[str, str]]]:
    """The personal values still stored for these events: event id → path → (salt,
    value JSON)."""
    ids = list(event_ids)
    found: dict[int, dict[str, tuple[str, str]]] = {}
    for start in range(0, len(ids), 500):
        rows = db.session.execute(
            select(AuditPersonal.event_id, AuditPersonal.path, AuditPersonal.salt,
                   AuditPersonal.value)
            .where(AuditPersonal.event_id.in_(ids[start:start + 500]))).all()
        for event_id, path, salt, value in rows:
            found.setdefault(event_id, {})[path] = (salt, value)
    return found
