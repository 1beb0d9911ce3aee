"""Whole round bundles in the browser: import a .zip (checked and previewed before
anything is written) and download a round as a .zip (DESIGN.md §8)."""
from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField

from panel.accounts.auth import role_required
from panel.extensions import db
from panel.rounds import bundle, uploads
from panel.rounds.access import officer_round
from panel.rounds.import_forms import ConfirmForm
from panel.rounds.models import Round

bp = Blueprint("round_bundle", __name__, url_prefix="/rounds")
NEW = "(new round)"


class BundleUploadForm(FlaskForm):
    file = FileField(
        "Upload a round bundle",
        description="A .zip file holding round.json, applications.csv and panellists.csv, "
                    "and optionally conflicts.csv, scores.csv and decisions.csv.",
        validators=[FileRequired("Choose a .zip file to upload"),
                    FileAllowed(["zip"], "The file must be a .zip file")],
    )


class BundleConfirmForm(ConfirmForm):
    invite = BooleanField("Email an invitation to panel members who are new to FairPanel",
                          default=True)


@bp.route("/import", methods=["GET", "POST"])
@role_required("officer")
def import_bundle():
    form = BundleUploadForm()
    problems = []
    if form.validate_on_submit():
        data = form.file.data.read()
        checked, problems = _check(data)
        if not problems:
            token = uploads.park("bundle", NEW, current_user.id, form.file.data.filename, data)
            return render_template("rounds/imports/preview_bundle.html", plan=checked,
                                   filename=form.file.data.filename,
                                   confirm=BundleConfirmForm(token=token))
    return render_template("rounds/imports/bundle.html", form=form, problems=problems)


@bp.post("/import/confirm")
@role_required("officer")
def confirm_bundle():
    form = BundleConfirmForm()
    pending = form.validate_on_submit() and uploads.claim(
        form.token.data, "bundle", NEW, current_user.id)
    if not pending:
        flash("That upload has expired. Upload the file again.", "error")
        return redirect(url_for(".import_bundle"))
    try:
        with _as_file(pending.data) as path:
            round_ = bundle.import_bundle(current_user, path, invite=form.invite.data)
    except bundle.BundleError as error:
        db.session.rollback()
        return render_template("rounds/imports/bundle.html", form=BundleUploadForm(),
                               problems=error.problems), 409
    db.session.commit()
    uploads.discard(pending.token)
    flash(f"{round_.title} imported from {pending.filename}.", "success")
    return redirect(url_for("round_progress.dashboard", slug=round_.slug))


@bp.get("/<slug>/bundle.zip")
@officer_round()
def export_bundle(round_: Round):
    data = bundle.export_zip(round_, actor=current_user)
    db.session.commit()  # the export is on the decision trail
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
