"""Retention per round (issue 19): an officer says how many months after publication the
panel's personal data is kept (``Round.retention_months``); when that time comes,
:func:`apply_retention` erases it (:mod:`panel.accounts.erasure`) and records that it did.

Who is erased: the round's panel members who are not staff (staff data is about their
work, kept while they work here) and not already erased, once every round they are on is
published and past its own retention date. Someone still on another round (open, or kept
longer) is kept, and counted as kept, until their last round's time comes. The round is
then marked done (``retention_applied_at``) and says so on the trail
(``round.retention_applied``)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from panel.accounts import erasure
from panel.accounts.models import User
from panel.audit.services import record
from panel.extensions import db, utcnow
from panel.jobs.queue import job
from panel.rounds.models import PanelMember, Round

SYSTEM = "retention"


@dataclass(frozen=True)
class Applied:
    round_slug: str
    erased: int
    kept: int  # still on another round that keeps them longer


def due_rounds(now: datetime) -> list[Round]:
    rounds = db.session.scalars(select(Round).where(
        Round.retention_months.is_not(None), Round.published_at.is_not(None),
        Round.retention_applied_at.is_(None)).order_by(Round.published_at))
    return [r for r in rounds if r.retention_due_at <= now]


def apply_retention(now: datetime | None = None) -> list[Applied]:
    """Erase the personal data of every round whose retention date has passed (in the
    caller's transaction); one :class:`Applied` per round done."""
    now = now or utcnow()
    done = []
    for round_ in due_rounds(now):
        erased = kept = 0
        for user in db.session.scalars(
                select(User).join(PanelMember, PanelMember.user_id == User.id)
                .where(PanelMember.round_id == round_.id).order_by(User.id)):
            if erasure.is_erased(user) or user.is_staff:
                continue
            if not _every_round_past_retention(user, now):
                kept += 1
                continue
            erasure.erase(None, user, system=SYSTEM, reason=(
                f"Retention: {round_.retention_months} months after “{round_.title}” "
                "was published"))
            erased += 1
        round_.retention_applied_at = now
        record("round.retention_applied", target=round_, system=SYSTEM,
               after={"retention_months": round_.retention_months, "erased": erased,
                      "members_kept": kept})
        done.append(Applied(round_.slug, erased, kept))
    return done


@job("people.retention", _l("Erasing personal data at the end of its keeping time"))
def retention_job(row) -> str:
    """The job behind ``flask people apply-retention`` (which the deploy/ timer runs
    every day): erased people, the rounds done and the trail's events are committed with
    the job's completion, so a job re-run after a worker died does nothing twice."""
    done = apply_retention()
    if not done:
        return _("No round's keeping time had run out.")
    return "; ".join(_("%(round)s: %(erased)d erased, %(kept)d kept for a later round",
                       round=a.round_slug, erased=a.erased, kept=a.kept) for a in done)


def _every_round_past_retention(user: User, now: datetime) -> bool:
    for member in user.memberships:
        due = member.round.retention_due_at
        if due is None or due > now:
            return False
    return True
