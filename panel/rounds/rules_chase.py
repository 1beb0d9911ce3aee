"""When "Who to chase" starts listing panellists (issue 20): not from the first minute
of scoring, when everyone has everything left, but once a set share of the scoring
window — from the moment scoring opened to the deadline — has passed. Pure functions
over naive UTC datetimes, as the database keeps them."""
from __future__ import annotations

from datetime import datetime

DEFAULT_SHARE = 0.5  # half way from opening to the deadline


def chase_from(opened: datetime | None, deadline: datetime | None,
               share: float = DEFAULT_SHARE) -> datetime | None:
    """The moment the list starts, or None when it lists from the start: without a
    deadline (there is no window to measure) or without a known opening."""
    if deadline is None or opened is None or deadline <= opened:
        return None
    share = min(max(share, 0.0), 1.0)
    return opened + (deadline - opened) * share

