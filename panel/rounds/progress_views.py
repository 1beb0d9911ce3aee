"""The officer's pages for running a round: the dashboard and reminders, the round's
background work (jobs, e-mails not delivered), who reviews what, and moving the round
between phases. Handlers are thin: load, validate, call a
service, commit once, redirect with a confirmation."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from panel import access, mail, policy
from panel.extensions import db, utcnow
from panel.forms import ButtonForm
from panel.jobs import queries as jobs_queries
from panel.mail import queries as mail_queries
from panel.rounds import phases, progress, services, times
from panel.rounds.models import Application, Phase
from panel.rounds.progress_forms import (
    MODE_HINTS,
    AssignmentForm,
    BackForm,
    OverBudgetForm,
    PhaseForm,
    ReviewersForm,
)
from panel.rounds.rules_chase import chase_from
from panel.rounds.services import RoundError
from panel.transactions import change

PER_PAGE = 50


# --- Dashboard and reminders -------------------------------------------------------------

@access.officer_round()
def dashboard(round_):
    members = progress.member_progress(round_)
    chase_start = _chase_start(round_)
    chase = ([row for row in members if row.progress.outstanding]
             if round_.scoring_open and chase_start is None else [])
    return render_template(
        "rounds/progress/dashboard.html", round=round_, facts=progress.facts(round_),
        members=members, chase=chase, reminder_form=ButtonForm(),
        chase_start=chase_start, chase_percent=_chase_share() * 100,
        applications=progress.application_progress(round_, _page(), PER_PAGE),
        deadline=times.deadline_text(round_))


def _chase_share() -> float:
    return current_app.config.get("CHASE_AFTER_PERCENT", 50) / 100


def _chase_start(round_) -> str | None:
    """When "Who to chase" starts listing, in words, while that is still to come."""
    if not round_.scoring_open:
        return None
    start = chase_from(progress.scoring_opened_at(round_), round_.scoring_deadline,
                       _chase_share())
    if start is None or utcnow() >= start:
        return None
    return times.moment_text(start, round_)


@access.officer_round(*policy.SCORING)
def reminders(round_):
    if not ButtonForm().validate_on_submit():
        abort(400)
    with change(RoundError) as done:
        emails = services.send_reminders(current_user, round_)
        sending = mail.sending_job()
        if sending is not None:
            sending.user_id = current_user.id  # theirs to follow
    if done.refused:
        flash(done.refusal, "error")
        return redirect(url_for(".dashboard", slug=round_.slug))
    flash(ngettext("Reminders queued for %(num)d person. This page shows them being sent, "
                   "and Background work shows whether each one arrived.",
                   "Reminders queued for %(num)d people. This page shows them being sent, "
                   "and Background work shows whether each one arrived.", len(emails)),
          "success")
    if sending is None:
        return redirect(url_for(".dashboard", slug=round_.slug))
    return redirect(url_for("jobs.page", job_id=sending.id))


@access.officer_round()
def background(round_):
    """The round's background work: its jobs, and who its e-mails have not reached."""
    return render_template("rounds/progress/background.html", round=round_,
                           lines=jobs_queries.of_round(round_.id),
                           mail_counts=mail_queries.counts(round_.id),
                           not_reached=mail_queries.not_reached(round_.id))


# --- Who reviews what --------------------------------------------------------------------

@access.officer_round(*policy.ASSIGNING)
def assignments(round_):
    form = AssignmentForm()
    if form.validate_on_submit():
        if "apply" in request.form:
            with change(RoundError) as done:
                applied = services.apply_assignments(
                    current_user, round_, form.mode.data, form.number,
                    expected=form.fingerprint.data)
            if not done.refused:
                flash(_applied(applied), "success")
                return redirect(url_for(".assignments", slug=round_.slug))
            form.form_errors.append(done.refusal)
        plan = services.plan_assignments(round_, form.mode.data, form.number)
        form.fingerprint.data = plan.fingerprint
        return render_template("rounds/progress/assignment_preview.html", round=round_,
                               form=form, change=plan)
    assigned, unreviewed = progress.assignment_totals(round_)
    return render_template(
        "rounds/progress/assignments.html", round=round_, form=form, hints=MODE_HINTS,
        assigned=assigned, unreviewed=unreviewed,
        applications=progress.application_progress(round_, _page(), PER_PAGE))


@access.officer_round(*policy.ASSIGNING)
def reviewers(round_, reference: str):
    application = db.session.scalar(select(Application).where(
        Application.round_id == round_.id, Application.reference == reference)) or abort(404)
    choices = progress.reviewer_choices(round_, application.id)
    form = ReviewersForm(members=[c.panellist.id for c in choices
                                  if c.assigned and not c.locked])
    form.members.choices = [SelectChoice(c.panellist.id, c.panellist.name) for c in choices
                            if not c.locked]
    if form.validate_on_submit():
        # Locked members cannot be ticked or unticked here: they stay as they are.
        staying = {c.panellist.id for c in choices if c.locked and c.assigned}
        with change(RoundError) as done:
            added, removed = services.set_reviewers(current_user, round_, application,
                                                    set(form.members.data) | staying)
        if not done.refused:
            flash(_reviewers_saved(application, added, removed), "success")
            return redirect(url_for(".assignments", slug=round_.slug))
        form.form_errors.append(done.refusal)
    return render_template("rounds/progress/reviewers.html", round=round_, form=form,
                           application=application, choices=choices)


# --- Phases ------------------------------------------------------------------------------

@access.officer_round()
def phase(round_):
    back = phases.previous_phase(round_)
    return render_template(
        "rounds/progress/phase.html", round=round_, next_phase=phases.next_phase(round_),
        back=back, back_refusal=back and phases.back_refusal(round_, back))


@access.officer_round(*policy.CAN_MOVE_ON)
def phase_forward(round_):
    to_phase = phases.next_phase(round_)
    checklist = phases.checklist(round_, to_phase)
    # Over budget, the move to decided needs the officer's tick and reason.
    form = (OverBudgetForm if checklist.over_budget else PhaseForm)(from_phase=round_.phase)
    if form.validate_on_submit() and _still_in(round_, form):
        reason = form.over_budget_reason.data if checklist.over_budget else ""
        with change(RoundError) as done:
            told = services.change_phase(current_user, round_, to_phase, notify=True,
                                         over_budget_reason=reason)
        if not done.refused:
            flash(_moved(round_, told), "success")
            return redirect(url_for(".phase", slug=round_.slug))
        form.form_errors.append(done.refusal)
    return render_template("rounds/progress/phase_forward.html", round=round_, form=form,
                           to_phase=to_phase, opens_scoring=to_phase == Phase.SCORING,
                           checklist=checklist)


@access.officer_round(*policy.CAN_MOVE_BACK)
def phase_back(round_):
    to_phase = phases.previous_phase(round_)
    form = BackForm(from_phase=round_.phase)
    if form.validate_on_submit() and _still_in(round_, form):
        with change(RoundError) as done:
            services.change_phase(current_user, round_, to_phase, reason=form.reason.data)
        if not done.refused:
            flash(_("%(round)s is back in the %(phase)s phase.", round=round_.title, phase=to_phase),
                  "success")
            return redirect(url_for(".phase", slug=round_.slug))
        form.form_errors.append(done.refusal)
    return render_template("rounds/progress/phase_back.html", round=round_, form=form,
                           to_phase=to_phase, refusal=phases.back_refusal(round_, to_phase))


# --- Helpers -----------------------------------------------------------------------------

def _page() -> int:
    return request.args.get("page", 1, type=int)


def _still_in(round_, form: PhaseForm) -> bool:
    """False (with the reason on the form) if the round moved since the page was loaded."""
    if form.from_phase.data == round_.phase:
        return True
    form.form_errors.append(_("The round has already moved to the %(phase)s phase. "
                              "Check this page again before you go on.", phase=round_.phase))
    return False


def _applied(change: services.AssignmentChange) -> str:
    if not change.added and not change.removed:
        return _("Nothing changed: the assignments already match.")
    message = _("Assignments saved: %(added)s added, %(removed)s removed.",
                added=f"{len(change.added):,}", removed=f"{len(change.removed):,}")
    if change.kept:
        message += " " + _("%(kept)s kept because the panellist had already started on them.",
                           kept=f"{len(change.kept):,}")
    return message


def _reviewers_saved(application, added: list[str], removed: list[str]) -> str:
    if not added and not removed:
        return _("Nothing changed for %(reference)s.", reference=application.reference)
    return _("Reviewers of %(reference)s saved: %(added)s added, %(removed)s removed.",
             reference=application.reference, added=len(added), removed=len(removed))


def _moved(round_, told: int) -> str:
    message = _("%(round)s is now in the %(phase)s phase.", round=round_.title,
                phase=round_.phase)
    if told and round_.is_published:
        message += " " + ngettext(
            "We emailed %(num)d person on the panel to say the results are published.",
            "We emailed %(num)d people on the panel to say the results are published.", told)
    elif told:
        message += " " + ngettext("We emailed %(num)d person to say scoring is open.",
                                  "We emailed %(num)d people to say scoring is open.", told)
    return message
