"""Times about a round, as people read them (issue 21): in the round's time zone with
the zone's abbreviation (GMT or BST in Europe/London), in the reader's language. Times
are stored in UTC; :mod:`panel.rounds.rules_time_zones` does the arithmetic, this puts
it into words. Templates use the filters ``round_time`` and ``round_day``; e-mails are
given :func:`deadline_text` in their recipient's language. Auditor pages keep UTC."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from panel.i18n import current_language, in_language
from panel.rounds.models import Round
from panel.rounds.rules_time_zones import date_words, local_time, moment_parts


def moment_text(moment: datetime | None, round_: Round, language: str | None = None) -> str:
    """A stored moment as "23:59 BST on Sunday 28 March 2027" in the round's zone ("" for
    none); ``language``: the reader's, when not the page's (an e-mail's recipient)."""
    if moment is None:
        return ""
    with in_language(language or current_language()):
        parts = moment_parts(moment, round_.time_zone, current_language())
        return _("%(time)s %(zone)s on %(day)s", **parts)


def deadline_text(round_: Round, language: str | None = None) -> str | None:
    """The scoring deadline in words (the end of its local day), or None when not set."""
    if round_.scoring_deadline is None:
        return None
    return moment_text(round_.scoring_deadline, round_, language)


def day_text(moment: datetime | date | None, round_: Round) -> str:
    """The day of a stored moment in the round's zone, as "28 March 2027" in the page's
    language; a ``date`` (already a local day, like the deadline's) as it is."""
    if moment is None:
        return ""
    day = moment if not isinstance(moment, datetime) else \
        local_time(moment, round_.time_zone).date()
    return date_words(day, current_language())
