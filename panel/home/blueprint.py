"""Every URL of the home pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.home import notice_views, views

bp = Blueprint("home", __name__)
bp.add_url_rule("/", view_func=views.index, methods=["GET"])
bp.add_url_rule("/healthz", view_func=views.healthz, methods=["GET"])
bp.add_url_rule("/my-rounds", view_func=views.my_rounds, methods=["GET"])
bp.add_url_rule("/privacy", view_func=notice_views.privacy, methods=["GET"])
bp.add_url_rule("/accessibility", view_func=notice_views.accessibility, methods=["GET"])
