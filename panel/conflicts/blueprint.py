"""Every URL of the conflicts pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.conflicts import profile_views, review_views

profile_bp = Blueprint("profile", __name__)
profile_bp.add_url_rule("/my-connections",
                        view_func=profile_views.connections, methods=["GET", "POST"])

conflict_review_bp = Blueprint("conflict_review", __name__, url_prefix="/rounds")
conflict_review_bp.add_url_rule("/<slug>/conflicts", view_func=review_views.queue, methods=["GET"])
conflict_review_bp.add_url_rule("/<slug>/conflicts/<int:conflict_id>/confirm",
                                view_func=review_views.confirm, methods=["POST"])
conflict_review_bp.add_url_rule("/<slug>/conflicts/<int:conflict_id>/dismiss",
                                view_func=review_views.dismiss, methods=["GET", "POST"])
conflict_review_bp.add_url_rule("/<slug>/conflicts/<int:conflict_id>/level",
                                view_func=review_views.level, methods=["POST"])
conflict_review_bp.add_url_rule("/<slug>/conflicts/new",
                                view_func=review_views.add, methods=["GET", "POST"])
conflict_review_bp.add_url_rule("/<slug>/conflicts/matrix",
                                view_func=review_views.matrix, methods=["GET"])
conflict_review_bp.add_url_rule("/<slug>/conflicts.csv",
                                view_func=review_views.export, methods=["GET"])
