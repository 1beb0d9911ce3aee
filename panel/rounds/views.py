"""The programme officer's side of rounds."""
from __future__ import annotations

from flask import render_template

from panel import access
from panel.accounts.models import Role
from panel.rounds import queries


@access.staff(Role.OFFICER)
def index():
    return render_template("rounds/index.html", summaries=queries.round_summaries())
