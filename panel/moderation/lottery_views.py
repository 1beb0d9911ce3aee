"""The draw near the funding line (DESIGN.md §3a; panel/moderation/lottery.py):

/rounds/<slug>/draw/prepare     the officer prepares the draw (the server's commitment)
/rounds/<slug>/meeting/draw     the chair draws, with a public input typed in the room

Each page says, in plain words, why it cannot be used now (not the rule lottery, not in
moderation, not prepared yet, drawn already); a refused form shows the reason and
changes nothing."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from panel import access
from panel.forms import ButtonForm
from panel.moderation import lottery
from panel.moderation.forms import DrawForm
from panel.moderation.lottery import LotteryError
from panel.moderation.meeting import shown_figures
from panel.rounds.models import Round
from panel.scoring.rank_intervals import rank_intervals
from panel.transactions import change


@access.officer_round()
def prepare_draw(round_: Round):
    form = ButtonForm()
    if request.method == "POST" and form.validate_on_submit():
        with change(LotteryError) as done:
            lottery.prepare_draw(current_user, round_)
        if not done.refused:
            flash(_("The draw is prepared. The chair draws in the meeting, with a public "
                    "input the room chooses."), "success")
            return redirect(url_for("meeting.prepare_draw", slug=round_.slug))
        return _prepare_page(round_, form, [done.refusal], 400)
    return _prepare_page(round_, form, [], 400 if request.method == "POST" else 200)


def _prepare_page(round_: Round, form, problems, status: int):
    return render_template("moderation/prepare_draw.html", round=round_, form=form,
                           problems=problems, plan=lottery.plan(round_),
                           lottery=lottery.lottery_of(round_)), status


@access.meeting_runner
def draw(round_: Round):
    form = DrawForm()
    if request.method == "POST" and form.validate_on_submit():
        with change(LotteryError) as done:
            lottery.draw(current_user, round_, form.public_input.data or "")
        if not done.refused:
            flash(_("The lots are drawn. The order below is the one that counts."), "success")
            return redirect(url_for("meeting.draw", slug=round_.slug))
        return _draw_page(round_, form, [done.refusal], 400)
    return _draw_page(round_, form, [], 400 if request.method == "POST" else 200)


def _draw_page(round_: Round, form, problems, status: int):
    found = shown_figures(round_)
    titles = found.applications.set_index("reference")["title"].to_dict()
    return render_template("moderation/draw.html", round=round_, form=form, problems=problems,
                           refusals=lottery.drawing_refusals(round_),
                           result=lottery.result(round_),
                           intervals=rank_intervals(round_, titles, found)), status
