"""(placeholder: the officer's conflict review, issue 5)"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("conflict_review", __name__, url_prefix="/rounds")
