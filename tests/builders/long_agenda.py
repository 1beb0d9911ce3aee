"""A meeting with a long agenda: the worked example's meeting (A1, A2, A3, scored) with
297 unscored applications B4…B300 written straight after it, 300 items in all, and a
few items taken through the meeting's own services:

=========  ========  ==================================
position   item      state
=========  ========  ==================================
1          A1        decided: fund
2          A2        decided: do not fund
3          A3        skipped for later
103        B103      decided: keep
203        B203      open now
=========  ========  ==================================

So: 300 in all, 3 decided, 297 still to discuss, 1 skipped; 6 pages of 50."""
from __future__ import annotations

import sqlalchemy as sa

from panel.accounts.models import User
from panel.extensions import db, utcnow
from panel.moderation import meeting as meetings
from panel.moderation import services
from panel.moderation.models import AgendaItem
from panel.rounds.models import Application, Round
from tests.builders.meetings import CHAIR

LENGTH = 300


def long_agenda(round_: Round) -> None:
    """Start the meeting of ``round_`` (the worked example in moderation) and lengthen
    its agenda to :data:`LENGTH` items in the state above."""
    chair = db.session.scalar(sa.select(User).where(User.email == CHAIR))
    meeting = services.start_meeting(chair, round_)
    db.session.commit()
    now = utcnow()
    db.session.execute(sa.insert(Application), [
        {"round_id": round_.id, "reference": f"B{n}", "title": f"Project B{n}",
         "lay_summary": "", "requested_amount": 10, "extra": {}, "created_at": now}
        for n in range(4, LENGTH + 1)])
    ids = dict(db.session.execute(sa.select(Application.reference, Application.id)
                                  .where(Application.round_id == round_.id)).all())
    db.session.execute(sa.insert(AgendaItem), [
        {"meeting_id": meeting.id, "application_id": ids[f"B{n}"], "position": n}
        for n in range(4, LENGTH + 1)])
    db.session.commit()
    db.session.expire_all()
    meeting = meetings.meeting_of(round_)
    services.record_outcome(chair, meeting, "fund", "Strong support in the room")
    services.open_item(chair, meeting, "A2")
    services.record_outcome(chair, meeting, "do_not_fund", "Not ready yet")
    services.open_item(chair, meeting, "A3")
    services.skip_item(chair, meeting)
    services.open_item(chair, meeting, "B103")
    services.record_outcome(chair, meeting, "keep", "")
    services.open_item(chair, meeting, "B203")
    db.session.commit()
