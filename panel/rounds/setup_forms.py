"""Forms for a round's set-up pages. Numbers and money are typed as text and read
loosely ("400,000", "£400,000.50", "2.5"); every message says what to fix."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from panel.forms import OneLine, strip_whitespace
from panel.rounds.models import MIN_GROUP_SIZES, RANK_MODEL_FROM
from panel.rounds.rules_time_zones import DEFAULT_TIME_ZONE, is_time_zone
from panel.rounds.setup import KEY_MAX, KEY_PATTERN, time_zone_problem

WEIGHTING_HINTS = {
    "equal_groups": _l("Every group has an equal voice, whatever its size."),
    "equal_people": _l("Every panellist counts the same."),
}
FUNDING_RULE_HINTS = {
    "strict": _l("Fund down the ranking and stop at the first application that does not fit."),
    "fill": _l("Skip an application that does not fit and carry on."),
    "lottery": _l("Fund the applications clearly above the line, then draw lots in the meeting "
               "among those too close to call (the grey zone), funding them in the drawn "
               "order while they fit."),
}
RANK_MODEL_HINTS = {
    "auto": _l("Work it out for a round of %(count)s applications or more, and always "
               "under the funding rule lottery, whose draw needs it.", count=RANK_MODEL_FROM),
    "on": _l("Always work it out, however few applications the round has."),
    "off": _l("Never work it out: no expected ranks, intervals or grey zone are shown, and the "
           "funding rule lottery cannot prepare its draw."),
}
YES_NO = {"yes": _l("Yes"), "no": _l("No")}
MAX_BUDGET = Decimal("1000000000000")  # the budget column holds 12 digits before the point
MONEY = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")
NUMBER = re.compile(r"^(\d+(\.\d*)?|\.\d+)$")


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def parse_money(text: str) -> Decimal:
    """"400000", "400,000" or "£400,000.50" → Decimal; ValueError says what to fix."""
    plain = text.replace(" ", "")
    if plain.startswith(("-", "£-", "−", "£−")):
        raise ValueError(_("The budget must be £0 or more"))
    plain = plain.removeprefix("£")
    if not MONEY.match(plain):
        raise ValueError(_("Enter the budget in pounds, like 400000, 400,000 or £400,000.50"))
    amount = Decimal(plain.replace(",", ""))
    if amount >= MAX_BUDGET:
        raise ValueError(_("The budget must be less than £1,000,000,000,000"))
    return amount


def money_text(amount: Decimal) -> str:
    """400000 → "400,000"; 400000.5 → "400,000.50"."""
    return f"{amount:,.0f}" if amount == amount.to_integral() else f"{amount:,.2f}"


def parse_weight(text: str) -> float:
    """"3" or "2.5" → a weight above 0 and at most 1,000."""
    if text.startswith(("-", "−")):
        raise ValueError(_("The weight must be more than 0"))
    if not NUMBER.match(text):
        raise ValueError(_("Enter the weight as a number, like 1 or 2.5"))
    weight = float(text)
    if weight <= 0:
        raise ValueError(_("The weight must be more than 0"))
    if weight > 1000:
        raise ValueError(_("The weight must be 1,000 or less"))
    return weight


def whole_number(what: str) -> Callable[[str], int]:
    """A parser for a whole number from -100 to 100; ``what`` names it in messages."""

    def parse(text: str) -> int:
        if not re.match(r"^[-−]?\d+$", text):
            raise ValueError(_("Enter %(what)s as a whole number, like 1", what=what))
        number = int(text.replace("−", "-"))
        if not -100 <= number <= 100:
            raise ValueError(_("%(what)s must be from -100 to 100", what=what.capitalize()))
        return number

    return parse


def group_size(text: str) -> int:
    """The smallest group shown to the room: a whole number from 2 to 20."""
    low, high = MIN_GROUP_SIZES
    if not re.match(r"^\d+$", text) or not low <= int(text) <= high:
        raise ValueError(_("Enter the smallest group shown as a whole number from %(low)s "
                           "to %(high)s, like 2", low=low, high=high))
    return int(text)


class ParsedField(StringField):
    """A text box whose text ``parse`` turns into ``data``, or into an error message."""

    def __init__(self, label=None, validators=None, *, parse: Callable[[str], object],
                 **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.parse = parse

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = self.parse(text) if text else None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        if isinstance(self.data, Decimal):
            return money_text(self.data)
        return f"{self.data:.10f}".rstrip("0").rstrip(".")  # 2.5 → "2.5", 3.0 → "3"


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def pre_validate(self, form) -> None:
        offered = {choice.value for choice in self.choices}
        if any(value not in offered for value in self.data or []):
            raise ValidationError(_("Choose only from the columns listed"))


def radios(label: str, options: dict[str, str], missing: str, **kwargs) -> RadioField:
    """Radios for ``options`` (value → label); ``missing`` says what to choose."""
    return RadioField(
        label, choices=[SelectChoice(value, text) for value, text in options.items()],
        validate_choice=False,
        validators=[InputRequired(missing), AnyOf(list(options), message=missing)], **kwargs)


def _title_field() -> StringField:
    return StringField(
        _l("Title"), filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter a title for the round")),
                    Length(max=200, message=_l("The title can be up to 200 characters")),
                    OneLine()])


def _description_field() -> TextAreaField:
    return TextAreaField(
        _l("Description (optional)"), filters=[strip_whitespace],
        description=_l("What the round funds, in plain words. Panellists see this."),
        validators=[Length(max=5000,
                           message=_l("The description can be up to 5,000 characters"))])


def _weight_field(what: str) -> ParsedField:
    return ParsedField(
        _l("Weight"), parse=parse_weight,
        description=_l("How much this %(what)s counts compared with the others, like 1 or 2.5.",
                        what=what),
        validators=[InputRequired(_l("Enter a weight for this %(what)s, like 1", what=what))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"})


def _key_field(what: str, example: str) -> StringField:
    return StringField(
        _l("Key (optional)"), filters=[strip_whitespace, _lower],
        description=_l("A short name used in files, like %(example)s. Leave it empty and "
                        "FairPanel makes one from the %(what)s. It cannot be changed later.",
                        example=example, what=what),
        validators=[Optional(),
                    Regexp(KEY_PATTERN, message=_l("The key must start with a letter and use "
                                                   "only letters, numbers and underscores (_)")),
                    Length(max=KEY_MAX, message=_l("The key can be up to %(most)s characters",
                                                    most=KEY_MAX))],
        render_kw={"autocomplete": "off", "spellcheck": "false"})


def minutes_per_application(text: str) -> int:
    if not re.match(r"^\d+$", text) or not 1 <= int(text) <= 600:
        raise ValueError(_("Enter how long one application takes as a whole number of "
                           "minutes from 1 to 600, like 30, or leave it empty"))
    return int(text)


class WelcomeFieldsMixin:
    """What panellists are told when scoring opens and on the round's page (issue 20)."""

    funder = StringField(
        _l("Funder (optional)"), filters=[strip_whitespace],
        description=_l("Who pays for the projects, like National Lottery Community Fund. "
                    "Panellists see this."),
        validators=[Length(max=200, message=_l("The funder can be up to 200 characters")),
                    OneLine()])
    help_contact = StringField(
        _l("Who panellists can ask for help (optional)"), filters=[strip_whitespace],
        description=_l("A name and a phone number or e-mail address, like Sam Patel, "
                    "0161 496 0000. Panellists see this."),
        validators=[Length(max=300, message=_l("This can be up to 300 characters")), OneLine()])
    minutes_per_application = ParsedField(
        _l("About how long one application takes (optional)"), parse=minutes_per_application,
        description=_l("In minutes, like 30: reading it and scoring it. Panellists are told "
                    "this with the number of applications they have."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"})

    def welcome(self) -> dict:
        return {"funder": self.funder.data or "", "help_contact": self.help_contact.data or "",
                "minutes_per_application": self.minutes_per_application.data}


class NewRoundForm(FlaskForm):
    title = _title_field()
    description = _description_field()


def _known_time_zone(form, field) -> None:
    if field.data and not is_time_zone(field.data):
        raise ValidationError(time_zone_problem(field.data))


class DetailsForm(WelcomeFieldsMixin, FlaskForm):
    title = _title_field()
    description = _description_field()
    scoring_deadline = DateField(
        _l("Scoring deadline (optional)"), format=["%Y-%m-%d", "%d/%m/%Y"],
        description=_l("Panellists are asked to finish scoring by the end of this day, in "
                    "the round's time zone."),
        invalid_value_message=_l("Enter the scoring deadline as a real date, like 30/06/2026"),
        validators=[Optional()])
    time_zone = StringField(
        _l("Time zone"), filters=[strip_whitespace],
        description=_l("Where the panel meets, as a time zone name like %(example)s "
                        "or Europe/Dublin. The deadline ends at midnight there.",
                        example=DEFAULT_TIME_ZONE),
        validators=[InputRequired(_l("Enter the round's time zone, like %(example)s",
                                       example=DEFAULT_TIME_ZONE)),
                    _known_time_zone],
        render_kw={"autocomplete": "off", "spellcheck": "false"})


class ScaleRangeForm(FlaskForm):
    scale_min = ParsedField(
        _l("Lowest score"), parse=whole_number(_l("the lowest score")),
        validators=[InputRequired(_l("Enter the lowest score, like 1"))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
    scale_max = ParsedField(
        _l("Highest score"), parse=whole_number(_l("the highest score")),
        validators=[InputRequired(_l("Enter the highest score, like 5"))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})


WELSH = "_cy"  # the Welsh box of a level: level_1_cy (issue 21)


def level_name(level: int) -> str:
    """The form field holding the descriptor of one level of the scale."""
    return f"level_{level}" if level >= 0 else f"level_minus_{-level}"


class LevelsMixin:
    """Forms with one descriptor box per level of the scale (see :func:`with_levels`)."""

    levels: list[int] = []

    def level_fields(self) -> list[tuple[int, StringField]]:
        return [(level, self[level_name(level)]) for level in self.levels]

    def descriptors(self) -> dict[str, str]:
        return {str(level): field.data or "" for level, field in self.level_fields()}

    def welsh_level_fields(self) -> list[tuple[int, StringField]]:
        """The optional Welsh boxes (issue 21), when the form has them."""
        return [(level, self[level_name(level) + WELSH]) for level in self.levels
                if level_name(level) + WELSH in self]

    def descriptors_cy(self) -> dict[str, str]:
        return {str(level): field.data or "" for level, field in self.welsh_level_fields()}


def with_levels(form_class: type[FlaskForm], levels: list[int], *, required: bool,
                hints: dict[str, str] | None = None, welsh: bool = True) -> type[FlaskForm]:
    """``form_class`` plus a descriptor box for each of ``levels`` and, unless ``welsh``
    is False, an optional box for each in Welsh (issue 21)."""
    fields = {}
    for level in levels:
        name = (_l("%(level)s (lowest)", level=level) if level == levels[0] else
                _l("%(level)s (highest)", level=level) if level == levels[-1] else f"{level}")
        first = (InputRequired(_l("Describe what a score of %(level)s means", level=level))
                 if required
                 else Optional())
        fields[level_name(level)] = StringField(
            name, filters=[strip_whitespace],
            description=(hints or {}).get(str(level)),
            validators=[first, Length(max=200, message=_l("The description of %(level)s can be "
                                                          "up to 200 characters", level=level)),
                        OneLine()])
        if welsh:
            fields[level_name(level) + WELSH] = StringField(
                _l("%(name)s in Welsh", name=name), filters=[strip_whitespace], validators=[
                    Optional(), Length(max=200, message=_l(
                        "The Welsh description of %(level)s can be up to 200 characters",
                        level=level)),
                    OneLine()])
    return type(form_class.__name__, (form_class,), {**fields, "levels": list(levels)})


class ScaleDescriptorsForm(LevelsMixin, FlaskForm):
    pass


class CriterionForm(LevelsMixin, FlaskForm):
    name = StringField(
        _l("Name"), filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter a name for the criterion")),
                    Length(max=200, message=_l("The name can be up to 200 characters")), OneLine()])
    weight = _weight_field("criterion")
    guidance = TextAreaField(
        _l("Guidance (optional)"), filters=[strip_whitespace],
        description=_l("What panellists should think about when they score this. Use plain words."),
        validators=[Length(max=5000, message=_l("Guidance can be up to 5,000 characters"))])
    # In Welsh, for panellists who read FairPanel in Welsh (issue 21): optional.
    name_cy = StringField(
        _l("Name in Welsh (optional)"), filters=[strip_whitespace],
        validators=[Optional(), Length(max=200, message=_l("The Welsh name can be up to 200 "
                                                           "characters")), OneLine()])
    guidance_cy = TextAreaField(
        _l("Guidance in Welsh (optional)"), filters=[strip_whitespace],
        validators=[Length(max=5000, message=_l("The Welsh guidance can be up to 5,000 "
                                                "characters"))])


class NewCriterionForm(CriterionForm):
    key = _key_field("name", "food_access")


class GroupForm(FlaskForm):
    label = StringField(
        _l("Name"), filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter a name for the group")),
                    Length(max=100, message=_l("The name can be up to 100 characters")), OneLine()])
    weight = _weight_field("group")


class NewGroupForm(GroupForm):
    key = _key_field("name", "lived_experience")


class WeightingForm(FlaskForm):
    weighting = radios(
        _l("How should the groups' scores be combined?"),
        {"equal_groups": _l("Equal groups"), "equal_people": _l("Equal people")},
        _l("Choose how to combine the groups' scores"))


class FundingForm(FlaskForm):
    budget = ParsedField(
        _l("Budget"), parse=parse_money, description=_l("In pounds, like 400,000."),
        validators=[InputRequired(_l("Enter the budget, like 400,000"))],
        render_kw={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"})
    funding_rule = radios(
        _l("How should the funding line be drawn?"),
        {"strict": _l("Stop at the first that does not fit"), "fill": _l("Fill the budget"),
         "lottery": _l("Draw lots near the line")},
        _l("Choose how to draw the funding line"))


class RankModelForm(FlaskForm):
    rank_model = radios(
        _l("Work out how sure the ranking is?"),
        {"auto": _l("Automatic"), "on": _l("On"), "off": _l("Off")},
        _l("Choose automatic, on or off for working out how sure the ranking is"))


class PublishForm(FlaskForm):
    public_columns = CheckboxesField(
        _l("Which columns does the funder publish?"),
        description=_l("For funded applications only, on the public summary once the round "
                    "is published, like the organisation. The applicant's name and "
                    "e-mail address are never published."),
        choices=[])


class BlindForm(FlaskForm):
    shown_columns = CheckboxesField(
        _l("Which other columns may panellists and the chair see?"),
        description=_l("Tick only a column that cannot tell anyone who applied, like the "
                    "area. Every column you leave unticked stays hidden from them, and a "
                    "new column is hidden until you tick it here."),
        choices=[])
    show_group_labels = radios(
        _l("Show group labels in moderation?"), YES_NO,
        _l("Choose whether to show group labels in moderation"),
        description=_l("If yes, the score spread shows which group each score came from."))
    lived_experience_first = radios(
        _l("Invite lived-experience panellists to speak first?"), YES_NO,
        _l("Choose whether lived-experience panellists speak first"),
        description=_l("If yes, the chair is reminded to ask them first on every application."))
    min_group_size = ParsedField(
        _l("Smallest group shown"), parse=group_size,
        description=_l("A group's label or score is shown to the room only when at least this "
                        "many of its members scored the application; below it the room sees "
                        "letters only. A whole number from %(low)s to %(high)s.",
                        low=MIN_GROUP_SIZES[0], high=MIN_GROUP_SIZES[1]),
        validators=[InputRequired(_l("Enter the smallest group shown, like 2"))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"})


def retention_months(text: str) -> int:
    """Months after publication: a whole number from 1 to 120."""
    if not re.match(r"^\d+$", text) or not 1 <= int(text) <= 120:
        raise ValueError(_("Enter the number of months as a whole number from 1 to 120, "
                           "like 24, or leave it empty"))
    return int(text)


class RetentionForm(FlaskForm):
    retention_months = ParsedField(
        _l("Months after publication"), parse=retention_months,
        description=_l("For example 24 for two years. Leave it empty to keep the panel's "
                    "personal data until someone asks for theirs to be erased."),
        render_kw={"inputmode": "numeric", "autocomplete": "off"})
