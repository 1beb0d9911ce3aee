"""(placeholder: the panellist's scoring pages, issue 4)"""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("scoring", __name__)
