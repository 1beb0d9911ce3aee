"""Every URL of a background job's page, in one place. The views carry their own access
rules (:mod:`panel.access`, :func:`panel.policy.can_follow_job`)."""
from __future__ import annotations

from flask import Blueprint

from panel.jobs import views

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
bp.add_url_rule("/<int:job_id>", view_func=views.page, methods=["GET"])
bp.add_url_rule("/<int:job_id>.json", view_func=views.status, methods=["GET"])
bp.add_url_rule("/<int:job_id>/download", view_func=views.download, methods=["GET"])
