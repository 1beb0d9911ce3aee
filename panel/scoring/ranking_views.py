"""(placeholder: the officer's ranking page, issue 4)"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("ranking", __name__, url_prefix="/rounds")
