"""The auditor's pages (issue 7). Read-only: every page is a GET and changes nothing,
except that downloading the trail is itself recorded (DESIGN.md §7: exports are audited).

/audit/                                          rounds, the trail's size, links
/audit/trail                                     every event, filtered, newest first
/audit/trail.csv                                 the same filters, chain order, streamed
/audit/rounds/<slug>                             a round's applications and outcomes
/audit/rounds/<slug>/applications/<reference>    one application's decision trail
/audit/verify                                    the chain and every anchor, checked now
"""
from __future__ import annotations

from datetime import date

from flask import (
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, ValidationError

from panel import access
from panel.accounts.models import Role
from panel.audit.anchors import check_anchors, round_anchor
from panel.audit.services import record
from panel.auditor import queries, trail
from panel.conflicts.models import KIND_WORDS, LEVEL_WORDS, SOURCE_WORDS, STATUS_WORDS
from panel.extensions import utcnow
from panel.forms import strip_whitespace
from panel.moderation.models import OUTCOME_LABELS
from panel.rounds.models import IDENTIFYING_FIELDS
from panel.rounds.queries import round_by_slug, round_summaries
from panel.transactions import change

WORDS = {"kinds": KIND_WORDS, "levels": LEVEL_WORDS, "sources": SOURCE_WORDS,
         "statuses": STATUS_WORDS, "outcomes": OUTCOME_LABELS}


@access.staff(Role.AUDITOR)
def index():
    return render_template("auditor/index.html", summaries=round_summaries(),
                           events=queries.event_count())


@access.staff(Role.AUDITOR)
def trail_page():
    form, filters = _filters()
    number = request.args.get("page", 1, type=int)
    page = None if form.errors else trail.trail_page(filters, number)
    filter_args = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("auditor/trail.html", form=form, filters=filters, page=page,
                           filter_args=filter_args)


@access.staff(Role.AUDITOR)
def trail_csv():
    form, filters = _filters()
    if form.errors:
        return redirect(url_for(".trail_page", **request.args.to_dict()))
    up_to = trail.head_id()
    name = f"audit-trail{'-' + filters.round.slug if filters.round else ''}-to-event-{up_to}.csv"
    with change():  # the download is on the trail before a byte of it is sent
        record("audit.exported", actor=current_user, target=filters.round,
               after={"format": "csv", "filters": filters.described(), "up_to_event": up_to})
    return Response(stream_with_context(trail.csv_chunks(filters, up_to)),
                    mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@access.staff(Role.AUDITOR)
def round_page(slug: str):
    round_ = round_by_slug(slug) or abort(404)
    return render_template("auditor/round.html", round=round_, words=WORDS,
                           applications=queries.round_applications(round_),
                           events=trail.round_event_count(round_), anchor=round_anchor(round_))


@access.staff(Role.AUDITOR)
def application_page(slug: str, reference: str):
    round_ = round_by_slug(slug) or abort(404)
    application = queries.application_in(round_, reference) or abort(404)
    return render_template(
        "auditor/application.html", round=round_, application=application, words=WORDS,
        identifying=set(IDENTIFYING_FIELDS) | set(round_.identifying_columns or []),
        decision=queries.decision_record(application),
        assignments=queries.assignment_records(application),
        conflicts=queries.conflict_records(application),
        sheets=queries.sheet_records(application),
        events=trail.application_events(application))


@access.staff(Role.AUDITOR)
def verify():
    report = queries.verify_chain()
    return render_template("auditor/verify.html", report=report, anchors=check_anchors(report),
                           checked_at=utcnow())


# The trail's filters -----------------------------------------------------------------------

class TrailFilterForm(FlaskForm):
    """Read from the query string: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    round = SelectField(_l("Round"), default="",
                        invalid_choice_message=_l("Choose a round from the list"))
    reference = StringField(
        _l("Application reference"), description=_l("Choose its round too. For example, A12."),
        filters=[strip_whitespace],
        validators=[Length(max=60, message=_l("Application references are 60 characters or "
                                              "fewer"))],
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    person = StringField(
        _l("Person"), description=_l("An e-mail address or name, or part of one: what they "
                                     "did, and what was done about their account, panel "
                                     "place, sheets and conflicts."),
        filters=[strip_whitespace],
        validators=[Length(max=254, message=_l("Enter 254 characters or fewer for the "
                                               "person"))],
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    action = SelectField(_l("Action"), default="",
                         invalid_choice_message=_l("Choose an action from the list"))
    date_from = StringField(_l("From (UTC)"), description=_l("For example, 2025-03-31."),
                            filters=[strip_whitespace], render_kw={"type": "date"})
    date_to = StringField(_l("To (UTC), included"), description=_l("For example, 2025-04-30."),
                          filters=[strip_whitespace], render_kw={"type": "date"})

    def validate_date_from(self, field) -> None:
        _date(field, _("Enter the start date as a date, for example 2025-03-31"))

    def validate_date_to(self, field) -> None:
        end = _date(field, _("Enter the end date as a date, for example 2025-04-30"))
        start = _parsed(self.date_from.data)
        if start and end and end < start:
            raise ValidationError(_("The end date must be the same as or after the start date"))


def _filters() -> tuple[TrailFilterForm, trail.TrailFilters]:
    """The form as the auditor sent it, and the filters it stands for. A value that is
    not right is reported on the form, and the trail is not shown until it is fixed."""
    rounds = queries.all_rounds()
    form = TrailFilterForm(request.args)
    form.round.choices = [SelectChoice("", _("Any round")),
                          *(SelectChoice(r.slug, r.title) for r in rounds)]
    form.action.choices = [SelectChoice("", _("Any action")), *(
        SelectChoice(value, label, optgroup=group) for value, label, group in
        trail.action_choices())]
    form.validate()
    round_ = next((r for r in rounds if r.slug == form.round.data), None)
    application = None
    if form.reference.data and not (form.reference.errors or form.round.errors):
        if round_ is None:
            form.round.errors.append(_("Choose the round that application %(reference)s "
                                       "is in", reference=form.reference.data))
        else:
            application = queries.application_in(round_, form.reference.data)
            if application is None:
                form.reference.errors.append(_("There is no application %(reference)s in "
                                               "%(round)s", reference=form.reference.data,
                                               round=round_.title))
    return form, trail.TrailFilters(
        round=round_, application=application, person=form.person.data or "",
        action=form.action.data or "", date_from=_parsed(form.date_from.data),
        date_to=_parsed(form.date_to.data))


def _date(field, message: str) -> date | None:
    if field.data and _parsed(field.data) is None:
        raise ValidationError(message)
    return _parsed(field.data)


def _parsed(text: str | None) -> date | None:
    if not text or len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
