"""Whole round bundles in the browser: import a .zip (checked and previewed before
anything is written) and download a round as a .zip (DESIGN.md §8)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

from panel import access, bundle
from panel.accounts.models import Role
from panel.bundle import uploads
from panel.bundle.forms import ConfirmForm
from panel.bundle.jobs import NEW, import_round
from panel.rounds.models import Round
from panel.transactions import change


class BundleUploadForm(FlaskForm):
    file = FileField(
        _l("Upload a round bundle"),
        description=_l("A .zip file holding round.json, applications.csv and panellists.csv, "
                       "and optionally conflicts.csv, scores.csv and decisions.csv."),
        validators=[FileRequired(_l("Choose a .zip file to upload")),
                    FileAllowed(["zip"], _l("The file must be a .zip file"))],
    )


class BundleConfirmForm(ConfirmForm):
    invite = BooleanField(_l("Email an invitation to panel members who are new to FairPanel"),
                          default=True)


@access.staff(Role.OFFICER)
def import_bundle():
    form = BundleUploadForm()
    problems = []
    if form.validate_on_submit():
        data = form.file.data.read()
        checked, problems = _check(data)
        if not problems:
            token = uploads.park("bundle", NEW, current_user.id, form.file.data.filename, data)
            return render_template("bundle/preview_bundle.html", plan=checked,
                                   filename=form.file.data.filename,
                                   confirm=BundleConfirmForm(token=token))
    return render_template("bundle/bundle.html", form=form, problems=problems)


@access.staff(Role.OFFICER)
def confirm_bundle():
    form = BundleConfirmForm()
    pending = form.validate_on_submit() and uploads.claim(
        form.token.data, "bundle", NEW, current_user.id)
    if not pending:
        flash(_("That upload has expired. Upload the file again."), "error")
        return redirect(url_for(".import_bundle"))
    _plan, problems = _check(pending.data)  # again: another round may have taken its slug
    if problems:
        return render_template("bundle/bundle.html", form=BundleUploadForm(),
                               problems=problems), 409
    with change():  # the job writes the round; its page follows it
        started = import_round.enqueue(total=None, started_by=current_user.id,
                                       token=pending.token, user_id=current_user.id,
                                       invite=form.invite.data)
    return redirect(url_for("jobs.page", job_id=started.id))


@access.officer_round()
def export_bundle(round_: Round):
    with change():  # the export is on the decision trail
        data = bundle.export_zip(round_, actor=current_user)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{round_.slug}.zip"'})


def _check(data: bytes):
    with _as_file(data) as path:
        files, problems = bundle.open_bundle(path)
    if problems:
        return None, problems
    return bundle.check_bundle(files)


class _as_file:
    """The uploaded bytes as a temporary .zip file (the bundle reader takes paths)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __enter__(self) -> Path:
        self.folder = tempfile.TemporaryDirectory(prefix="fairpanel-bundle-")
        path = Path(self.folder.name) / "bundle.zip"
        path.write_bytes(self.data)
        return path

    def __exit__(self, *exc) -> None:
        self.folder.cleanup()
