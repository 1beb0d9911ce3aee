"""The officer's view of reviewer leniency (:mod:`panel.reports.leniency`):

/rounds/<slug>/ranking/leniency    each reviewer's leniency and interval, by group, with
                                   the group-bias check; officers and auditors only

It names reviewers beside figures drawn from their scores, which DESIGN.md §4 allows
officers and auditors alone: panellists and the chair get 403 (staff pages), the public
the sign-in page."""
from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select

from panel import access, policy
from panel.accounts.models import Role, User
from panel.extensions import db
from panel.reports import rank_model_jobs
from panel.reports.leniency import leniency_page
from panel.rounds.models import Application, PanelMember, Round
from panel.rounds.queries import round_by_slug
from panel.scoring.rank_intervals import not_worked_out


@access.staff(Role.OFFICER, Role.AUDITOR)
def leniency(slug: str):
    round_ = round_by_slug(slug) or abort(404)
    kept, on = rank_model_jobs.kept_and_on(round_)
    page = missing = None
    if kept is None:
        count = db.session.scalar(select(db.func.count(Application.id))
                                  .where(Application.round_id == round_.id))
        missing = not_worked_out(round_, count, on)
    else:
        page = leniency_page(kept, _names(round_), {g.key: g.label for g in round_.groups})
    return render_template("reports/leniency.html", round=round_, page=page, missing=missing,
                           is_officer=policy.can_manage_rounds(current_user))


def _names(round_: Round) -> dict[int, str]:
    rows = db.session.execute(select(PanelMember.id, User.name).join(
        User, User.id == PanelMember.user_id).where(PanelMember.round_id == round_.id))
    return {member: name for member, name in rows}
