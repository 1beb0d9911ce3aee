"""Set-up pages for a draft round's criteria and groups: list with weights shown as
shares, add, change, remove (with a confirmation page), reorder, and the weighting."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from panel import access, policy
from panel.forms import ButtonForm
from panel.rounds import setup
from panel.rounds.models import Criterion, Group, Round
from panel.rounds.setup_forms import (
    WEIGHTING_HINTS,
    WELSH,
    CriterionForm,
    GroupForm,
    NewCriterionForm,
    NewGroupForm,
    WeightingForm,
    level_name,
    with_levels,
)
from panel.rounds.setup_views import apply_change, saved


def _criterion(round_: Round, key: str) -> Criterion:
    return next((c for c in round_.criteria if c.key == key), None) or abort(404)


def _group(round_: Round, key: str) -> Group:
    return next((g for g in round_.groups if g.key == key), None) or abort(404)


def _criterion_form(round_: Round, base: type, criterion: Criterion | None = None):
    """``base`` with one optional descriptor per level; the round's own are the hints."""
    levels = list(range(round_.scale_min, round_.scale_max + 1))
    hints = {str(level): _("Leave empty to use the round's: %(text)s", text=text)
             for level, text in round_.scale_descriptors.items() if text}
    form_class = with_levels(base, levels, required=False, hints=hints)
    if criterion is None:
        return form_class(data={"weight": 1.0})
    welsh = criterion.descriptors_cy or {}
    return form_class(obj=criterion, data={
        **{level_name(level): criterion.descriptors.get(str(level), "") for level in levels},
        **{level_name(level) + WELSH: welsh.get(str(level), "") for level in levels}})


# --- Criteria ---------------------------------------------------------------------------

@access.officer_round(*policy.SETTING_UP)
def criteria(round_: Round):
    return render_template("rounds/setup/criteria.html", round=round_,
                           shares=setup.weight_shares(round_.criteria))


@access.officer_round(*policy.SETTING_UP)
def new_criterion(round_: Round):
    form = _criterion_form(round_, NewCriterionForm)
    if form.validate_on_submit():
        added = apply_change(form, _add_criterion, round_, form)
        if added is not None:
            flash(_("Criterion added: %(name)s.", name=form.name.data), "success")
            return redirect(url_for(".criteria", slug=round_.slug))
    return render_template("rounds/setup/criterion.html", round=round_, form=form,
                           criterion=None)


def _add_criterion(actor, round_: Round, form) -> bool:
    setup.add_criterion(actor, round_, name=form.name.data, key=form.key.data or "",
                        weight=form.weight.data, guidance=form.guidance.data or "",
                        descriptors=form.descriptors(), **_welsh(form))
    return True


def _welsh(form) -> dict:
    """The criterion's optional Welsh from ``form`` (issue 21)."""
    return {"name_cy": form.name_cy.data or "", "guidance_cy": form.guidance_cy.data or "",
            "descriptors_cy": form.descriptors_cy()}


@access.officer_round(*policy.SETTING_UP)
def criterion(round_: Round, key: str):
    criterion = _criterion(round_, key)
    form = _criterion_form(round_, CriterionForm, criterion)
    if form.validate_on_submit():
        changed = apply_change(form, setup.update_criterion, criterion, name=form.name.data,
                               weight=form.weight.data, guidance=form.guidance.data or "",
                               descriptors=form.descriptors(), **_welsh(form))
        if changed is not None:
            saved(_("Criterion saved: %(name)s.", name=criterion.name), changed)
            return redirect(url_for(".criteria", slug=round_.slug))
    return render_template("rounds/setup/criterion.html", round=round_, form=form,
                           criterion=criterion)


@access.officer_round(*policy.SETTING_UP)
def remove_criterion(round_: Round, key: str):
    criterion = _criterion(round_, key)
    form = ButtonForm()
    name = criterion.name
    problem = setup.criterion_removal_problem(criterion)
    if form.validate_on_submit() and apply_change(form, setup.remove_criterion,
                                                  criterion) is not None:
        flash(_("Criterion removed: %(name)s.", name=name), "success")
        return redirect(url_for(".criteria", slug=round_.slug))
    return render_template("rounds/setup/remove.html", round=round_, form=form,
                           what="criterion", name=name, problem=problem,
                           back=url_for(".criteria", slug=round_.slug))


@access.officer_round(*policy.SETTING_UP)
def move_criterion(round_: Round, key: str, direction: str):
    criterion = _criterion(round_, key)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    if apply_change(form, setup.move_criterion, criterion, -1 if direction == "up" else 1):
        flash((_("%(name)s moved up.", name=criterion.name) if direction == "up" else
               _("%(name)s moved down.", name=criterion.name)), "success")
    return redirect(url_for(".criteria", slug=round_.slug))


# --- Groups -----------------------------------------------------------------------------

@access.officer_round(*policy.SETTING_UP)
def groups(round_: Round):
    form = WeightingForm(obj=round_)
    if form.validate_on_submit():
        changed = apply_change(form, setup.set_weighting, round_, form.weighting.data)
        if changed is not None:
            saved(_("Weighting saved."), changed)
            return redirect(url_for(".groups", slug=round_.slug))
    return render_template("rounds/setup/groups.html", round=round_, form=form,
                           shares=setup.weight_shares(round_.groups), hints=WEIGHTING_HINTS,
                           members={g.id: setup.group_member_count(g) for g in round_.groups})


@access.officer_round(*policy.SETTING_UP)
def new_group(round_: Round):
    form = NewGroupForm(data={"weight": 1.0})
    if form.validate_on_submit():
        added = apply_change(form, _add_group, round_, form)
        if added is not None:
            flash(_("Group added: %(name)s.", name=form.label.data), "success")
            return redirect(url_for(".groups", slug=round_.slug))
    return render_template("rounds/setup/group.html", round=round_, form=form, group=None)


def _add_group(actor, round_: Round, form) -> bool:
    setup.add_group(actor, round_, label=form.label.data, key=form.key.data or "",
                    weight=form.weight.data)
    return True


@access.officer_round(*policy.SETTING_UP)
def group(round_: Round, key: str):
    group = _group(round_, key)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        changed = apply_change(form, setup.update_group, group, label=form.label.data,
                               weight=form.weight.data)
        if changed is not None:
            saved(_("Group saved: %(name)s.", name=group.label), changed)
            return redirect(url_for(".groups", slug=round_.slug))
    return render_template("rounds/setup/group.html", round=round_, form=form, group=group)


@access.officer_round(*policy.SETTING_UP)
def remove_group(round_: Round, key: str):
    group = _group(round_, key)
    form = ButtonForm()
    label = group.label
    problem = setup.group_removal_problem(group)
    if form.validate_on_submit() and apply_change(form, setup.remove_group,
                                                  group) is not None:
        flash(_("Group removed: %(name)s.", name=label), "success")
        return redirect(url_for(".groups", slug=round_.slug))
    return render_template("rounds/setup/remove.html", round=round_, form=form,
                           what="group", name=label, problem=problem,
                           back=url_for(".groups", slug=round_.slug))
