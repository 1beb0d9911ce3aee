"""The programme officer's side of rounds."""
from __future__ import annotations

from flask import Blueprint, render_template

from panel.accounts.auth import role_required
from panel.rounds import queries

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


@bp.get("/")
@role_required("officer")
def index():
    return render_template("rounds/index.html", summaries=queries.round_summaries())
