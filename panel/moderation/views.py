"""The moderation meeting (DESIGN.md §6):

/rounds/<slug>/meeting                  the chair's screen: the item, its outcome, move on
/rounds/<slug>/meeting/agenda           the agenda (agenda_views.py)
/rounds/<slug>/meeting/screen           the shared screen for a projector or a call
/meetings/<slug>                        a panellist follows on their phone
/meetings/<slug>/revise                 …and changes their score (revise_views.py)

The chair of the round and programme officers run the meeting and its shared screen; every
panel member follows it on their own page. Pages that follow the meeting carry a live region: with
JavaScript, static/js/live.js asks for it again with ``?since=<version>`` every second
or so and gets 204 when nothing changed (see :func:`live_page`). Without JavaScript a
reload shows the same state. Polling needs nothing but the database, so it works behind
gunicorn with any number of workers.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from panel import access
from panel.forms import ButtonForm
from panel.moderation import comments, forms, live, meeting, presenters, services
from panel.moderation.models import outcome_label
from panel.moderation.services import MeetingError
from panel.rounds.models import PanelMember, Round
from panel.transactions import change

MOVED_ON = _l("The meeting has moved on to another application, so nothing was recorded.")


# The chair ----------------------------------------------------------------------------------

@access.meeting_runner
def chair(round_: Round):
    running = meeting.meeting_of(round_)
    if not round_.in_moderation or running is None:
        # The agenda's order comes from the round's figures: made here, as the chair
        # reads this page, and shared, so that pressing Start only writes the agenda.
        size = len(meeting.shown_figures(round_).applications) if round_.in_moderation else 0
        return render_template("moderation/start.html", round=round_, meeting=running,
                               form=ButtonForm(), agenda_size=size)
    return _chair_page(round_, running)


def _chair_page(round_: Round, running, form=None, problems=(), status: int = 200):
    """The chair's page; without ``form`` the outcome form shows what is recorded."""
    def build():
        item = presenters.chair_item(round_, running)
        shown = form or forms.OutcomeForm(
            data={"outcome": item.outcome, "rationale": item.rationale}
            if item and item.outcome else {})
        return {"meeting": running, "item": item, "progress": meeting.progress(running),
                "form": shown, "problems": list(problems), "skip_form": ButtonForm(),
                "outcome_hints": forms.OUTCOME_HINTS}

    return live.live_page(round_, "moderation/chair.html", "moderation/_chair_live.html", build,
                     status)


@access.meeting_runner
def start(round_: Round):
    if not ButtonForm().validate_on_submit():
        abort(400)
    with change(MeetingError) as done:
        services.start_meeting(current_user, round_)
    if isinstance(done.error, services.StartedElsewhere):
        done.error = None  # started from another screen a moment ago: running all the same
    flash_done(done, _("The meeting has started."))
    return redirect(url_for("meeting.chair", slug=round_.slug))


@access.meeting_runner
@access.meeting_running
def outcome(round_: Round, running):
    form = forms.OutcomeForm()
    if not _still_current(running):
        flash(str(MOVED_ON), "error")
        return redirect(url_for("meeting.chair", slug=round_.slug))
    if not form.validate_on_submit():
        return _chair_page(round_, running, form, status=400)
    reference = running.current_application.reference
    with change(MeetingError) as done:
        decision = services.record_outcome(current_user, running, form.outcome.data,
                                           form.rationale.data)
        services.next_item(current_user, running)
        recorded = outcome_label(decision.outcome)
    if done.refused:
        return _chair_page(round_, running, form, [done.refusal], 409)
    flash(_("Outcome recorded for %(reference)s: %(outcome)s.", reference=reference,
            outcome=recorded), "success")
    return redirect(url_for("meeting.chair", slug=round_.slug))


@access.meeting_runner
@access.meeting_running
def skip(round_: Round, running):
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not _still_current(running):
        flash(str(MOVED_ON), "error")
        return redirect(url_for("meeting.chair", slug=round_.slug))
    reference = running.current_application.reference
    with change(MeetingError) as done:
        services.skip_item(current_user, running)
    flash_done(done, _("%(reference)s skipped for now. It is still on the agenda.",
                       reference=reference))
    return redirect(url_for("meeting.chair", slug=round_.slug))


@access.meeting_runner
@access.meeting_running
def move_on(round_: Round, running):
    """The shared screen's "next" (N): an item with an outcome gives way to the next one;
    one without is skipped for now, and stays on the agenda."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not _still_current(running):
        flash(str(MOVED_ON), "error")
        return redirect(url_for("meeting.screen", slug=round_.slug))
    decided = meeting.current_decided(running)
    with change(MeetingError) as done:
        if decided:
            services.next_item(current_user, running)
        else:
            services.skip_item(current_user, running)
    if done.refused:  # on success the screen itself shows the next item
        flash(done.refusal, "error")
    return redirect(url_for("meeting.screen", slug=round_.slug))


@access.meeting_runner
@access.meeting_running
def comment(round_: Round, running, letter: str):
    """Put a comment on the shared screen, or take it off."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    shown = request.form.get("show") == "yes"
    with change(MeetingError) as done:
        comments.show_comment(current_user, round_, running,
                              request.form.get("application", ""), letter, shown)
    flash_done(done, _("%(letter)s's comment is on the shared screen.", letter=letter) if shown
               else _("%(letter)s's comment is no longer on the shared screen.", letter=letter))
    return redirect(url_for("meeting.chair", slug=round_.slug, _anchor="comments"))


def _still_current(running) -> bool:
    """The form names the item it was filled in for; the meeting may have moved on."""
    shown = request.form.get("application", "")
    current = running.current_application
    return current is not None and shown == current.reference


def flash_done(done: change, message: str) -> None:
    """The refusal, or ``message`` when the change was made."""
    if done.refused:
        flash(done.refusal, "error")
    else:
        flash(message, "success")


# Following the meeting --------------------------------------------------------------------------

@access.meeting_runner
def screen(round_: Round):
    """What everyone may see, large enough for a projector: no names, no controls. For
    the chair (and officers) to project or share: panel members follow on their own
    screens, where a stepped-out member is told so instead of shown the item."""
    def build():
        running = meeting.meeting_of(round_)
        return {"meeting": running, "item": presenters.screen_item(round_, running),
                "progress": meeting.progress(running) if running else None}

    return live.live_page(round_, "moderation/screen.html", "moderation/_screen_live.html", build)


@access.panel_round
def follow(round_: Round, member: PanelMember):
    def build():
        running = meeting.meeting_of(round_)
        item = presenters.panellist_item(round_, running, member)
        stepped_out = isinstance(item, presenters.SteppedOutItem)
        return {"meeting": running, "item": item, "member": member,
                "mark": item.own if item and not stepped_out else None,
                "stepped_out": stepped_out,
                "can_revise": services.revise_refusal(member, running) is None}

    return live.live_page(round_, "moderation/follow.html", "moderation/_follow_live.html", build)
