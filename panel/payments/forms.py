"""Forms for paying panellists: a group's pay (amounts in pounds, read loosely), the
member's choice, and a correction of their time with a note."""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from panel.forms import strip_whitespace
from panel.payments.rules import MAX_CLAIM_MINUTES, parse_pounds, pounds
from panel.rounds.setup_forms import ParsedField, radios

MONEY_BOX = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}


def _amount(label: str, what: str, hint: str) -> ParsedField:
    field = ParsedField(label, parse=lambda text: parse_pounds(text, what),
                        description=hint, render_kw=MONEY_BOX)
    return field


class RateForm(FlaskForm):
    hourly = _amount(_l("Hourly rate (optional)"), _l("the hourly rate"),
                     _l("In pounds, like 25 or 25.50. Pays the time FairPanel records for "
                        "scoring, and for the meeting unless you set a meeting fee."))
    per_application = _amount(_l("Fee for each application scored (optional)"),
                              _l("the fee for each application"),
                              _l("In pounds. Paid for each score sheet sent. Use this or an "
                                 "hourly rate, not both."))
    meeting_fee = _amount(_l("Meeting fee (optional)"), _l("the meeting fee"),
                          _l("In pounds. Paid once to each member who attends the meeting."))

    def amounts(self) -> dict[str, int | None]:
        return {"hourly": self.hourly.data, "per_application": self.per_application.data,
                "meeting_fee": self.meeting_fee.data}


def rate_form(rate) -> RateForm:
    """The form holding ``rate``'s amounts as pounds (``rate``: a PayRate or None)."""
    form = RateForm()
    if not form.is_submitted() and rate is not None:
        for name, pence in (("hourly", rate.hourly_pence),
                            ("per_application", rate.per_application_pence),
                            ("meeting_fee", rate.meeting_fee_pence)):
            form[name].data = pence
            form[name].raw_data = [pounds(pence).removeprefix("£")] if pence else []
    return form


PAY_CHOICES = {"paid": _l("Yes, pay me"), "declined": _l("No, do not pay me")}


class ChoiceForm(FlaskForm):
    choice = radios(_l("Do you want to be paid for your time?"), PAY_CHOICES,
                    _l("Choose whether you want to be paid"),
                    description=_l("Some benefits rules treat payment as income. You can "
                                   "choose not to be paid. This does not change anything "
                                   "about your place on the panel, and you can change "
                                   "your mind until your time is approved."))


def whole_minutes(text: str) -> int:
    if not re.match(r"^\d+$", text) or int(text) > MAX_CLAIM_MINUTES:
        raise ValueError(_("Enter the minutes as a whole number, like 45 (up to 1440, "
                           "which is 24 hours)"))
    return int(text)


class CorrectionForm(FlaskForm):
    minutes = ParsedField(
        _l("How many minutes did you spend?"), parse=whole_minutes,
        description=_l("In minutes. For example, 1 hour and 15 minutes is 75."),
        validators=[InputRequired(_l("Enter how many minutes you spent, like 45"))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    note = TextAreaField(
        _l("Why is it different?"), filters=[strip_whitespace],
        description=_l("A few words are enough, for example “I read it on paper first”."),
        validators=[InputRequired(_l("Say in a few words why the time is different")),
                    Length(max=1000, message=_l("The note can be up to 1,000 characters"))])
