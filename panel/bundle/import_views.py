"""Importing applications and panellists in the browser: upload, preview, confirm.

Nothing is written until the officer confirms the preview. The confirmation checks the
file again, because the round may have changed in between (DESIGN.md §8), then hands the
writing to a background job (:mod:`panel.bundle.jobs`) whose page follows it."""
from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from panel import access, policy
from panel.accounts.models import User
from panel.bundle import uploads
from panel.bundle.checks import AMOUNTS_ACCEPTED, allowed_group_values
from panel.bundle.forms import ConfirmForm, UploadForm
from panel.bundle.jobs import check_rows, import_rows
from panel.bundle.spec import RoundPlan
from panel.bundle.template_files import XLSX, template_csv, template_xlsx
from panel.extensions import db
from panel.rounds.columns import SHOWN_STANDARD, ColumnVisibility, visibility
from panel.rounds.models import IDENTIFYING_FIELDS, Round
from panel.transactions import change

# Each kind's words on the upload page, whole sentences so a translation can put them
# in its own order (the column names stay as the file must spell them).
KINDS = {
    "applications": {
        "label": "applications.csv",
        "template": "applications",
        "endpoint": "applications_template",
        "heading": _l("Add applications from a file"),
        "columns": _l("The file needs these columns: reference, title, lay_summary, "
                      "requested_amount, applicant_name, organisation, contact_email, and "
                      "optionally title_cy and lay_summary_cy (the title and lay summary in "
                      "Welsh)."),
        "xlsx": _l("Download the applications template (Excel, .xlsx)"),
        "csv": _l("Download the applications template (CSV)"),
        "not_in_draft": _l("Applications can only be added while the round is in draft. "
                           "This round is in %(phase)s."),
    },
    "panellists": {
        "label": "panellists.csv",
        "template": "panel",
        "endpoint": "panellists_template",
        "heading": _l("Add panellists from a file"),
        "columns": _l("The file needs these columns: email, name, group, role (panellist or "
                      "chair), and optionally affiliations and language (en for English, cy "
                      "for Cymraeg)."),
        "xlsx": _l("Download the panellists template (Excel, .xlsx)"),
        "csv": _l("Download the panellists template (CSV)"),
        "not_in_draft": _l("Panellists can only be added while the round is in draft. "
                           "This round is in %(phase)s."),
    },
}


@access.officer_round()
def applications(round_: Round):
    return _upload_page(round_, "applications")


@access.officer_round()
def panellists(round_: Round):
    return _upload_page(round_, "panellists")


@access.officer_round()
def applications_template(round_: Round, file_format: str):
    return _template(round_, "applications", file_format)


@access.officer_round()
def panellists_template(round_: Round, file_format: str):
    return _template(round_, "panellists", file_format)


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
        rows, problems = check_rows(round_, kind, data, upload.filename)
        if not problems:
            token = uploads.park(kind, round_.slug, current_user.id, upload.filename, data)
            return render_template(f"bundle/preview_{kind}.html", round=round_,
                                   rows=rows, confirm=ConfirmForm(token=token),
                                   filename=upload.filename, known=_known_emails(rows),
                                   columns=_visibility(round_, kind, rows),
                                   shown_standard=SHOWN_STANDARD,
                                   group_labels={g.key: g.label for g in round_.groups},
                                   always_hidden=IDENTIFYING_FIELDS)
    return _form_page(round_, kind, form, problems)


def _form_page(round_: Round, kind: str, form: UploadForm, problems: list):
    return render_template(f"bundle/{kind}.html", round=round_, form=form,
                           problems=problems, kind=KINDS[kind], hints=_hints(round_, kind))


EXTRA_COLUMNS_HIDDEN = _l("Any other columns are kept but hidden from panellists, as they "
                          "might say who applied, until you mark them safe to show under Blind "
                          "review.")


def _hints(round_: Round, kind: str) -> list[str]:
    """What the cells may hold, said before the officer uploads."""
    if kind == "applications":
        return [AMOUNTS_ACCEPTED, EXTRA_COLUMNS_HIDDEN]
    plan = RoundPlan(group_keys=[g.key for g in round_.groups],
                     group_labels={g.key: g.label for g in round_.groups})
    groups = allowed_group_values(plan)
    if not groups:
        return [_("Write each person's group as its name or its key: add the groups first. "
                  "Capitals do not matter. A chair may have no group.")]
    return [_("Write each person's group as its name or its key: %(groups)s. Capitals do not "
              "matter. A chair may have no group.", groups=groups)]


def _template(round_: Round, kind: str, file_format: str) -> Response:
    """A template file to fill in: headings and one example row (nothing is recorded:
    it holds nothing of the round but its group labels)."""
    name = f"{KINDS[kind]['template']}-template.{file_format}"
    if file_format == "csv":
        body, mimetype = template_csv(kind, round_), "text/csv; charset=utf-8"
    else:
        body, mimetype = template_xlsx(kind, round_), XLSX
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def _confirm(round_: Round, kind: str):
    form = ConfirmForm()
    pending = form.validate_on_submit() and uploads.claim(
        form.token.data, kind, round_.slug, current_user.id)
    if not pending:
        flash(_("That upload has expired. Upload the file again."), "error")
        return redirect(url_for(f".{kind}", slug=round_.slug))
    rows, problems = check_rows(round_, kind, pending.data, pending.filename)
    if problems:
        return _form_page(round_, kind, UploadForm(), problems), 409
    with change():  # the job writes the rows; its page follows it
        started = import_rows.enqueue(round_id=round_.id, total=len(rows),
                                      started_by=current_user.id, token=pending.token,
                                      table=kind, slug=round_.slug, user_id=current_user.id)
    return redirect(url_for("jobs.page", job_id=started.id))


def _visibility(round_: Round, kind: str, rows: list[dict]) -> ColumnVisibility | None:
    """Which extra columns of the file panellists will see (every row has the same)."""
    if kind != "applications" or not rows:
        return None
    return visibility(round_, rows[0].get("extra", {}))


def _known_emails(rows: list[dict]) -> set[str]:
    emails = [row["email"] for row in rows if "email" in row]
    if not emails:
        return set()
    return set(db.session.scalars(select(User.email).where(User.email.in_(emails))))

