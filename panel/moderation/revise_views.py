"""Revising a score during the item (DESIGN.md §6): /meetings/<slug>/revise, for a panel
member whose sheet counts on the current item."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from panel import access
from panel.moderation import forms, meeting, services
from panel.moderation.live import live_page
from panel.moderation.services import MeetingError
from panel.rounds.models import PanelMember, Round
from panel.transactions import change


@access.panel_round
def revise(round_: Round, member: PanelMember):
    running = meeting.meeting_of(round_)
    slug = round_.slug
    if "since" in request.args:
        # live.js asking whether the item this page was opened for is still open.
        def build():
            current = running.current_application if running else None
            return {"current": current.reference if current else "",
                    "shown": request.args.get("item", "")}

        return live_page(round_, "moderation/_revise_live.html",
                         "moderation/_revise_live.html", build)
    refusal = services.revise_refusal(member, running)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("meeting.follow", slug=slug))
    application = running.current_application
    sheet = services.latest_sheet(member.id, application.id)
    form = forms.revision_form(round_, data=_revision_data(round_, sheet))
    problems = []
    if request.method == "POST" and request.form.get("application") != application.reference:
        flash("The chair has moved on to another application, so your score was not changed.",
              "error")
        return redirect(url_for("meeting.follow", slug=slug))
    if form.validate_on_submit():
        scores = {c.key: form[f"c_{c.key}"].data for c in round_.criteria}
        with change(MeetingError) as done:
            services.revise_sheet(current_user, member, running, form.revision.data or 0,
                                  scores, form.reason.data)
        if not done.refused:
            flash("Your new score has been saved. Your first score stays on record.", "success")
            return redirect(url_for("meeting.follow", slug=slug))
        problems = [done.refusal]
        # Show what is saved now (another device may have changed it), keep the words.
        sheet = services.latest_sheet(member.id, application.id)
        form = forms.revision_form(round_, formdata=None, data={
            **_revision_data(round_, sheet), "reason": form.reason.data})
    status = 409 if problems else 400 if form.errors else 200
    return render_template("moderation/revise.html", round=round_, form=form, problems=problems,
                           application=application, sheet=sheet, version=meeting.version(round_),
                           current=application.reference, shown=application.reference), status


def _revision_data(round_: Round, sheet) -> dict:
    values = services.sheet_values(sheet, round_)
    return {"revision": sheet.revision, **{f"c_{key}": value for key, value in values.items()}}
