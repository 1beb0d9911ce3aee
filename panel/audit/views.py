"""The auditor's pages (read-only)."""
from __future__ import annotations

from flask import Blueprint, render_template

from panel.accounts.auth import role_required
from panel.audit import queries
from panel.rounds.queries import round_summaries

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@role_required("auditor")
def index():
    return render_template("audit/index.html", summaries=round_summaries(),
                           events=queries.event_count())


@bp.get("/verify")
@role_required("auditor")
def verify():
    return render_template("audit/verify.html", report=queries.verify_chain())
