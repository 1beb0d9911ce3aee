"""A round's time zone (an IANA name such as Europe/London) and its scoring deadline:
the deadline is stored in UTC as the last second of a day in the round's time zone
(DESIGN.md §8), and shown to people as that day in that zone."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_date, format_time

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


def zone_abbreviation(local: datetime) -> str:
    """The zone's short name at that moment, from zoneinfo: GMT or BST in Europe/London,
    CET or CEST in Paris; a zone with no letters for it ("-03") is said as UTC-03."""
    name = local.tzname() or "UTC"
    return f"UTC{name}" if name[:1] in "+-" else name


def day_words(day: date, language: str) -> str:
    """A day as the reader's language writes it mid-sentence, from Babel (CLDR):
    "Sunday 28 March 2027", "dydd Sul 28 Mawrth 2027" (Welsh writes the day's name in
    lower case inside a sentence; CLDR gives it capitalised, as at the start of one)."""
    words = format_date(day, "EEEE d MMMM y", locale=language)
    return words[:1].lower() + words[1:] if language == "cy" else words


def date_words(day: date, language: str) -> str:
    """A day without its weekday, as in "28 March 2027" / "28 Mawrth 2027"."""
    return format_date(day, "d MMMM y", locale=language)


def moment_parts(moment: datetime, zone: str, language: str) -> dict[str, str]:
    """A stored (naive UTC) moment as what a sentence says of it in ``zone``: the
    24-hour clock time, the zone's abbreviation and the day, in ``language``."""
    local = local_time(moment, zone)
    return {"time": format_time(local, "HH:mm", locale=language),
            "zone": zone_abbreviation(local), "day": day_words(local.date(), language)}
