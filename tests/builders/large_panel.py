"""A round in scoring with a panel of thousands, written in bulk (a few statements, not
thousands of audited services: only the size matters to the tests that use it)."""
from __future__ import annotations

from sqlalchemy import insert, select

from panel.accounts.models import User
from panel.extensions import db, utcnow
from panel.rounds import services as rounds
from panel.rounds.models import Assignment, PanelMember, Round
from tests.builders import rounds as round_builders


def scoring_round_with_panel(size: int) -> Round:
    """``size`` panellists (panellist0001@example.org…), each assigned A1 with nothing
    scored, in a round in scoring."""
    round_ = round_builders.draft_round()
    (first,) = round_builders.applications(round_, 60)
    now = utcnow()
    db.session.execute(insert(User), [
        {"email": f"panellist{n:04}@example.org", "name": f"Panellist {n}", "active": True,
         "session_version": 1, "created_at": now} for n in range(1, size + 1)])
    users = db.session.scalars(select(User.id).where(User.email.like("panellist%"))).all()
    group = next(g for g in round_.groups if g.key == "academic")
    db.session.execute(insert(PanelMember), [
        {"round_id": round_.id, "user_id": user_id, "group_id": group.id, "role": "panellist",
         "affiliations": [], "joined_at": now} for user_id in users])
    members = db.session.scalars(select(PanelMember.id).where(
        PanelMember.round_id == round_.id)).all()
    db.session.execute(insert(Assignment), [
        {"member_id": member_id, "application_id": first.id, "created_at": now}
        for member_id in members])
    rounds.change_phase(None, round_, "scoring", system="tests")
    db.session.commit()
    return round_
