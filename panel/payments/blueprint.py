"""Every URL of paying panellists for their time, in one place (docs/payments.md). The
views carry their own access rules (:mod:`panel.access`); the time is measured with
each request by :mod:`panel.payments.recording`."""
from __future__ import annotations

from flask import Blueprint

from panel.payments import my_views, record_views, recording, setup_views

bp = Blueprint("payments", __name__)
bp.add_url_rule("/rounds/<slug>/setup/payment", view_func=setup_views.setup, methods=["GET"])
bp.add_url_rule("/rounds/<slug>/setup/payment/<key>", view_func=setup_views.rate,
                methods=["GET", "POST"])
bp.add_url_rule("/rounds/<slug>/payments", view_func=record_views.records, methods=["GET"])
bp.add_url_rule("/rounds/<slug>/payments/<int:member_id>", view_func=record_views.member,
                methods=["GET"])
bp.add_url_rule("/rounds/<slug>/payments/<int:member_id>/approve",
                view_func=record_views.approve, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/payments/<int:member_id>/withdraw",
                view_func=record_views.withdraw, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/payments.csv", view_func=record_views.export_csv,
                methods=["GET"])
bp.add_url_rule("/rounds/<slug>/payments.xlsx", view_func=record_views.export_xlsx,
                methods=["GET"])
bp.add_url_rule("/my-time/<slug>", view_func=my_views.my_record, methods=["GET"])
bp.add_url_rule("/my-time/<slug>/choice", view_func=my_views.my_choice,
                methods=["GET", "POST"])
bp.add_url_rule("/my-time/<slug>/sheets/<reference>", view_func=my_views.my_sheet_time,
                methods=["GET", "POST"])
bp.add_url_rule("/my-time/<slug>/meeting", view_func=my_views.my_meeting_time,
                methods=["GET", "POST"])
bp.before_app_request(recording.before_request)
bp.after_app_request(recording.after_request)
bp.add_app_template_global(my_views.my_pay_link, "my_pay_link")
