"""A round's time zone (an IANA name such as Europe/London) and its scoring deadline:
the deadline is stored in UTC as the last second of a day in the round's time zone
(DESIGN.md §8), and shown to people as that day in that zone."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_TIME_ZONE = "Europe/London"
# The last second of the day: scores are due by the end of the deadline's day.
END_OF_DAY = time(23, 59, 59)


@cache
def known_time_zones() -> frozenset[str]:
    """Every IANA time zone name FairPanel can use (from the tzdata package)."""
    return frozenset(available_timezones())


def is_time_zone(name: object) -> bool:
    """Whether ``name`` is an IANA time zone name FairPanel knows (exact spelling)."""
    return isinstance(name, str) and name in known_time_zones()


def end_of_day(day: date, zone: str) -> datetime:
    """The last second of ``day`` in ``zone``, as a naive UTC datetime (how it is stored)."""
    local = datetime.combine(day, END_OF_DAY, tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).replace(tzinfo=None)


def local_time(moment: datetime, zone: str) -> datetime:
    """A stored (naive UTC) moment as the time in ``zone``."""
    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))


def deadline_day(deadline: datetime | None, zone: str) -> date | None:
    """The day a stored deadline ends, in ``zone``; None when there is no deadline."""
    return None if deadline is None else local_time(deadline, zone).date()
