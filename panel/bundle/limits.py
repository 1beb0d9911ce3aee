"""How much one round may hold (issue 22): an import that would take a round past a
limit is refused when it is checked, before anything is written and before its rows are
checked one by one, with what to fix. The limits are settings (config.py,
``ROUND_MAX_*``); docs/bundles.md says why each default is what it is."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, has_app_context

from panel.bundle.tables import Problem


@dataclass(frozen=True)
class Limit:
    setting: str
    default: int
    noun: str  # plural, as the message says it

    @property
    def most(self) -> int:
        if has_app_context():
            return int(current_app.config.get(self.setting, self.default))
        return self.default


APPLICATIONS = Limit("ROUND_MAX_APPLICATIONS", 20_000, "applications")
PANEL = Limit("ROUND_MAX_PANEL", 2_000, "panel members")
SHEETS = Limit("ROUND_MAX_SHEETS", 150_000, "score sheets")
CONFLICTS = Limit("ROUND_MAX_CONFLICTS", 100_000, "conflicts")


def too_many(limit: Limit, rows: int, file: str, *, already: int = 0) -> list[Problem]:
    """One problem when ``rows`` more (the round holding ``already``) would pass
    ``limit``; else none."""
    most = limit.most
    if already + rows <= most:
        return []
    held = f" The round already has {already:,}." if already else ""
    room = max(most - already, 0)
    fix = (f"Remove rows to leave at most {room:,}, or split them across rounds"
           if room else "Start another round for them")
    return [Problem(file, None, None,
                    f"This file has {rows:,} {limit.noun}, but a round can hold at most "
                    f"{most:,}.{held} {fix}. (An administrator sets the limit with "
                    f"{limit.setting}.)")]
