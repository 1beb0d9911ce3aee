"""The community-voice report of a round (issue 7). Placeholder: being built."""
from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("voice", __name__)


@bp.get("/rounds/<slug>/report")
def report(slug: str):
    abort(404)
