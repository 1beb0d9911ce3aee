"""Every URL of the admin pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.admin import views

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_url_rule("/people", view_func=views.people, methods=["GET"])
bp.add_url_rule("/people/invite", view_func=views.invite, methods=["GET", "POST"])
bp.add_url_rule("/people/<int:user_id>", view_func=views.person, methods=["GET", "POST"])
bp.add_url_rule("/people/<int:user_id>/<any(disable, enable, resend):action>",
                view_func=views.person_action, methods=["POST"])
bp.add_url_rule("/jobs", view_func=views.jobs, methods=["GET"])
bp.add_url_rule("/people/<int:user_id>/reset-two-step-sign-in",
                view_func=views.reset_second_factor, methods=["POST"])
bp.add_url_rule("/people/<int:user_id>/erase", view_func=views.erase, methods=["GET", "POST"])
