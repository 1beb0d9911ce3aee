"""The agenda (DESIGN.md §6): /rounds/<slug>/meeting/agenda, for the chair and officers:
the order, taking an item now, moving items, progress."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from panel import access
from panel.forms import ButtonForm
from panel.moderation import agenda_page, meeting, services
from panel.moderation.models import outcome_label
from panel.moderation.services import MeetingError
from panel.rounds.models import Round
from panel.transactions import change


@access.meeting_runner
def agenda(round_: Round):
    running = meeting.meeting_of(round_)
    if running is None:
        return redirect(url_for("meeting.chair", slug=round_.slug))
    shown = agenda_page.agenda_page(running, request.args.get("show", "all"),
                                    request.args.get("page", 1, type=int))
    return render_template("moderation/agenda.html", round=round_, meeting=running,
                           agenda=shown, page=shown.page, progress=shown.progress,
                           outcome_label=outcome_label, running=round_.in_moderation)


@access.meeting_runner
@access.meeting_running
def agenda_change(round_: Round, running, reference: str):
    if not ButtonForm().validate_on_submit():
        abort(400)
    action = request.form.get("action", "")
    with change(MeetingError) as done:
        if action == "open":
            services.open_item(current_user, running, reference)
        else:
            services.move_item(current_user, running, reference, action)
    if action == "open" and not done.refused:
        return redirect(url_for("meeting.chair", slug=round_.slug))
    if done.refused:
        flash(done.refusal, "error")
    # Back to the row moved, on the page where it sits now.
    show = request.args.get("show", "all")
    page = (agenda_page.page_holding(running, reference, show)
            or request.args.get("page", 1, type=int))
    return redirect(url_for("meeting.agenda", slug=round_.slug, page=page,
                            show=show if show != "all" else None,
                            _anchor=f"item-{reference}"))
