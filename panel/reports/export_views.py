"""/rounds/<slug>/report/prepare (POST): a large round's download made by a background job
(:mod:`panel.reports.exports`); the person then follows it on the job's page."""
from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from panel import access
from panel.forms import ButtonForm
from panel.reports.exports import EXPORTS, prepare
from panel.reports.views import reads_every_figure
from panel.rounds.models import Round
from panel.transactions import change


@access.report_reader
def prepare_download(round_: Round):
    what = request.form.get("what", "")
    if not ButtonForm().validate_on_submit() or what not in EXPORTS:
        abort(400)
    with change():
        started = prepare.enqueue(round_id=round_.id, started_by=current_user.id,
                                  slug=round_.slug, what=what, user_id=current_user.id,
                                  full=reads_every_figure(current_user))
    return redirect(url_for("jobs.page", job_id=started.id))
