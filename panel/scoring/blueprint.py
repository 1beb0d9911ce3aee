"""Every URL of the scoring pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.scoring import forms, reviews_views, sheet_views, views

bp = Blueprint("scoring", __name__)
bp.add_url_rule("/my-rounds/<slug>", view_func=views.applications, methods=["GET"])
bp.add_url_rule("/my-reviews/<slug>", view_func=reviews_views.my_reviews, methods=["GET"])
bp.add_url_rule("/my-rounds/<slug>/<reference>", view_func=views.overview, methods=["GET"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/connection",
                view_func=views.connection, methods=["GET", "POST"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/connection/kind",
                view_func=views.connection_kind, methods=["GET", "POST"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/application",
                view_func=views.application, methods=["GET"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/question/<int:number>",
                view_func=views.question, methods=["GET", "POST"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/all",
                view_func=sheet_views.whole_sheet, methods=["GET", "POST"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/comment",
                view_func=views.comment, methods=["GET", "POST"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/check",
                view_func=views.check, methods=["GET", "POST"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/pass",
                view_func=views.pass_on, methods=["GET", "POST"])
bp.add_url_rule("/my-rounds/<slug>/<reference>/save", view_func=views.save, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/assisted/<int:member_id>/<reference>",
                view_func=views.assisted, methods=["GET", "POST"])
bp.add_app_template_global(sheet_views.one_page_chosen, "scoring_one_page")
bp.add_app_template_global(forms.radio_options, "radio_options")
