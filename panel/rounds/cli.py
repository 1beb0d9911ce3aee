"""``flask round``: round bundles and reports from the command line (DESIGN.md §8)."""
from __future__ import annotations

from flask.cli import AppGroup

group = AppGroup("round", help="Round bundles and reports.")
