"""What a panellist is told about a round, in one place (issue 20): the e-mail when
scoring opens (their invitation to the round: the account's own invitation is per
person, not per round) and the round's page for its panel both say the round, the
funder, the deadline, how many applications and about how long they take, what the
member's group is paid, and whom to ask for help."""
from __future__ import annotations

from dataclasses import dataclass

from flask_login import current_user
from sqlalchemy import select

from panel.extensions import db
from panel.payments.models import PayRate
from panel.payments.rules import Rate, describe, hours_and_minutes
from panel.rounds import times
from panel.rounds.models import Round


@dataclass(frozen=True)
class Welcome:
    title: str
    funder: str
    deadline: str | None  # like "23:59 BST on Tuesday 30 June 2026" (panel.rounds.times)
    applications: int
    minutes_each: int | None
    rate: Rate | None  # what the member's group is paid; None when not paid
    help_contact: str

    @property
    def pay(self) -> str | None:
        """The pay in words, like "£25 an hour and £75 for the meeting", in the language
        being written in (the page's, or the e-mail's recipient's); None when not paid."""
        return describe(self.rate, scored=True) if self.rate is not None else None

    @property
    def time_needed(self) -> str | None:
        """About how long all their applications take, like "10 hours"."""
        if not self.minutes_each or not self.applications:
            return None
        return hours_and_minutes(self.minutes_each * self.applications)


def pay_rates(round_: Round) -> dict[int, Rate]:
    """Group id → what the group is paid, for each paid group of the round."""
    found = {}
    for row in db.session.scalars(select(PayRate).where(PayRate.round_id == round_.id)):
        rate = Rate(row.hourly_pence, row.per_application_pence, row.meeting_fee_pence)
        if rate.pays:
            found[row.group_id] = rate
    return found


def welcome(round_: Round, group_id: int | None, applications: int,
            pay: dict[int, Rate] | None = None, language: str | None = None) -> Welcome:
    """What a member of group ``group_id`` with ``applications`` to score is told
    (``pay``: :func:`pay_rates`, when already looked up for many members), its deadline
    in ``language`` (a recipient's; else the page's)."""
    pay = pay_rates(round_) if pay is None else pay
    return Welcome(round_.title, round_.funder, times.deadline_text(round_, language),
                   applications, round_.minutes_per_application,
                   pay.get(group_id) if group_id is not None else None,
                   round_.help_contact)


def my_welcome(round_: Round, applications: int) -> Welcome:
    """:func:`welcome` for the signed-in member of ``round_`` (the round's page)."""
    member = next((m for m in getattr(current_user, "memberships", ())
                   if m.round_id == round_.id), None)
    return welcome(round_, member.group_id if member else None, applications)
