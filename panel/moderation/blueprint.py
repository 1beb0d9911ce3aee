"""Every URL of the moderation pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.moderation import agenda_views, lottery_views, revise_views, views

bp = Blueprint("meeting", __name__)
bp.add_url_rule("/rounds/<slug>/meeting", view_func=views.chair, methods=["GET"])
bp.add_url_rule("/rounds/<slug>/meeting/start", view_func=views.start, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/meeting/outcome", view_func=views.outcome, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/meeting/skip", view_func=views.skip, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/meeting/next", view_func=views.move_on, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/meeting/comments/<letter>", view_func=views.comment,
                methods=["POST"])
bp.add_url_rule("/rounds/<slug>/meeting/agenda", view_func=agenda_views.agenda, methods=["GET"])
bp.add_url_rule("/rounds/<slug>/meeting/agenda/<reference>",
                view_func=agenda_views.agenda_change, methods=["POST"])
bp.add_url_rule("/rounds/<slug>/meeting/screen", view_func=views.screen, methods=["GET"])
bp.add_url_rule("/meetings/<slug>", view_func=views.follow, methods=["GET"])
bp.add_url_rule("/meetings/<slug>/revise", view_func=revise_views.revise, methods=["GET"])
bp.add_url_rule("/meetings/<slug>/revise/question/<int:number>",
                view_func=revise_views.revise_question, methods=["GET", "POST"])
bp.add_url_rule("/meetings/<slug>/revise/check", view_func=revise_views.revise_check,
                methods=["GET", "POST"])
# The draw near the funding line (lottery_views.py)
bp.add_url_rule("/rounds/<slug>/draw/prepare", view_func=lottery_views.prepare_draw,
                methods=["GET", "POST"])
bp.add_url_rule("/rounds/<slug>/meeting/draw", view_func=lottery_views.draw,
                methods=["GET", "POST"])
