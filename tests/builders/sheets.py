"""Score sheets made the way people make them, through the real services: a panellist's
initial sheet while scoring is open, and a revision in the meeting."""
from __future__ import annotations

from panel.extensions import db
from panel.moderation import services as meeting_services
from panel.moderation.models import Meeting
from panel.rounds.models import PanelMember
from panel.scoring import queries
from panel.scoring import services as scoring
from panel.scoring.models import ScoreSheet


def sheet(member: PanelMember, reference: str, *, submit: bool = True, comment: str = "",
          **scores: int | None) -> ScoreSheet:
    """``member``'s initial sheet on ``reference``: they say they have no connection to
    it, save ``scores`` (criterion key → a level, or None for "I don't feel able to score
    this") and, unless ``submit`` is False, send it. The round must be in scoring and the
    member assigned to the application."""
    assignment = queries.assignment_for(member, reference)
    user = member.user
    if assignment.connection_answer is None:
        scoring.answer_no_connection(user, assignment)
    made = scoring.save_sheet(user, assignment, 0, comment=comment, scores={
        key: scoring.UNABLE if value is None else str(value) for key, value in scores.items()})
    if submit:
        scoring.submit_sheet(user, assignment, made.version)
    db.session.commit()
    return made


def revision(member: PanelMember, meeting: Meeting, reason: str = "I heard more about it",
             **scores: int | None) -> ScoreSheet:
    """``member`` changes their score on the meeting's current item, with ``reason``;
    criteria not given keep their current level."""
    current = meeting_services.latest_sheet(member.id, meeting.current_application_id)
    values = {**meeting_services.sheet_values(current, member.round),
              **{key: scoring.UNABLE if value is None else str(value)
                 for key, value in scores.items()}}
    made = meeting_services.revise_sheet(member.user, member, meeting, current.revision,
                                         values, reason)
    db.session.commit()
    return made
