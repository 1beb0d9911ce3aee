"""Every URL of the bundle pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.bundle import import_views, views

round_bundle_bp = Blueprint("round_bundle", __name__, url_prefix="/rounds")
round_bundle_bp.add_url_rule("/import", view_func=views.import_bundle, methods=["GET", "POST"])
round_bundle_bp.add_url_rule("/import/confirm", view_func=views.confirm_bundle, methods=["POST"])
round_bundle_bp.add_url_rule("/<slug>/bundle.zip", view_func=views.export_bundle, methods=["GET"])

round_import_bp = Blueprint("round_import", __name__, url_prefix="/rounds")
round_import_bp.add_url_rule("/<slug>/applications",
                             view_func=import_views.applications, methods=["GET", "POST"])
round_import_bp.add_url_rule("/<slug>/panel",
                             view_func=import_views.panellists, methods=["GET", "POST"])
round_import_bp.add_url_rule("/<slug>/applications/template.<any(csv, xlsx):file_format>",
                             view_func=import_views.applications_template, methods=["GET"])
round_import_bp.add_url_rule("/<slug>/panel/template.<any(csv, xlsx):file_format>",
                             view_func=import_views.panellists_template, methods=["GET"])
round_import_bp.add_url_rule("/<slug>/applications/confirm",
                             view_func=import_views.confirm_applications, methods=["POST"])
round_import_bp.add_url_rule("/<slug>/panel/confirm",
                             view_func=import_views.confirm_panellists, methods=["POST"])
