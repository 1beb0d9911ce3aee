"""The admin's pages: everyone with an account, invitations and staff roles."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from panel.accounts import second_factor, services
from panel.accounts.auth import role_required
from panel.accounts.models import User
from panel.admin.forms import ROLE_HINTS, ActionForm, InviteForm, RolesForm
from panel.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/people")
@role_required("admin")
def people():
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("admin/people.html", users=users)


@bp.route("/people/invite", methods=["GET", "POST"])
@role_required("admin")
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            user = services.invite(current_user, email=form.email.data, name=form.name.data,
                                   roles=set(form.roles.data))
        except services.AccountError as error:
            form.email.errors = [str(error)]
        else:
            db.session.commit()
            flash(f"Invitation sent to {user.email}.", "success")
            return redirect(url_for(".people"))
    return render_template("admin/invite.html", form=form, role_hints=ROLE_HINTS)


@bp.route("/people/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def person(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm(roles=sorted(user.role_names))
    if form.validate_on_submit():
        try:
            services.set_roles(current_user, user, set(form.roles.data))
        except services.AccountError as error:
            form.roles.errors = [str(error)]
        else:
            db.session.commit()
            flash(f"Roles saved for {user.name}.", "success")
            return redirect(url_for(".person", user_id=user.id))
    return render_template("admin/person.html", user=user, form=form,
                           role_hints=ROLE_HINTS)


@bp.post("/people/<int:user_id>/<any(disable, enable, resend):action>")
@role_required("admin")
def person_action(user_id: int, action: str):
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        if action == "resend":
            services.send_invitation(current_user, user)
            message = f"Invitation sent again to {user.email}."
        else:
            services.set_active(current_user, user, action == "enable")
            message = f"{user.name} can {'now' if action == 'enable' else 'no longer'} sign in."
    except services.AccountError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for(".person", user_id=user.id))


@bp.post("/people/<int:user_id>/reset-two-step-sign-in")
@role_required("admin")
def reset_second_factor(user_id: int):
    """A lost phone: remove the person's authenticator app and recovery codes (audited)."""
    user = db.session.get(User, user_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if second_factor.reset(current_user, user):
        db.session.commit()
        flash(f"Two-step sign-in reset for {user.name}. They can set it up again the next "
              "time they sign in.", "success")
    return redirect(url_for(".person", user_id=user.id))
