"""The admin's pages: everyone with an account, invitations and staff roles, and the
background jobs of the whole system."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from panel import access
from panel.accounts import erasure, second_factor, services
from panel.accounts.models import Role, User
from panel.admin.forms import ROLE_HINTS, EraseForm, InviteForm, RolesForm
from panel.extensions import db
from panel.forms import ButtonForm
from panel.jobs import queries as jobs_queries
from panel.transactions import change


@access.staff(Role.ADMIN)
def people():
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("admin/people.html", users=users)


@access.staff(Role.ADMIN)
def jobs():
    return render_template("admin/jobs.html", lines=jobs_queries.recent(),
                           limit=jobs_queries.RECENT)


@access.staff(Role.ADMIN)
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        with change(services.AccountError) as done:
            user = services.invite(current_user, email=form.email.data, name=form.name.data,
                                   roles=set(form.roles.data))
        if not done.refused:
            flash(_("Invitation sent to %(email)s.", email=user.email), "success")
            return redirect(url_for(".people"))
        form.email.errors = [done.refusal]
    return render_template("admin/invite.html", form=form, role_hints=ROLE_HINTS)


@access.staff(Role.ADMIN)
def person(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm(roles=sorted(user.role_names))
    if form.validate_on_submit():
        with change(services.AccountError) as done:
            services.set_roles(current_user, user, set(form.roles.data))
        if not done.refused:
            flash(_("Roles saved for %(name)s.", name=user.name), "success")
            return redirect(url_for(".person", user_id=user.id))
        form.roles.errors = [done.refusal]
    return render_template("admin/person.html", user=user, form=form,
                           role_hints=ROLE_HINTS)


@access.staff(Role.ADMIN)
def person_action(user_id: int, action: str):
    user = db.session.get(User, user_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with change(services.AccountError) as done:
        if action == "resend":
            services.send_invitation(current_user, user)
            message = _("Invitation sent again to %(email)s.", email=user.email)
        else:
            services.set_active(current_user, user, action == "enable")
            message = (_("%(name)s can now sign in.", name=user.name) if action == "enable"
                       else _("%(name)s can no longer sign in.", name=user.name))
    if done.refused:
        flash(done.refusal, "error")
    else:
        flash(message, "success")
    return redirect(url_for(".person", user_id=user.id))


@access.staff(Role.ADMIN)
def reset_second_factor(user_id: int):
    """A lost phone: remove the person's authenticator app and recovery codes (audited)."""
    user = db.session.get(User, user_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with change():
        reset = second_factor.reset(current_user, user)
    if reset:
        flash(_("Two-step sign-in reset for %(name)s. They can set it up again the next "
                "time they sign in.", name=user.name), "success")
    return redirect(url_for(".person", user_id=user.id))


@access.staff(Role.ADMIN)
def erase(user_id: int):
    """Erase a person's personal data (:mod:`panel.accounts.erasure`), with the reason."""
    user = db.session.get(User, user_id) or abort(404)
    if erasure.is_erased(user):
        flash(_("%(name)s's personal data has already been erased.", name=user.name), "success")
        return redirect(url_for(".person", user_id=user.id))
    form = EraseForm()
    still_open = erasure.open_rounds(user)
    if form.validate_on_submit():
        with change(erasure.ErasureError) as done:
            erased = erasure.erase(current_user, user, reason=form.reason.data,
                                   force=form.force.data)
        if not done.refused:
            flash(_("Personal data erased. The account is now “%(pseudonym)s”.",
                    pseudonym=erased.pseudonym), "success")
            return redirect(url_for(".person", user_id=user.id))
        target = form.force if still_open and not form.force.data else form.reason
        target.errors = [*target.errors, done.refusal]
    return render_template("admin/erase.html", user=user, form=form, still_open=still_open)
