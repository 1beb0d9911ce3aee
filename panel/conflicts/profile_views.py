"""(placeholder: the panellist's connections profile, issue 5)"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("profile", __name__)
