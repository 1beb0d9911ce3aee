"""Forms of the officer's progress pages: assignments, phase moves and reminders."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from panel.forms import strip_whitespace

MODE_HINTS = {
    "everyone": _l("Every panellist scores every application, unless they have stepped out "
                "because of a conflict of interest."),
    "set_number": _l("Each application gets this many panellists, with at least one from "
                  "each group when the number allows. Workloads are shared out evenly."),
}
MOST_REVIEWERS = 1000


class AssignmentForm(FlaskForm):
    mode = RadioField(
        _l("Who should review each application?"),
        choices=[SelectChoice("everyone", _l("Everyone reviews every application")),
                 SelectChoice("set_number", _l("A set number of reviewers for each application"))],
        default="everyone",
        validators=[InputRequired(_l("Choose who should review each application"))],
    )
    reviewers = StringField(
        _l("How many reviewers for each application"),
        description=_l("Only needed for a set number, for example 3."),
        filters=[strip_whitespace],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"},
    )
    # Names the previewed change, so "Apply" applies exactly what the officer saw.
    fingerprint = HiddenField()

    def validate_reviewers(self, field) -> None:
        if self.mode.data != "set_number":
            return
        if not field.data:
            raise ValidationError(_("Enter how many panellists should review each application"))
        if not re.fullmatch(r"[0-9]+", field.data):
            raise ValidationError(_("Enter the number of reviewers as a whole number, like 3"))
        if not 1 <= int(field.data) <= MOST_REVIEWERS:
            raise ValidationError(
                _("The number of reviewers must be between 1 and %(most)s",
                  most=f"{MOST_REVIEWERS:,}"))

    @property
    def number(self) -> int | None:
        """The number of reviewers, once validated (None for everyone)."""
        return int(self.reviewers.data) if self.mode.data == "set_number" else None


class ReviewersForm(FlaskForm):
    """The panellists who review one application; choices are set by the view."""

    members = SelectMultipleField(
        _l("Panellists reviewing this application"),
        description=_l("Tick everyone who should review it. The chair never reviews."),
        coerce=int,
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput(),
    )


class PhaseForm(FlaskForm):
    """Confirms a move; ``from_phase`` catches a round that moved since the page loaded."""

    from_phase = HiddenField()


class BackForm(PhaseForm):
    reason = TextAreaField(
        _l("Why is the round moving back?"),
        description=_l("This is kept on the round's record, with your name."),
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Enter why the round is moving back")),
                    Length(max=2000, message=_l("The reason can be up to 2,000 characters"))],
    )


class OverBudgetForm(PhaseForm):
    """Deciding a round whose funded set is over the budget: the officer acknowledges it
    and says why (kept on the round, shown in the report and the public summary)."""

    acknowledge = BooleanField(
        _l("I understand that the funded set is over the budget"),
        validators=[DataRequired(_l("Tick to confirm that the funded set is over the budget"))],
    )
    over_budget_reason = TextAreaField(
        _l("Why is the round being decided over budget?"),
        description=_l("This is kept on the round's record, with your name, and shown in the "
                    "report and the public summary."),
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Enter why the round is being decided over budget")),
                    Length(max=2000, message=_l("The reason can be up to 2,000 characters"))],
    )
