"""The panellist's scoring pages, one thing per screen (DESIGN.md §3–§5, §9):

/my-rounds/<slug>                          their applications in a round
/my-rounds/<slug>/<ref>                    where this application stands for them
  …/connection, …/connection/kind          "Do you have any connection to this project?"
  …/application                            the application, blind
  …/question/<n>, …/comment, …/check       the rubric, a comment, then check and submit
  …/pass                                   pass on it, no reason asked
  …/save                                   JSON: background save by static/js/scoring.js
/rounds/<slug>/assisted/<member_id>/<ref>  an officer enters a sheet for a panellist

Every route loads the member's own assignment through :func:`member_assignment` (404
otherwise) and shows the application only through :mod:`panel.scoring.blind`.
"""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from panel import access, policy
from panel.extensions import db
from panel.rounds.models import Assignment, PanelMember, Round
from panel.scoring import forms, queries, services
from panel.scoring.blind import blind_view, summary_view
from panel.scoring.services import STALE_MESSAGE, ScoringError, StaleSheet
from panel.transactions import change


@access.panel_round
def applications(round_: Round, member: PanelMember):
    progress = queries.progress(member) if round_.scoring_open else None
    return render_template("scoring/applications.html", round=round_, progress=progress)


@access.member_assignment
def overview(assignment: Assignment):
    if not services.refusal(assignment):
        endpoint = ("scoring.application" if assignment.connection_answer == "none"
                    else "scoring.connection")
        return redirect(_url(endpoint, assignment))
    sheet = queries.initial_sheet(assignment.member_id, assignment.application_id)
    status = queries.status_of(assignment)
    # Offer the next application straight away (after a connection, a pass or scores sent)
    following = (queries.progress(assignment.member).next_item
                 if assignment.application.round.scoring_open else None)
    return render_template("scoring/status.html", **_page(assignment), status=status,
                           answers=_answers(assignment, sheet), sheet=sheet,
                           following=following)


@access.member_assignment
def connection(assignment: Assignment):
    if services.refusal(assignment):
        return redirect(_url("scoring.overview", assignment))
    form = forms.ConnectionForm(data={"answer": assignment.connection_answer})
    if form.validate_on_submit():
        if form.answer.data == "connected":
            return redirect(_url("scoring.connection_kind", assignment))
        with change():
            services.answer_no_connection(current_user, assignment)
        return redirect(_url("scoring.application", assignment))
    return render_template("scoring/connection.html", form=form,
                           **_page(assignment, blind=False))


@access.member_assignment
def connection_kind(assignment: Assignment):
    if services.refusal(assignment):
        return redirect(_url("scoring.overview", assignment))
    form = forms.ConnectionKindForm()
    if form.validate_on_submit():
        # Each message is worded before the change: after its commit, finding the reader's
        # language would load the signed-in person again.
        thanks = _("Thank you for telling us about your connection. It helps keep the panel "
                   "fair.")
        with change():
            services.declare_connection(current_user, assignment, form.kind.data,
                                        form.note.data)
        flash(thanks, "success")
        return redirect(_url("scoring.overview", assignment))
    return render_template("scoring/connection_kind.html", form=form,
                           **_page(assignment, blind=False))


@access.member_assignment
@access.may_score
def application(assignment: Assignment, standing: queries.Standing):
    return render_template("scoring/application.html", **_page(assignment))


@access.member_assignment
@access.may_score
def question(assignment: Assignment, number: int, standing: queries.Standing):
    round_ = assignment.application.round
    queries.with_answers(round_, standing.sheet)
    if not 1 <= number <= len(round_.criteria):
        abort(404)
    criterion = round_.criteria[number - 1]
    sheet = standing.sheet
    form = forms.score_form(round_, criterion, data=_form_data(sheet, criterion.key))
    problems = []
    if form.validate_on_submit():
        with change(ScoringError) as done:
            services.save_sheet(current_user, assignment, form.version.data or 0,
                                scores={criterion.key: form.score.data})
        if not done.refused:
            if _from_check():
                return redirect(_url("scoring.check", assignment))
            if number < len(round_.criteria):
                return redirect(_url("scoring.question", assignment, number=number + 1))
            return redirect(_url("scoring.comment", assignment))
        form, problems = _after_refusal(done, lambda data: forms.score_form(
            round_, criterion, formdata=None, data=data), assignment, criterion.key)
    return render_template("scoring/question.html", form=form, problems=problems,
                           criterion=criterion, number=number, total=len(round_.criteria),
                           from_check=_from_check(), **_page(assignment)), \
        409 if problems else 200


@access.member_assignment
@access.may_score
def comment(assignment: Assignment, standing: queries.Standing):
    sheet = standing.sheet
    form = forms.CommentForm(data=_form_data(sheet))
    problems = []
    if form.validate_on_submit():
        with change(ScoringError) as done:
            services.save_sheet(current_user, assignment, form.version.data or 0,
                                comment=form.comment.data, for_chair=form.for_chair.data)
        if not done.refused:
            return redirect(_url("scoring.check", assignment))
        form, problems = _after_refusal(done, lambda data: forms.CommentForm(
            formdata=None, data=data), assignment)
    return render_template("scoring/comment.html", form=form, problems=problems,
                           **_page(assignment)), 409 if problems else 200


@access.member_assignment
@access.may_score
def check(assignment: Assignment, standing: queries.Standing):
    sheet = standing.sheet
    form = forms.VersionForm(data=_form_data(sheet))
    problems = []
    if form.validate_on_submit():
        thanks = _("Your scores have been sent. Thank you!")
        with change(ScoringError) as done:
            services.submit_sheet(current_user, assignment, form.version.data or 0)
        if not done.refused:
            flash(thanks, "success")
            return redirect(url_for("scoring.applications", slug=_slug(assignment)))
        form, problems = _after_refusal(done, lambda data: forms.VersionForm(
            formdata=None, data=data), assignment)
        sheet = queries.initial_sheet(assignment.member_id, assignment.application_id)
    return render_template("scoring/check.html", form=form, problems=problems,
                           answers=_answers(assignment, sheet), sheet=sheet,
                           **_page(assignment)), 409 if problems else 200


@access.member_assignment
def pass_on(assignment: Assignment):
    if services.refusal(assignment):
        return redirect(_url("scoring.overview", assignment))
    form = forms.PassForm()
    if form.validate_on_submit():
        fine = _("You have passed on this application. That is fine.")
        with change():
            services.pass_on(current_user, assignment)
        flash(fine, "success")
        return redirect(_url("scoring.overview", assignment))
    return render_template("scoring/pass.html", form=form, **_page(assignment, blind=False))


@access.member_assignment
def save(assignment: Assignment):
    """Background save from static/js/scoring.js: ``{version, scores: {key: "3"}, comment}``.
    Answers only with the sheet's own answers and version, never the application."""
    # The words first: choosing the language reads the signed-in person, which after the
    # commit would cost a statement (and a transaction) of its own.
    saved_message = _("Saved")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("scores", {}), dict):
        return jsonify(saved=False, message=_("Something went wrong. Try again.")), 400
    if assignment.connection_answer != "none":
        return jsonify(saved=False,
                       message=_("Answer the question about connections first.")), 409
    with change(TypeError, ValueError) as done:
        version = int(body.get("version") or 0)
        comment, for_chair = body.get("comment"), body.get("for_chair")
        sheet = services.save_sheet(current_user, assignment, version,
                                    scores={str(k): str(v) for k, v in
                                            body.get("scores", {}).items()},
                                    comment=comment if isinstance(comment, str) else None,
                                    for_chair=for_chair if isinstance(for_chair, bool) else None)
        version = sheet.version  # read before the commit expires it: no second query
    if not done.refused:
        return jsonify(saved=True, version=version, message=saved_message)
    sheet = queries.initial_sheet(assignment.member_id, assignment.application_id)
    stale = isinstance(done.error, StaleSheet)
    return jsonify(saved=False, stale=stale,
                   message=str(STALE_MESSAGE) if stale else done.refusal
                   if isinstance(done.error, ScoringError)
                   else _("Something went wrong. Try again."),
                   version=sheet.version if sheet else 0,
                   scores=services.sheet_answers(sheet),
                   comment=sheet.comment if sheet else ""), 409


@access.officer_round(*policy.SCORING)
def assisted(round_, member_id: int, reference: str):
    """An officer types in a sheet for a panellist (paper or phone scoring)."""
    member = db.session.get(PanelMember, member_id)
    if member is None or member.round_id != round_.id:
        abort(404)
    assignment = queries.assignment_for(member, reference) or abort(404)
    sheet = queries.initial_sheet(member.id, assignment.application_id)
    answers = services.sheet_answers(sheet)
    form = forms.assisted_form(round_, data={
        **{f"c_{key}": value for key, value in answers.items()},
        "comment": sheet.comment if sheet else "", "version": sheet.version if sheet else 0})
    problems = []
    refusal = services.refusal(assignment)
    if not refusal and form.validate_on_submit():
        scores = {c.key: form[f"c_{c.key}"].data for c in round_.criteria
                  if form[f"c_{c.key}"].data}
        with change(ScoringError) as done:
            sheet = services.save_sheet(current_user, assignment, form.version.data or 0,
                                        scores=scores, comment=form.comment.data, assisted=True)
            if form.action.data == "submit":
                services.submit_sheet(current_user, assignment, sheet.version)
        if not done.refused:
            flash(_("Sheet sent for %(name)s.", name=member.user.name)
                  if form.action.data == "submit"
                  else _("Sheet saved for %(name)s.", name=member.user.name), "success")
            return redirect(request.path)
        problems = [done.refusal]
    return render_template("scoring/assisted.html", form=form, problems=problems, round=round_,
                           member=member, assignment=assignment, sheet=sheet, refusal=refusal,
                           application=blind_view(assignment.application))


def _page(assignment: Assignment, blind: bool = True) -> dict:
    """What every page about one application needs; the full (blind) view only where the
    member may read the application."""
    page = {"assignment": assignment, "round": assignment.application.round,
            "summary": summary_view(assignment.application)}
    if blind:
        page["application"] = blind_view(assignment.application)
    return page


def _url(endpoint: str, assignment: Assignment, **values) -> str:
    return url_for(endpoint, slug=_slug(assignment),
                   reference=assignment.application.reference, **values)


def _slug(assignment: Assignment) -> str:
    return assignment.application.round.slug


def _form_data(sheet, key: str | None = None) -> dict:
    data = {"version": sheet.version if sheet else 0, "comment": sheet.comment if sheet else "",
            "for_chair": bool(sheet and sheet.comment_for_chair)}
    if key is not None:
        data["score"] = services.sheet_answers(sheet).get(key)
    return data


def _after_refusal(done: change, make_form, assignment: Assignment, key: str | None = None):
    """Nothing was changed: show what is saved now, and why."""
    sheet = queries.initial_sheet(assignment.member_id, assignment.application_id)
    return make_form(_form_data(sheet, key)), [done.refusal]


def _answers(assignment: Assignment, sheet) -> list[tuple[int, object, str]]:
    """(question number, criterion, the answer in the words the panellist chose) for the
    check and locked pages: "Real benefit for people who need it – 4 of 5"."""
    saved = services.sheet_answers(sheet)
    round_ = assignment.application.round
    return [(n, c, _in_words(round_, c, saved.get(c.key)))
            for n, c in enumerate(round_.criteria, start=1)]


def _in_words(round_, criterion, answer: str | None) -> str:
    if answer is None:
        return _("Not answered yet")
    if answer == forms.UNABLE:
        return str(forms.UNABLE_LABEL)
    return forms.in_words(round_, criterion, int(answer))


def _from_check() -> bool:
    """Whether the panellist came from "Check your answers" to change one answer: saving
    then takes them back there."""
    return request.args.get("from") == "check"
