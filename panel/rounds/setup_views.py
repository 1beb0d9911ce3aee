"""The programme officer's round set-up pages (DESIGN.md §2, §3): create a round, then
its details, scale, funding and blind-review settings. Criteria and groups are in
:mod:`panel.rounds.setup_rubric_views`; both are listed in :mod:`panel.rounds.blueprint`."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from panel import access, policy
from panel.accounts.models import Role
from panel.rounds import phases, setup
from panel.rounds.models import IDENTIFYING_FIELDS, Phase, Round
from panel.rounds.setup_forms import (
    FUNDING_RULE_HINTS,
    RANK_MODEL_HINTS,
    WEIGHTING_HINTS,
    WELSH,
    BlindForm,
    DetailsForm,
    FundingForm,
    NewRoundForm,
    PublishForm,
    RankModelForm,
    RetentionForm,
    ScaleDescriptorsForm,
    ScaleRangeForm,
    level_name,
    with_levels,
)
from panel.transactions import change


def apply_change(form, service, *args, **kwargs) -> bool | None:
    """Run a set-up service as the officer and commit; returns whether anything changed.
    When the service refuses, nothing is changed: its message goes on the form and this
    returns None."""
    with change(setup.SetupError) as done:
        changed = service(current_user, *args, **kwargs)
    if done.refused:
        show_error(form, done.error)
        return None
    return changed is not False

def show_error(form, error: setup.SetupError) -> None:
    """Put a broken rule's message on its field, or on the whole form."""
    field = form[error.field] if error.field and error.field in form else None
    (field.errors if field is not None else form.form_errors).append(str(error))

def saved(message: str, changed: bool = True) -> None:
    if changed:
        flash(message, "success")
    else:
        flash(_("Nothing was changed: the answers were the same as before."), "info")

def to_overview(round_: Round):
    return redirect(url_for(".overview", slug=round_.slug))

@access.staff(Role.OFFICER)
def create():
    form = NewRoundForm()
    if form.validate_on_submit():
        with change():
            round_ = setup.new_round(current_user, title=form.title.data,
                                     description=form.description.data or "")
        flash(_("%(round)s created. Now set it up.", round=round_.title), "success")
        return to_overview(round_)
    return render_template("rounds/setup/new.html", form=form)

@access.officer_round()
def overview(round_: Round):
    # Readable in every phase so the nav link always works; changes only in draft.
    draft = round_.in_setup
    return render_template(
        "rounds/setup/overview.html", round=round_, editable=draft,
        checklist=phases.checklist(round_, Phase.SCORING) if draft else None,
        undescribed=setup.undescribed_levels(round_),
        criterion_shares=setup.weight_shares(round_.criteria),
        group_shares=setup.weight_shares(round_.groups),
        weighting_hints=WEIGHTING_HINTS, funding_rule_hints=FUNDING_RULE_HINTS,
        rank_model_hints=RANK_MODEL_HINTS,
        rank_model_open=round_.phase in policy.RANK_MODEL_OPEN,
        always_identifying=IDENTIFYING_FIELDS)

@access.officer_round(*policy.SETTING_UP)
def details(round_: Round):
    form = DetailsForm(data={"title": round_.title, "description": round_.description,
                             "scoring_deadline": round_.scoring_deadline_day,
                             "time_zone": round_.time_zone, "funder": round_.funder,
                             "help_contact": round_.help_contact,
                             "minutes_per_application": round_.minutes_per_application})
    if form.validate_on_submit():
        changed = apply_change(form, setup.update_details, round_, title=form.title.data,
                               description=form.description.data or "",
                               scoring_deadline=form.scoring_deadline.data,
                               time_zone=form.time_zone.data, **form.welcome())
        if changed is not None:
            saved(_("Round details saved."), changed)
            return to_overview(round_)
    return render_template("rounds/setup/details.html", round=round_, form=form)

@access.officer_round(*policy.SETTING_UP)
def scale(round_: Round):
    """Step 1 of 2: the lowest and highest scores. Nothing is saved until step 2."""
    form = ScaleRangeForm(data={"scale_min": round_.scale_min, "scale_max": round_.scale_max})
    if form.validate_on_submit():
        low, high = form.scale_min.data, form.scale_max.data
        try:
            setup.check_scale_range(low, high)
        except setup.SetupError as error:
            show_error(form, error)
        else:
            return redirect(url_for(".scale_descriptors", slug=round_.slug, min=low, max=high))
    dropped = any(c.descriptors for c in round_.criteria)
    return render_template("rounds/setup/scale.html", round=round_, form=form,
                           criteria_descriptors=dropped)

@access.officer_round(*policy.SETTING_UP)
def scale_descriptors(round_: Round):
    """Step 2 of 2: what each level means; saving here changes the scale."""
    low = request.args.get("min", round_.scale_min, type=int)
    high = request.args.get("max", round_.scale_max, type=int)
    try:
        setup.check_scale_range(low, high)
    except setup.SetupError:
        return redirect(url_for(".scale", slug=round_.slug))
    levels = list(range(low, high + 1))
    form_class = with_levels(ScaleDescriptorsForm, levels, required=True)
    welsh = round_.scale_descriptors_cy or {}
    form = form_class(data={
        **{level_name(level): round_.scale_descriptors.get(str(level), "") for level in levels},
        **{level_name(level) + WELSH: welsh.get(str(level), "") for level in levels}})
    if form.validate_on_submit():
        changed = apply_change(form, setup.set_scale, round_, low=low, high=high,
                               descriptors=form.descriptors(),
                               descriptors_cy=form.descriptors_cy())
        if changed is not None:
            saved(_("Scale saved: %(low)s to %(high)s.", low=low, high=high), changed)
            return to_overview(round_)
    return render_template("rounds/setup/scale_descriptors.html", round=round_, form=form,
                           low=low, high=high)

@access.officer_round(*policy.SETTING_UP)
def funding(round_: Round):
    form = FundingForm(obj=round_)
    if form.validate_on_submit():
        changed = apply_change(form, setup.set_funding, round_, budget=form.budget.data,
                               funding_rule=form.funding_rule.data)
        if changed is not None:
            saved(_("Budget and funding rule saved."), changed)
            return to_overview(round_)
    return render_template("rounds/setup/funding.html", round=round_, form=form,
                           hints=FUNDING_RULE_HINTS)

@access.officer_round(*policy.RANK_MODEL_OPEN)
def rank_model(round_: Round):
    """Whether the round works out how sure its ranking is (DESIGN.md §3a): until the
    round is decided, since it changes what the ranking page and the report show."""
    form = RankModelForm(obj=round_)
    if form.validate_on_submit():
        changed = apply_change(form, setup.set_rank_model, round_, form.rank_model.data)
        if changed is not None:
            saved(_("The setting for how sure the ranking is is saved."), changed)
            return to_overview(round_)
    return render_template("rounds/setup/rank_model.html", round=round_, form=form,
                           hints=RANK_MODEL_HINTS)


@access.officer_round(*policy.SETTING_UP)
def blind(round_: Round):
    columns = setup.extra_columns(round_)
    identifying = set(round_.identifying_columns or [])
    form = BlindForm(data={
        "shown_columns": [column for column in columns if column not in identifying],
        "show_group_labels": "yes" if round_.show_group_labels else "no",
        "lived_experience_first": "yes" if round_.lived_experience_first else "no",
        "min_group_size": round_.min_group_size,
    })
    form.shown_columns.choices = [SelectChoice(column, column) for column in columns]
    if form.validate_on_submit():
        shown = set(form.shown_columns.data)
        changed = apply_change(
            form, setup.set_blind, round_,
            identifying_columns=[column for column in columns if column not in shown],
            show_group_labels=form.show_group_labels.data == "yes",
            lived_experience_first=form.lived_experience_first.data == "yes",
            min_group_size=form.min_group_size.data)
        if changed is not None:
            saved(_("Blind review settings saved."), changed)
            return to_overview(round_)
    return render_template("rounds/setup/blind.html", round=round_, form=form,
                           columns=columns, always_identifying=IDENTIFYING_FIELDS)


@access.officer_round()  # in any phase: what to publish is often settled after the decision
def publishing(round_: Round):
    """Which columns the public summary shows for funded applications."""
    form = PublishForm(data={"public_columns": list(round_.public_columns or [])})
    form.public_columns.choices = [SelectChoice(column, column.replace("_", " ").capitalize())
                                   for column in setup.publishable_columns(round_)]
    if form.validate_on_submit():
        changed = apply_change(form, setup.set_public_columns, round_,
                               form.public_columns.data)
        if changed is not None:
            saved(_("The public summary's columns are saved."), changed)
            return redirect(url_for("voice.report", slug=round_.slug,
                                    _anchor="downloads-heading"))
    return render_template("rounds/setup/publishing.html", round=round_, form=form)


@access.officer_round()  # in any phase: often settled when the round is published
def retention(round_: Round):
    """How long the panel's personal data is kept after publication (issue 19)."""
    form = RetentionForm(data={"retention_months": round_.retention_months})
    if form.validate_on_submit():
        changed = apply_change(form, setup.set_retention, round_, form.retention_months.data)
        if changed is not None:
            saved(_("How long the panel's personal data is kept is saved."), changed)
            return to_overview(round_)
    return render_template("rounds/setup/retention.html", round=round_, form=form)
