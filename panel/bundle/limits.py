"""How much one round may hold (issue 22): an import that would take a round past a
limit is refused when it is checked, before anything is written and before its rows are
checked one by one, with what to fix. The limits are settings (config.py,
``ROUND_MAX_*``); docs/bundles.md says why each default is what it is."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext

from panel.bundle.tables import Problem


@dataclass(frozen=True)
class Limit:
    setting: str
    default: int
    # "This file has 1,200 applications, but a round can hold at most 1,000.": a whole
    # sentence for each kind of row, given (rows, most).
    too_many_rows: Callable[[int, int], str]

    @property
    def most(self) -> int:
        if has_app_context():
            return int(current_app.config.get(self.setting, self.default))
        return self.default


APPLICATIONS = Limit("ROUND_MAX_APPLICATIONS", 20_000, lambda rows, most: ngettext(
    "This file has %(rows)s application, but a round can hold at most %(most)s.",
    "This file has %(rows)s applications, but a round can hold at most %(most)s.",
    rows, rows=f"{rows:,}", most=f"{most:,}"))
PANEL = Limit("ROUND_MAX_PANEL", 2_000, lambda rows, most: ngettext(
    "This file has %(rows)s panel member, but a round can hold at most %(most)s.",
    "This file has %(rows)s panel members, but a round can hold at most %(most)s.",
    rows, rows=f"{rows:,}", most=f"{most:,}"))
SHEETS = Limit("ROUND_MAX_SHEETS", 150_000, lambda rows, most: ngettext(
    "This file has %(rows)s score sheet, but a round can hold at most %(most)s.",
    "This file has %(rows)s score sheets, but a round can hold at most %(most)s.",
    rows, rows=f"{rows:,}", most=f"{most:,}"))
CONFLICTS = Limit("ROUND_MAX_CONFLICTS", 100_000, lambda rows, most: ngettext(
    "This file has %(rows)s conflict, but a round can hold at most %(most)s.",
    "This file has %(rows)s conflicts, but a round can hold at most %(most)s.",
    rows, rows=f"{rows:,}", most=f"{most:,}"))


def too_many(limit: Limit, rows: int, file: str, *, already: int = 0) -> list[Problem]:
    """One problem when ``rows`` more (the round holding ``already``) would pass
    ``limit``; else none."""
    most = limit.most
    if already + rows <= most:
        return []
    room = max(most - already, 0)
    sentences = [
        limit.too_many_rows(rows, most),
        _("The round already has %(already)s.", already=f"{already:,}") if already else "",
        _("Remove rows to leave at most %(room)s, or split them across rounds.",
          room=f"{room:,}") if room else _("Start another round for them."),
        _("(An administrator sets the limit with %(setting)s.)", setting=limit.setting)]
    return [Problem(file, None, None, " ".join(sentence for sentence in sentences if sentence))]
