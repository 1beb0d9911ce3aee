"""When a conflict of interest takes a member off an application (DESIGN.md §5).

One definition, used by assignment, the panellist's pages, progress, the meeting and
the figures: a ``step_out`` conflict counts once an officer has confirmed it, and from
the start when the member declared it (or an officer or a bundle added it). A
*suggested* conflict from profile matching counts only after an officer confirms it:
until then it must not change anything a panellist can notice, or it would hint at who
applied."""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_

from panel.conflicts.models import Conflict


def stepping_out() -> ColumnElement[bool]:
    """SQL condition on :class:`Conflict`: this conflict takes the member off."""
    return and_(Conflict.level == "step_out", or_(
        Conflict.status == "confirmed",
        and_(Conflict.status == "pending", Conflict.source != "suggested"),
    ))


def stepped_out(member_id, application_id) -> ColumnElement[bool]:
    """SQL: the member ``member_id`` has stepped out of ``application_id`` (columns or
    values)."""
    return exists().where(Conflict.member_id == member_id,
                          Conflict.application_id == application_id, stepping_out())


def awaiting_review_as_suggested() -> ColumnElement[bool]:
    """SQL condition on :class:`Conflict`: a conflict suggested by profile matching that
    no officer has reviewed yet. It takes no one off, but automatic assignment leaves
    the pair out until it is reviewed (issue 20), so that confirming it later does not
    undo work already planned."""
    return and_(Conflict.source == "suggested", Conflict.status == "pending")
