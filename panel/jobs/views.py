"""A background job's own page: how far it has got (a progress bar that a reload brings
up to date, and that static/js/progress.js keeps live), then its result, the first
problem that stopped it, or the file it made to download."""
from __future__ import annotations

from flask import Response, abort, jsonify, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from panel import access, policy
from panel.extensions import db
from panel.jobs import progress
from panel.jobs.models import DONE, FAILED, Job, JobFile
from panel.jobs.queue import label_of
from panel.rounds.models import Round


def _followed(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None or not policy.can_follow_job(current_user, job):
        abort(404)  # someone else's job: as if there were none
    return job


@access.signed_in
def page(job_id: int):
    job = _followed(job_id)
    round_ = db.session.get(Round, job.round_id) if job.round_id else None
    has_file = job.state == DONE and policy.can_download_job_file(current_user, job) and \
        db.session.scalar(select(JobFile.id).where(JobFile.job_id == job.id)) is not None
    return render_template("jobs/progress.html", job=job, label=label_of(job.kind),
                           progress=progress.of(job), round=round_, has_file=has_file)


@access.signed_in
def status(job_id: int):
    """The page's figures as JSON, for the live progress bar."""
    job = _followed(job_id)
    shown = progress.of(job)
    response = jsonify(state=job.state, finished=job.state in (DONE, FAILED),
                       stage=shown.stage, done=shown.done, total=shown.total,
                       percent=shown.percent, page=url_for(".page", job_id=job.id))
    response.headers["Cache-Control"] = "no-store"
    return response


@access.signed_in
def download(job_id: int):
    job = _followed(job_id)
    if job.state != DONE or not policy.can_download_job_file(current_user, job):
        abort(404)
    kept = db.session.scalar(select(JobFile).where(JobFile.job_id == job.id)) or abort(404)
    return Response(kept.data, mimetype=kept.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{kept.filename}"',
        "Cache-Control": "no-store"})
