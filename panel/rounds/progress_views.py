"""(placeholder: filled in by issue 3 work)"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("round_progress", __name__, url_prefix="/rounds")
