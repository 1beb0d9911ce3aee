"""Every URL of the accounts pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.accounts import account_views, my_data_views, sessions, views

bp = Blueprint("accounts", __name__)
# Every request, whichever page: a session past its lifetime ends; staff who must set up
# two-step sign-in are sent to do that first.
bp.before_app_request(sessions.end_sessions_past_their_lifetime)
bp.before_app_request(sessions.set_up_second_factor_first)
bp.add_url_rule("/sign-in", view_func=views.sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-in/check-email", view_func=views.check_email, methods=["GET"])
bp.add_url_rule("/sign-in/link/<token>", view_func=views.sign_in_with_link, methods=["GET", "POST"])
bp.add_url_rule("/sign-in/staff", view_func=views.staff_sign_in, methods=["GET", "POST"])
bp.add_url_rule("/sign-in/code", view_func=views.sign_in_code, methods=["GET", "POST"])
bp.add_url_rule("/sign-in/recovery-code",
                view_func=views.sign_in_recovery_code, methods=["GET", "POST"])
bp.add_url_rule("/invitation/<token>", view_func=views.invitation, methods=["GET", "POST"])
bp.add_url_rule("/sign-out", view_func=views.sign_out, methods=["POST"])
bp.add_url_rule("/language", view_func=views.choose_language, methods=["POST"])
bp.add_url_rule("/session/keep-alive", view_func=views.keep_alive, methods=["POST"])
bp.add_url_rule("/account", view_func=account_views.account, methods=["GET"])
bp.add_url_rule("/account/my-data", endpoint="my_data", view_func=my_data_views.page,
                methods=["GET"])
bp.add_url_rule("/account/my-data.json", endpoint="my_data_download",
                view_func=my_data_views.download, methods=["GET"])
bp.add_url_rule("/account/password",
                view_func=account_views.change_password, methods=["GET", "POST"])
bp.add_url_rule("/account/two-step-sign-in",
                view_func=account_views.set_up_second_factor, methods=["GET", "POST"])
bp.add_url_rule("/account/recovery-codes",
                view_func=account_views.new_recovery_codes, methods=["POST"])
