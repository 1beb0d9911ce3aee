"""The chair puts a sheet's comment on the shared screen, or takes it off (DESIGN.md §6).

The chair sees every comment beside its letter; the room sees only the ones the chair
chose to show, and never one its writer marked "for the chair only". The choice is made
by letter, on the current item only, and recorded in the trail (the sheet, not the
person, is named there, as everywhere in the meeting)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from panel.accounts.models import User
from panel.audit.services import record
from panel.extensions import db
from panel.moderation import presenters
from panel.moderation.models import Meeting, SharedComment
from panel.moderation.services import MeetingError
from panel.rounds.models import Round
from panel.scoring.models import ScoreSheet


def show_comment(actor: User, round_: Round, meeting: Meeting, reference: str, letter: str,
                 shown: bool) -> bool:
    """Show (``shown``) or stop showing the comment of ``letter`` on the current item.
    False when it was already so (nothing recorded)."""
    if not round_.in_moderation:
        raise MeetingError(_("The meeting is not running, so nothing can be shown."))
    application = meeting.current_application
    if application is None or application.reference != reference:
        raise MeetingError(_("The meeting has moved on to another application, "
                             "so nothing was shown."))
    member_id = presenters.letter_of(round_, application, letter)
    if member_id is None:
        raise MeetingError(_("There is no %(letter)s on this application any more. "
                             "Nothing was shown.", letter=letter))
    existing = db.session.scalar(select(SharedComment).where(
        SharedComment.application_id == application.id, SharedComment.member_id == member_id))
    if not shown and existing is None:
        return False  # not on the screen: nothing to take off
    sheet = db.session.scalar(select(ScoreSheet).where(
        ScoreSheet.member_id == member_id, ScoreSheet.application_id == application.id)
        .order_by(ScoreSheet.id.desc()).limit(1))
    if sheet is None or not (sheet.comment or "").strip():
        raise MeetingError(_("%(letter)s wrote no comment on this application.",
                             letter=letter))
    if shown and sheet.comment_for_chair:
        raise MeetingError(_("%(letter)s asked that only the chair read this comment, "
                             "so it cannot go on the shared screen.", letter=letter))
    if (existing is not None) == shown:
        return False
    if shown:
        db.session.add(SharedComment(application_id=application.id, member_id=member_id,
                                     shared_by_id=actor.id))
    else:
        db.session.execute(delete(SharedComment).where(SharedComment.id == existing.id))
    db.session.flush()
    record("meeting.comment_shown" if shown else "meeting.comment_hidden", actor=actor,
           target=meeting, round_id=round_.id,
           before={"application": reference, "letter": letter, "sheet": sheet.id,
                   "shown": not shown},
           after={"application": reference, "letter": letter, "sheet": sheet.id,
                  "shown": shown})
    return True
