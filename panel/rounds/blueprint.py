"""Every URL of the rounds pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.rounds import (
    content,
    progress_views,
    setup_rubric_views,
    setup_views,
    times,
    views,
    welcome,
)

rounds_bp = Blueprint("rounds", __name__, url_prefix="/rounds")
rounds_bp.add_url_rule("/", view_func=views.index, methods=["GET"])
rounds_bp.add_app_template_global(welcome.my_welcome, "my_welcome")
# {{ lottery.drawn_at | round_time(round) }}: "19:30 BST on Tuesday 8 June 2027".
rounds_bp.add_app_template_filter(times.moment_text, "round_time")
# {{ content(application, "title") }}: the Welsh for a Welsh reader where there is some.
rounds_bp.add_app_template_global(content.content, "content")
rounds_bp.add_app_template_global(content.content_text, "content_text")
rounds_bp.add_app_template_filter(times.day_text, "round_day")

round_setup_bp = Blueprint("round_setup", __name__, url_prefix="/rounds")
round_setup_bp.add_url_rule("/new", view_func=setup_views.create, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup", view_func=setup_views.overview, methods=["GET"])
round_setup_bp.add_url_rule("/<slug>/setup/details",
                            view_func=setup_views.details, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/scale",
                            view_func=setup_views.scale, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/scale/descriptors",
                            view_func=setup_views.scale_descriptors, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/funding",
                            view_func=setup_views.funding, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/rank-model",
                            view_func=setup_views.rank_model, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/blind",
                            view_func=setup_views.blind, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/retention",
                            view_func=setup_views.retention, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/publishing",
                            view_func=setup_views.publishing, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/criteria",
                            view_func=setup_rubric_views.criteria, methods=["GET"])
round_setup_bp.add_url_rule("/<slug>/setup/criteria/new",
                            view_func=setup_rubric_views.new_criterion, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/criteria/<key>",
                            view_func=setup_rubric_views.criterion, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/criteria/<key>/remove",
                            view_func=setup_rubric_views.remove_criterion, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/criteria/<key>/move/<any(up, down):direction>",
                            view_func=setup_rubric_views.move_criterion, methods=["POST"])
round_setup_bp.add_url_rule("/<slug>/setup/groups",
                            view_func=setup_rubric_views.groups, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/groups/new",
                            view_func=setup_rubric_views.new_group, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/groups/<key>",
                            view_func=setup_rubric_views.group, methods=["GET", "POST"])
round_setup_bp.add_url_rule("/<slug>/setup/groups/<key>/remove",
                            view_func=setup_rubric_views.remove_group, methods=["GET", "POST"])

round_progress_bp = Blueprint("round_progress", __name__, url_prefix="/rounds")
round_progress_bp.add_url_rule("/<slug>/", view_func=progress_views.dashboard, methods=["GET"])
round_progress_bp.add_url_rule("/<slug>/reminders",
                               view_func=progress_views.reminders, methods=["POST"])
round_progress_bp.add_url_rule("/<slug>/background",
                               view_func=progress_views.background, methods=["GET"])
round_progress_bp.add_url_rule("/<slug>/assignments",
                               view_func=progress_views.assignments, methods=["GET", "POST"])
round_progress_bp.add_url_rule("/<slug>/assignments/<reference>",
                               view_func=progress_views.reviewers, methods=["GET", "POST"])
round_progress_bp.add_url_rule("/<slug>/phase", view_func=progress_views.phase, methods=["GET"])
round_progress_bp.add_url_rule("/<slug>/phase/next",
                               view_func=progress_views.phase_forward, methods=["GET", "POST"])
round_progress_bp.add_url_rule("/<slug>/phase/back",
                               view_func=progress_views.phase_back, methods=["GET", "POST"])
