"""Every URL of the reports pages, in one place: which view answers it and for which
methods. The views carry their own access rules (:mod:`panel.access`)."""
from __future__ import annotations

from flask import Blueprint

from panel.reports import (
    board_pack_views,
    export_views,
    leniency_views,
    panel_views,
    ranking_views,
    views,
)

voice_bp = Blueprint("voice", __name__)
voice_bp.add_url_rule("/rounds/<slug>/report", view_func=views.report, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report.csv", view_func=views.report_as_csv, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report.xlsx", view_func=views.report_as_xlsx, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report/board-pack.xlsx",
                      view_func=board_pack_views.board_pack, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report/prepare",
                      view_func=export_views.prepare_download, methods=["POST"])
voice_bp.add_url_rule("/rounds/<slug>/report/rank-model",
                      view_func=export_views.work_out_rank_model, methods=["POST"])
voice_bp.add_url_rule("/rounds/<slug>/report/for-panel",
                      view_func=panel_views.for_panel, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report/summary", view_func=views.summary, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report/summary.csv",
                      view_func=views.summary_as_csv, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report/summary/checking-kit.zip",
                      view_func=views.public_kit, methods=["GET"])
voice_bp.add_url_rule("/rounds/<slug>/report/verification-kit.zip",
                      view_func=views.verification_kit, methods=["GET"])

ranking_bp = Blueprint("ranking", __name__, url_prefix="/rounds")
ranking_bp.add_url_rule("/<slug>/ranking", view_func=ranking_views.ranking, methods=["GET"])
ranking_bp.add_url_rule("/<slug>/ranking/leniency", view_func=leniency_views.leniency,
                        methods=["GET"])
