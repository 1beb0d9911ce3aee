"""Every question on one page, for panellists on a laptop (issue 20):

/my-rounds/<slug>/<ref>/all    each criterion as a group of radios, the comment, then
                               "Send my scores" (or "Save as a draft")

The one-question-per-screen flow stays the default (it suits a phone). Opening this page
remembers the choice on that device (a cookie, no account setting: the same person may
score on a laptop at work and a phone at home); "Answer one question at a time" forgets
it. static/js/sheet.js lets number keys choose a level and move to the next question.
"""
from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from panel import access
from panel.rounds.models import Assignment
from panel.scoring import forms, queries, services
from panel.scoring.blind import blind_view, summary_view
from panel.scoring.services import ScoringError
from panel.transactions import change

LAYOUT_COOKIE = "fp_scoring_layout"
ONE_PAGE = "one_page"
YEAR = 365 * 24 * 3600


def one_page_chosen() -> bool:
    """Whether this device chose every question on one page."""
    return request.cookies.get(LAYOUT_COOKIE) == ONE_PAGE


def remember(response, one_page: bool):
    """Set (or forget) the device's choice of layout on ``response``."""
    if one_page:
        response.set_cookie(LAYOUT_COOKIE, ONE_PAGE, max_age=YEAR, httponly=True,
                            samesite="Lax", secure=request.is_secure)
    else:
        response.delete_cookie(LAYOUT_COOKIE)
    return response


@access.member_assignment
@access.may_score
def whole_sheet(assignment: Assignment, standing: queries.Standing):
    round_ = assignment.application.round
    reference = assignment.application.reference
    if request.args.get("layout") == "questions":  # "Answer one question at a time"
        return remember(redirect(url_for("scoring.question", slug=round_.slug,
                                         reference=reference, number=1)), one_page=False)
    sheet = standing.sheet
    answers = services.sheet_answers(sheet)
    form = forms.sheet_form(round_, data={
        **{f"c_{key}": value for key, value in answers.items()},
        "comment": sheet.comment if sheet else "",
        "for_chair": bool(sheet and sheet.comment_for_chair),
        "version": sheet.version if sheet else 0})
    problems: list[str] = []
    unanswered = False
    if form.validate_on_submit():
        sending = form.action.data != "save"
        missing = [c for c in round_.criteria if not form[f"c_{c.key}"].data]
        if sending and missing:  # nothing saved: say what to answer
            unanswered = True
            for criterion in missing:
                form[f"c_{criterion.key}"].errors = [
                    _("Choose a score for %(question)s, or choose \"%(unable)s\"",
                      question=criterion.name, unable=forms.UNABLE_LABEL)]
        else:
            scores = {c.key: form[f"c_{c.key}"].data for c in round_.criteria
                      if form[f"c_{c.key}"].data}
            # Worded before the commit, after which the reader's language costs a query.
            sent = _("Your scores have been sent. Thank you!")
            kept = _("Your answers are saved. You can come back to them.")
            with change(ScoringError) as done:
                sheet = services.save_sheet(current_user, assignment,
                                            form.version.data or 0, scores=scores,
                                            comment=form.comment.data,
                                            for_chair=form.for_chair.data)
                if sending:
                    services.submit_sheet(current_user, assignment, sheet.version)
            if not done.refused:
                if sending:
                    flash(sent, "success")
                    return redirect(url_for("scoring.overview", slug=round_.slug,
                                            reference=reference))
                flash(kept, "success")
                return redirect(request.path)
            problems = [done.refusal]
    response = make_response(render_template(
        "scoring/sheet.html", form=form, problems=problems,
        assignment=assignment, round=round_, summary=summary_view(assignment.application),
        application=blind_view(assignment.application)),
        409 if problems or unanswered else 200)
    return remember(response, one_page=True)

