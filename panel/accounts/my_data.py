"""Everything FairPanel holds about one person, for them to download (UK GDPR Art. 15,
issue 19): their account, panel places, connections, score sheets with comments and
revisions, their time and payment choice (issue 20), and the trail's events about them
with their own values opened.

What it leaves out, and why: other people's data (the other members of a panel, other
people's scores), applicants' identifying fields (a panellist never sees them), and
secrets that are not information about the person (password hash, two-step secret,
link tokens: it says whether they exist), and the text of the e-mails sent to them (it
lists each one; their text may hold a sign-in link, and a copy of a live link does not
belong in a file that may be kept anywhere)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from panel.accounts.models import User
from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.mail.models import OutboxMessage
from panel.payments.models import MemberPay, TimeRecord
from panel.rounds.models import Application, Assignment, PanelMember, Round
from panel.scoring.models import CriterionScore, ScoreSheet

EVENTS_LIMIT = 5000  # a person's own trail: far more than a panel round writes


def my_data(user: User) -> dict[str, Any]:
    """JSON-ready: what :mod:`this module <panel.accounts.my_data>` says, newest last."""
    members = db.session.scalars(select(PanelMember).where(PanelMember.user_id == user.id)
                                 .order_by(PanelMember.id)).all()
    return {
        "account": {
            "id": user.id, "name": user.name, "email": user.email,
            "staff_roles": sorted(user.role_names), "active": user.active,
            "created_at": _when(user.created_at), "invited_at": _when(user.invited_at),
            "last_sign_in_at": _when(user.last_sign_in_at),
            "has_password": user.password_hash is not None,
            "has_two_step_sign_in": user.has_second_factor,
            # The language they read FairPanel and its e-mails in; None: not chosen.
            "language": user.language,
        },
        "panel_places": [_place(member) for member in members],
        "emails": _emails(user),
        "trail": _events(user, members),
    }


def _emails(user: User) -> list[dict[str, Any]]:
    """Every e-mail the outbox holds for their address: what it was, and whether it went."""
    return [{"subject": message.subject, "kind": message.kind, "state": message.state,
             "queued_at": _when(message.created_at), "sent_at": _when(message.sent_at)}
            for message in db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.recipient == user.email)
                .order_by(OutboxMessage.id))]


def _place(member: PanelMember) -> dict[str, Any]:
    round_ = db.session.get(Round, member.round_id)
    group = next((g.label for g in round_.groups if g.id == member.group_id), None)
    return {
        "round": round_.title, "round_slug": round_.slug, "phase": round_.phase,
        "role": member.role, "group": group, "connections_profile": list(member.affiliations),
        "connection_answers": [
            {"application": reference, "answer": answer}
            for reference, answer in db.session.execute(
                select(Application.reference, Assignment.connection_answer)
                .join(Application, Application.id == Assignment.application_id)
                .where(Assignment.member_id == member.id)
                .order_by(Application.reference))],
        "connections": [
            {"application": reference, "kind": c.kind, "note": c.details, "level": c.level,
             "source": c.source, "status": c.status}
            for c, reference in db.session.execute(
                select(Conflict, Application.reference)
                .join(Application, Application.id == Conflict.application_id)
                .where(Conflict.member_id == member.id).order_by(Conflict.id))],
        "score_sheets": _sheets(member, round_),
        "time_and_payment": _time_and_payment(member),
    }


def _time_and_payment(member: PanelMember) -> dict[str, Any]:
    """Their choice about being paid, the officer's approval, and the time recorded for
    each application and the meeting (docs/payments.md)."""
    pay = db.session.scalar(select(MemberPay).where(MemberPay.member_id == member.id))
    times = db.session.execute(
        select(TimeRecord, Application.reference)
        .outerjoin(Application, Application.id == TimeRecord.application_id)
        .where(TimeRecord.member_id == member.id)
        .order_by(TimeRecord.kind.desc(), Application.reference)).all()
    return {
        "chose_not_to_be_paid": bool(pay and pay.declined),
        "approved_at": _when(pay.approved_at) if pay else None,
        "approved_pay_pence": pay.approved_pence if pay else None,
        "time": [{"what": reference or "meeting", "first_seen_at": _when(time.first_seen_at),
                  "last_seen_at": _when(time.last_seen_at),
                  "measured_seconds": time.measured_seconds,
                  "finished_at": _when(time.finished_at),
                  "your_minutes": time.claimed_minutes, "your_note": time.note}
                 for time, reference in times],
    }


def _sheets(member: PanelMember, round_: Round) -> list[dict[str, Any]]:
    criteria = {c.id: c.name for c in round_.criteria}
    sheets = db.session.execute(
        select(ScoreSheet, Application.reference)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(ScoreSheet.member_id == member.id)
        .order_by(Application.reference, ScoreSheet.revision)).all()
    scores: dict[int, dict[str, Any]] = {}
    for score in db.session.scalars(select(CriterionScore).where(
            CriterionScore.sheet_id.in_([sheet.id for sheet, _ in sheets]))):
        scores.setdefault(score.sheet_id, {})[criteria.get(score.criterion_id, "?")] = \
            score.value
    return [{"application": reference, "revision": sheet.revision, "stage": sheet.stage,
             "status": sheet.status, "scores": scores.get(sheet.id, {}),
             "comment": sheet.comment, "reason_for_revision": sheet.reason,
             "updated_at": _when(sheet.updated_at), "submitted_at": _when(sheet.submitted_at)}
            for sheet, reference in sheets]


def _events(user: User, members: list[PanelMember]) -> list[dict[str, Any]]:
    """The events about them: their account, panel places, assignments, sheets and
    connections (whoever acted). What a staff member did to others' data is about those
    others, and is not here."""
    places = [m.id for m in members]
    about = {
        "users": [str(user.id)],
        "panel_members": [str(i) for i in places],
        "assignments": _ids(select(Assignment.id).where(Assignment.member_id.in_(places))),
        "score_sheets": _ids(select(ScoreSheet.id).where(ScoreSheet.member_id.in_(places))),
        "conflicts": _ids(select(Conflict.id).where(Conflict.member_id.in_(places))),
    }
    events = db.session.scalars(
        select(AuditEvent).where(or_(*(
            (AuditEvent.object_type == kind) & AuditEvent.object_id.in_(ids)
            for kind, ids in about.items() if ids)))
        .order_by(AuditEvent.id).limit(EVENTS_LIMIT)).all()
    found = []
    for event in events:
        seen = opened(event)
        found.append({"event": event.id, "when": _when(event.occurred_at),
                      "action": event.action, "by": _by(event, user),
                      "before": seen.before, "after": seen.after})
    return found


def _by(event: AuditEvent, user: User) -> str:
    """Who acted, without naming another person: "you", a command, or FairPanel staff."""
    if event.actor_id == user.id:
        return "you"
    if event.actor_id is None:
        return event.actor  # "system: flask …"
    return "FairPanel staff"


def _ids(query) -> list[str]:
    return [str(i) for i in db.session.scalars(query)]


def _when(moment) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"
