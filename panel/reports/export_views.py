"""Work handed to a background job, which the person then follows on the job's page:

/rounds/<slug>/report/prepare (POST)      a large round's download (:mod:`panel.reports.exports`)
/rounds/<slug>/report/rank-model (POST)   how sure the ranking is (:mod:`panel.reports.rank_model_jobs`)
"""
from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user

from panel import access
from panel.forms import ButtonForm
from panel.reports import rank_model_jobs
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


@access.officer_round()
def work_out_rank_model(round_: Round):
    """Queue the model of how sure the ranking is (a job; a waiting one is reused) and
    follow it on its page: offered where the grey zone is needed and not yet known."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    with change():
        queued = rank_model_jobs.request(round_, started_by=current_user.id)
    return redirect(url_for("jobs.page", job_id=queued.id))
