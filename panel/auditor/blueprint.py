"""Every URL of the auditor pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.auditor import views

bp = Blueprint("audit", __name__, url_prefix="/audit")
bp.add_url_rule("/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/trail", view_func=views.trail_page, methods=["GET"])
bp.add_url_rule("/trail.csv", view_func=views.trail_csv, methods=["GET"])
bp.add_url_rule("/rounds/<slug>", view_func=views.round_page, methods=["GET"])
bp.add_url_rule("/rounds/<slug>/applications/<reference>",
                view_func=views.application_page, methods=["GET"])
bp.add_url_rule("/verify", view_func=views.verify, methods=["GET"])
