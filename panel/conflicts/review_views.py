"""The officer's review of conflicts of interest (DESIGN.md §5): the queue of declared
and suggested conflicts with confirm, dismiss and change of level; adding a conflict; the
matrix of members and applications; the CSV export. Handlers are thin: load, validate,
call a service inside ``change`` (commit once), redirect with a confirmation."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from panel import access, policy
from panel.conflicts import queries, services
from panel.conflicts.models import (
    KIND_WORDS,
    LEVEL_HINTS,
    LEVEL_WORDS,
    SOURCE_WORDS,
    STATUS_WORDS,
)
from panel.conflicts.review_forms import (
    AddConflictForm,
    DismissForm,
    LevelForm,
    MatrixFilterForm,
)
from panel.conflicts.services import ConflictError
from panel.extensions import db
from panel.forms import ButtonForm
from panel.rounds.models import Application, PanelMember
from panel.transactions import change

PER_PAGE = 50
WORDS = {"kinds": KIND_WORDS, "levels": LEVEL_WORDS, "sources": SOURCE_WORDS,
         "statuses": STATUS_WORDS}


@access.officer_round()
def queue(round_):
    return render_template(
        "conflicts/review/queue.html", round=round_, words=WORDS, action_form=ButtonForm(),
        page=queries.review_queue(round_, _page(), PER_PAGE),
        pending=queries.pending_count(round_), editable=round_.phase in policy.CONFLICTS_OPEN)


@access.officer_round(*policy.CONFLICTS_OPEN)
def confirm(round_, conflict_id: int):
    conflict = _conflict(round_, conflict_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    return _done(round_, lambda: services.confirm(current_user, conflict),
                 _("Conflict confirmed: %(name)s on %(reference)s.", **_pair(conflict)))


@access.officer_round(*policy.CONFLICTS_OPEN)
def dismiss(round_, conflict_id: int):
    conflict = _conflict(round_, conflict_id)
    form = DismissForm()
    if form.validate_on_submit():
        with change(ConflictError) as done:
            services.dismiss(current_user, conflict, form.reason.data)
        if not done.refused:
            flash(_("Conflict dismissed: %(name)s on %(reference)s.", **_pair(conflict)), "success")
            return redirect(url_for(".queue", slug=round_.slug))
        form.form_errors.append(done.refusal)
    return render_template("conflicts/review/dismiss.html", round=round_, form=form,
                           conflict=conflict, words=WORDS)


@access.officer_round(*policy.CONFLICTS_OPEN)
def level(round_, conflict_id: int):
    conflict = _conflict(round_, conflict_id)
    form = LevelForm()
    if not form.validate_on_submit():
        abort(400)
    settles = " " + _("Conflict confirmed.") if conflict.status == "pending" else ""
    return _done(round_, lambda: services.change_level(current_user, conflict, form.level.data),
                 _("%(name)s on %(reference)s is now: %(level)s.", **_pair(conflict),
                   level=LEVEL_WORDS.get(form.level.data, "")) + settles)


@access.officer_round(*policy.CONFLICTS_OPEN)
def add(round_):
    form = AddConflictForm()
    members = queries.members(round_)
    form.member.choices = [SelectChoice(m.id, f"{m.name} ({m.group_label})") for m in members]
    if form.validate_on_submit():
        application = db.session.scalar(select(Application).where(
            Application.round_id == round_.id, Application.reference == form.reference.data))
        member = db.session.get(PanelMember, form.member.data)
        if application is None:
            form.reference.errors.append(_("There is no application %(reference)s in this round",
                                           reference=form.reference.data))
        else:
            with change(ConflictError) as done:
                services.add_conflict(current_user, round_, member, application,
                                      form.kind.data, form.note.data, form.level.data)
            if done.refused:
                form.form_errors.append(done.refusal)
            else:
                flash(_("Conflict added: %(name)s on %(reference)s.", name=member.user.name,
                        reference=application.reference),
                      "success")
                return redirect(url_for(".queue", slug=round_.slug))
    return render_template("conflicts/review/add.html", round=round_, form=form,
                           level_hints=LEVEL_HINTS)


@access.officer_round()
def matrix(round_):
    form = MatrixFilterForm(request.args)
    form.member.choices = [SelectChoice("", _("Any member")), *(
        SelectChoice(m.id, m.name) for m in queries.members(round_))]
    form.group.choices = [SelectChoice("", _("Any group")),
                          *(SelectChoice(g.key, g.label) for g in round_.groups)]
    filters = _filters(form)
    return render_template(
        "conflicts/review/matrix.html", round=round_, form=form, words=WORDS,
        page=queries.matrix(round_, filters, _page(), PER_PAGE),
        summaries=queries.member_summaries(round_, filters))


@access.officer_round()
def export(round_):
    with change():  # the export is on the decision trail
        data = services.export_csv(current_user, round_)
    return Response(data, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{round_.slug}-conflicts.csv"'})


def _conflict(round_, conflict_id: int):
    return queries.conflict_in(round_, conflict_id) or abort(404)


def _done(round_, service, message: str):
    """Post/redirect/get for the one-button actions of the queue."""
    with change(ConflictError) as done:
        service()
    if done.refused:
        flash(done.refusal, "error")
    else:
        flash(message, "success")
    return redirect(url_for(".queue", slug=round_.slug, page=request.args.get("page")))


def _pair(conflict) -> dict[str, str]:
    """Who and which application, for the messages about one conflict."""
    return {"name": conflict.member.user.name, "reference": conflict.application.reference}


def _filters(form: MatrixFilterForm) -> queries.Filters:
    """Unknown values in the address are ignored rather than refused."""
    def chosen(field):
        return field.data if any(c.value == field.data for c in field.choices) else None

    return queries.Filters(member=chosen(form.member), group=chosen(form.group) or "",
                           search=(form.q.data or "")[:100], status=chosen(form.status) or "",
                           level=chosen(form.level) or "")


def _page() -> int:
    return request.args.get("page", 1, type=int)
