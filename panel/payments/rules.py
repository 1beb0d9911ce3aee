"""The numbers of paying panellists for their time (docs/payments.md), as pure functions:
how a request adds to the time measured, and what a record is paid."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

# A gap between two of a member's requests longer than this is not counted: they were
# away (the pages say so, and that they can correct their record).
IDLE_MINUTES = 10
IDLE_SECONDS = IDLE_MINUTES * 60
# The meeting page asks again every second or so: its record is written at most this
# often (what it adds is the same, counted from the last write).
MEETING_WRITE_SECONDS = 30
MAX_PENCE = 100_000_00  # £100,000: far above any fee; guards against a slipped digit
MAX_CLAIM_MINUTES = 24 * 60
POUNDS = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def advanced(seconds: int, last_seen: datetime, now: datetime,
             idle_seconds: int = IDLE_SECONDS) -> int:
    """The measured seconds after a request at ``now``, the previous one at
    ``last_seen``: the gap counts when it is no longer than the idle limit."""
    gap = int((now - last_seen).total_seconds())
    return seconds + gap if 0 < gap <= idle_seconds else seconds


def parse_pounds(text: str, what: str) -> int | None:
    """"25", "25.50", "£1,200" → pence; "" → None (not paid this way). ValueError says
    what to fix; ``what`` names the amount ("the hourly rate")."""
    plain = text.replace(" ", "").removeprefix("£")
    if not plain:
        return None
    if plain.startswith(("-", "−")):
        raise ValueError(_("Enter %(what)s as £0.01 or more, or leave it empty", what=what))
    if not POUNDS.match(plain):
        raise ValueError(_("Enter %(what)s in pounds, like 25 or 25.50", what=what))
    pence = int(Decimal(plain.replace(",", "")) * 100)
    if pence == 0:
        raise ValueError(_("Enter %(what)s as £0.01 or more, or leave it empty if this "
                           "group is not paid this way", what=what))
    if pence > MAX_PENCE:
        raise ValueError(_("Enter %(what)s as £100,000 or less", what=what))
    return pence


def pounds(pence: int | None) -> str:
    """2550 → "£25.50"; 2500 → "£25"; None → ""."""
    if pence is None:
        return ""
    whole, part = divmod(pence, 100)
    return f"£{whole:,}" if part == 0 else f"£{whole:,}.{part:02d}"


@dataclass(frozen=True)
class Rate:
    """A group's pay, in pence (None: not paid that way)."""

    hourly: int | None = None
    per_application: int | None = None
    meeting_fee: int | None = None

    @property
    def pays(self) -> bool:
        return any((self.hourly, self.per_application, self.meeting_fee))


@dataclass(frozen=True)
class Work:
    """What one member did on a round, as the record says (corrections included)."""

    sheet_minutes: int = 0
    sheets_sent: int = 0
    meeting_minutes: int = 0


def pay_pence(rate: Rate, work: Work) -> int:
    """What ``work`` is paid at ``rate``: the hourly rate for the sheets' minutes, and for
    the meeting's unless there is a meeting fee; the fee per application for each sheet
    sent; the meeting fee when they attended (any minutes at the meeting). Rounded to
    the penny, half up: £25 an hour for 90 minutes is £37.50."""
    total = Decimal(0)
    if rate.hourly:
        minutes = work.sheet_minutes + (0 if rate.meeting_fee else work.meeting_minutes)
        total += Decimal(rate.hourly) * minutes / 60
    if rate.per_application:
        total += rate.per_application * work.sheets_sent
    if rate.meeting_fee and work.meeting_minutes > 0:
        total += rate.meeting_fee
    return int(total.quantize(Decimal(1), ROUND_HALF_UP))


def describe(rate: Rate, scored: bool = False) -> str:
    """The rate in plain words, in the language being written in: "£25 an hour, and £75
    for the meeting". ``scored``: "for each application scored" (told to someone about
    their group) rather than "you score"."""
    parts = []
    if rate.hourly and rate.meeting_fee:
        parts.append(_("%(amount)s an hour", amount=pounds(rate.hourly)))
    elif rate.hourly:
        parts.append(_("%(amount)s an hour, including the meeting", amount=pounds(rate.hourly)))
    if rate.per_application and scored:
        parts.append(_("%(amount)s for each application scored",
                       amount=pounds(rate.per_application)))
    elif rate.per_application:
        parts.append(_("%(amount)s for each application you score",
                       amount=pounds(rate.per_application)))
    if rate.meeting_fee:
        parts.append(_("%(amount)s for the meeting", amount=pounds(rate.meeting_fee)))
    if not parts:
        return _("Not paid")
    if len(parts) == 1:
        return parts[0]
    # A list of the ways the group is paid: "A, B and C".
    return _("%(first)s and %(last)s", first=", ".join(parts[:-1]), last=parts[-1])


def hours_and_minutes(minutes: int) -> str:
    """95 → "1 hour 35 minutes"; 1 → "1 minute"; 0 → "0 minutes" (in the language being
    written in)."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", rest))
    return " ".join(parts)
