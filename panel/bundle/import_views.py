"""Importing applications and panellists in the browser: upload, preview, confirm.

Nothing is written until the officer confirms the preview; the confirmation checks the
file again, because the round may have changed in between (DESIGN.md §8)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from panel import access, bundle, policy
from panel.accounts.models import User
from panel.bundle import uploads
from panel.bundle.forms import ConfirmForm, UploadForm
from panel.conflicts import suggestions
from panel.extensions import db
from panel.rounds.models import Round
from panel.transactions import change

KINDS = {
    "applications": {
        "label": "applications.csv",
        "check": bundle.check_applications,
        "columns": "reference, title, lay_summary, requested_amount, applicant_name, "
                   "organisation, contact_email",
    },
    "panellists": {
        "label": "panellists.csv",
        "check": bundle.check_panellists,
        "columns": "email, name, group, role (panellist or chair), and optionally affiliations",
    },
}


@access.officer_round()
def applications(round_: Round):
    return _upload_page(round_, "applications")


@access.officer_round()
def panellists(round_: Round):
    return _upload_page(round_, "panellists")


@access.officer_round(*policy.SETTING_UP)
def confirm_applications(round_: Round):
    return _confirm(round_, "applications")


@access.officer_round(*policy.SETTING_UP)
def confirm_panellists(round_: Round):
    return _confirm(round_, "panellists")


def _upload_page(round_: Round, kind: str):
    form = UploadForm()
    problems = []
    if round_.in_setup and form.validate_on_submit():
        upload = form.file.data
        data = upload.read()
        rows, problems = _check(round_, kind, data, upload.filename)
        if not problems:
            token = uploads.park(kind, round_.slug, current_user.id, upload.filename, data)
            return render_template(f"bundle/preview_{kind}.html", round=round_,
                                   rows=rows, confirm=ConfirmForm(token=token),
                                   filename=upload.filename, known=_known_emails(rows))
    return render_template(f"bundle/{kind}.html", round=round_, form=form,
                           problems=problems, kind=KINDS[kind])


def _confirm(round_: Round, kind: str):
    form = ConfirmForm()
    pending = form.validate_on_submit() and uploads.claim(
        form.token.data, kind, round_.slug, current_user.id)
    if not pending:
        flash("That upload has expired. Upload the file again.", "error")
        return redirect(url_for(f".{kind}", slug=round_.slug))
    rows, problems = _check(round_, kind, pending.data, pending.filename)
    if problems:
        form = UploadForm()
        return render_template(f"bundle/{kind}.html", round=round_, form=form,
                               problems=problems, kind=KINDS[kind]), 409
    with change():
        if kind == "applications":
            added = bundle.add_applications(current_user, round_, rows)
            message = f"{len(added)} applications added from {pending.filename}."
        else:
            added = bundle.add_panellists(current_user, round_, rows, invite=True)
            message = (f"{len(added)} people added to the panel. New accounts have been "
                       "invited by email.")
        suggestions.refresh_for_round(round_)  # match connections against the new rows
        uploads.discard(pending.token)  # with the import: used once
    flash(message, "success")
    return redirect(url_for(f".{kind}", slug=round_.slug))


def _known_emails(rows: list[dict]) -> set[str]:
    emails = [row["email"] for row in rows if "email" in row]
    if not emails:
        return set()
    return set(db.session.scalars(select(User.email).where(User.email.in_(emails))))


def _check(round_: Round, kind: str, data: bytes, filename: str):
    label = KINDS[kind]["label"]
    table, problems = bundle.read_table(data, filename, label=label)
    if problems:
        return [], problems
    return KINDS[kind]["check"](table, round_, file=label)
