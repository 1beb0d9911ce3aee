"""The moderation meeting (DESIGN.md §6):

/rounds/<slug>/meeting                  the chair's screen: the item, its outcome, move on
/rounds/<slug>/meeting/agenda           the agenda: order, take an item now, progress
/rounds/<slug>/meeting/screen           the shared screen for a projector or a call
/meetings/<slug>                        a panellist follows on their phone
/meetings/<slug>/revise                 …and changes their score, with a reason

The chair of the round and programme officers run the meeting and its shared screen; every
panel member follows it on their own page. Pages that follow the meeting carry a live region: with
JavaScript, static/js/live.js asks for it again with ``?since=<version>`` every second
or so and gets 204 when nothing changed (see :func:`live_page`). Without JavaScript a
reload shows the same state. Polling needs nothing but the database, so it works behind
gunicorn with any number of workers.
"""
from __future__ import annotations

from functools import wraps
from math import ceil

from flask import (
    Blueprint, Response, abort, flash, redirect, render_template, request, url_for,
)
from flask_login import current_user, login_required

from panel.extensions import db
from panel.moderation import forms, services, state
from panel.moderation.services import MeetingError
from panel.rounds.models import PanelMember, Round
from panel.rounds.progress import Page
from panel.rounds.queries import round_by_slug
from panel.rounds.setup_forms import ConfirmForm
from panel.scoring import queries as scoring_queries

bp = Blueprint("meeting", __name__)
AGENDA_PER_PAGE = 50
MOVED_ON = "The meeting has moved on to another application, so nothing was recorded."


def _member(round_: Round) -> PanelMember | None:
    return scoring_queries.member_of(current_user, round_)


def runs_meeting(view):
    """The round's chair, or a programme officer: ``slug`` becomes ``round_``."""

    @wraps(view)
    @login_required
    def wrapped(slug: str, *args, **kwargs):
        round_ = round_by_slug(slug) or abort(404)
        member = _member(round_)
        if not current_user.has_role("officer") and (member is None or member.role != "chair"):
            abort(404 if member is None else 403)
        return view(round_, *args, **kwargs)

    return wrapped


def in_meeting(view):
    """A change to the meeting: only in moderation, only once it has started."""

    @wraps(view)
    def wrapped(round_: Round, *args, **kwargs):
        meeting = state.meeting_of(round_)
        if round_.phase != "moderation" or meeting is None:
            flash("The meeting is not running, so nothing was changed.", "error")
            return redirect(url_for("meeting.chair", slug=round_.slug))
        return view(round_, meeting, *args, **kwargs)

    return wrapped


def live_page(round_: Round, page: str, fragment: str, build, status: int = 200):
    """The page, or with ``?since=N`` only its live region: 204 when the meeting's
    version is still N. ``build()`` makes the template's context only when it is needed.
    The version header tells live.js what it now has."""
    version = state.version(round_)
    since = request.args.get("since", type=int)
    headers = {"X-Live-Version": str(version)}
    if since is not None and since == version:
        return Response(status=204, headers=headers)
    template = fragment if since is not None else page
    return render_template(template, round=round_, version=version, **build()), status, headers


# The chair ----------------------------------------------------------------------------------

@bp.get("/rounds/<slug>/meeting")
@runs_meeting
def chair(round_: Round):
    meeting = state.meeting_of(round_)
    if round_.phase != "moderation" or meeting is None:
        return render_template("moderation/start.html", round=round_, meeting=meeting,
                               form=ConfirmForm())
    return _chair_page(round_, meeting)


def _chair_page(round_: Round, meeting, form=None, problems=(), status: int = 200):
    """The chair's page; without ``form`` the outcome form shows what is recorded."""
    def build():
        item = state.current_item(round_, meeting)
        shown = form or forms.OutcomeForm(
            data={"outcome": item.outcome, "rationale": item.rationale}
            if item and item.outcome else {})
        return {"meeting": meeting, "item": item, "progress": state.progress(meeting),
                "form": shown, "problems": list(problems), "skip_form": ConfirmForm(),
                "outcome_hints": forms.OUTCOME_HINTS}

    return live_page(round_, "moderation/chair.html", "moderation/_chair_live.html", build,
                     status)


@bp.post("/rounds/<slug>/meeting/start")
@runs_meeting
def start(round_: Round):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.start_meeting(current_user, round_)
        db.session.commit()
        flash("The meeting has started.", "success")
    except MeetingError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("meeting.chair", slug=round_.slug))


@bp.post("/rounds/<slug>/meeting/outcome")
@runs_meeting
@in_meeting
def outcome(round_: Round, meeting):
    form = forms.OutcomeForm()
    if not _still_current(meeting):
        flash(MOVED_ON, "error")
        return redirect(url_for("meeting.chair", slug=round_.slug))
    if form.validate_on_submit():
        try:
            reference = meeting.current_application.reference
            decision = services.record_outcome(current_user, meeting, form.outcome.data,
                                               form.rationale.data)
            services.next_item(current_user, meeting)
            db.session.commit()
            flash(f"Outcome recorded for {reference}: {state.OUTCOME_SHORT[decision.outcome]}.",
                  "success")
            return redirect(url_for("meeting.chair", slug=round_.slug))
        except MeetingError as error:
            db.session.rollback()
            return _chair_page(round_, meeting, form, [str(error)], 409)
    return _chair_page(round_, meeting, form, status=400)


@bp.post("/rounds/<slug>/meeting/skip")
@runs_meeting
@in_meeting
def skip(round_: Round, meeting):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if not _still_current(meeting):
        flash(MOVED_ON, "error")
        return redirect(url_for("meeting.chair", slug=round_.slug))
    try:
        reference = meeting.current_application.reference
        services.skip_item(current_user, meeting)
        db.session.commit()
        flash(f"{reference} skipped for now. It is still on the agenda.", "success")
    except MeetingError as error:
        db.session.rollback()
        flash(str(error), "error")
    return redirect(url_for("meeting.chair", slug=round_.slug))


def _still_current(meeting) -> bool:
    """The form names the item it was filled in for; the meeting may have moved on."""
    shown = request.form.get("application", "")
    current = meeting.current_application
    return current is not None and shown == current.reference


# The agenda ------------------------------------------------------------------------------------

@bp.get("/rounds/<slug>/meeting/agenda")
@runs_meeting
def agenda(round_: Round):
    meeting = state.meeting_of(round_)
    if meeting is None:
        return redirect(url_for("meeting.chair", slug=round_.slug))
    rows = state.agenda_rows(meeting)
    pages = max(ceil(len(rows) / AGENDA_PER_PAGE), 1)
    number = min(max(request.args.get("page", 1, type=int), 1), pages)
    page = Page(rows[(number - 1) * AGENDA_PER_PAGE:number * AGENDA_PER_PAGE], number, pages,
                len(rows))
    return render_template("moderation/agenda.html", round=round_, meeting=meeting, page=page,
                           progress=state.progress(meeting), outcome_short=state.OUTCOME_SHORT,
                           running=round_.phase == "moderation")


@bp.post("/rounds/<slug>/meeting/agenda/<reference>")
@runs_meeting
@in_meeting
def agenda_change(round_: Round, meeting, reference: str):
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    try:
        if action == "open":
            services.open_item(current_user, meeting, reference)
            db.session.commit()
            return redirect(url_for("meeting.chair", slug=round_.slug))
        services.move_item(current_user, meeting, reference, action)
        db.session.commit()
    except MeetingError as error:
        db.session.rollback()
        flash(str(error), "error")
    page = request.args.get("page", 1, type=int)
    return redirect(url_for("meeting.agenda", slug=round_.slug, page=page,
                            _anchor=f"item-{reference}"))


# Following the meeting --------------------------------------------------------------------------

@bp.get("/rounds/<slug>/meeting/screen")
@runs_meeting
def screen(round_: Round):
    """What everyone may see, large enough for a projector: no names, no controls. For
    the chair (and officers) to project or share: panel members follow on their own
    screens, where a stepped-out member is told so instead of shown the item."""
    def build():
        meeting = state.meeting_of(round_)
        return {"meeting": meeting, "item": state.current_item(round_, meeting),
                "progress": state.progress(meeting) if meeting else None}

    return live_page(round_, "moderation/screen.html", "moderation/_screen_live.html", build)


@bp.get("/meetings/<slug>")
@login_required
def follow(slug: str):
    round_ = round_by_slug(slug) or abort(404)
    member = _member(round_) or abort(404)

    def build():
        meeting = state.meeting_of(round_)
        item = state.current_item(round_, meeting)
        return {"meeting": meeting, "item": item, "member": member,
                "mark": item.mark_of(member.id) if item else None,
                "stepped_out": bool(item) and scoring_queries.stepped_out(
                    member.id, item.application_id),
                "can_revise": services.revise_refusal(member, meeting) is None}

    return live_page(round_, "moderation/follow.html", "moderation/_follow_live.html", build)


@bp.route("/meetings/<slug>/revise", methods=["GET", "POST"])
@login_required
def revise(slug: str):
    round_ = round_by_slug(slug) or abort(404)
    member = _member(round_) or abort(404)
    meeting = state.meeting_of(round_)
    if "since" in request.args:
        # live.js asking whether the item this page was opened for is still open.
        def build():
            current = meeting.current_application if meeting else None
            return {"current": current.reference if current else "",
                    "shown": request.args.get("item", "")}

        return live_page(round_, "moderation/_revise_live.html",
                         "moderation/_revise_live.html", build)
    refusal = services.revise_refusal(member, meeting)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("meeting.follow", slug=slug))
    application = meeting.current_application
    sheet = services.latest_sheet(member.id, application.id)
    form = forms.revision_form(round_, data=_revision_data(round_, sheet))
    problems = []
    if request.method == "POST" and request.form.get("application") != application.reference:
        flash("The chair has moved on to another application, so your score was not changed.",
              "error")
        return redirect(url_for("meeting.follow", slug=slug))
    if form.validate_on_submit():
        scores = {c.key: form[f"c_{c.key}"].data for c in round_.criteria}
        try:
            services.revise_sheet(current_user, member, meeting, form.revision.data or 0,
                                  scores, form.reason.data)
            db.session.commit()
            flash("Your new score has been saved. Your first score stays on record.", "success")
            return redirect(url_for("meeting.follow", slug=slug))
        except MeetingError as error:
            db.session.rollback()
            problems = [str(error)]
            # Show what is saved now (another device may have changed it), keep the words.
            sheet = services.latest_sheet(member.id, application.id)
            form = forms.revision_form(round_, formdata=None, data={
                **_revision_data(round_, sheet), "reason": form.reason.data})
    status = 409 if problems else 400 if form.errors else 200
    return render_template("moderation/revise.html", round=round_, form=form, problems=problems,
                           application=application, sheet=sheet, version=state.version(round_),
                           current=application.reference, shown=application.reference), status


def _revision_data(round_: Round, sheet) -> dict:
    values = services.sheet_values(sheet, round_)
    return {"revision": sheet.revision, **{f"c_{key}": value for key, value in values.items()}}
