"""Forms of the scoring pages, written for a reading age of about 9 to 11. The score
form is given each criterion's words and choices, which come from the round's scale."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from panel.conflicts.models import KIND_AS_DECLARED
from panel.forms import Form
from panel.rounds.content import content, level_words, only_english
from panel.rounds.models import Criterion, Round
from panel.scoring.services import UNABLE

UNABLE_LABEL = _l("I don't feel able to score this")
# The level words a new round starts with (panel/rounds/setup.py DEFAULT_DESCRIPTORS), in
# the reader's language; words a round chose for itself are its own content, shown as set.
DEFAULT_LEVEL_WORDS = {"Very weak": _l("Very weak"), "Weak": _l("Weak"), "OK": _l("OK"),
                       "Good": _l("Good"), "Excellent": _l("Excellent")}


class VersionForm(Form):
    """Every change states the sheet version it read (0 before there is a sheet)."""

    version = IntegerField(widget=HiddenInput(), default=0, validators=[Optional()])


class ConnectionForm(Form):
    answer = RadioField(
        _l("Do you have any connection to this project?"),
        description=_l("For example, you know the people, you use it, or you could gain from "
                       "it. Saying yes is fine: it keeps the panel fair."),
        choices=[SelectChoice("none", _l("No")),
                 SelectChoice("connected", _l("Yes, I have a connection"))],
        validators=[InputRequired(_l("Choose No or Yes"))],
    )


class ConnectionKindForm(Form):
    kind = RadioField(_l("What is your connection?"),
                      choices=[SelectChoice(k, v) for k, v in KIND_AS_DECLARED.items()],
                      validators=[InputRequired(_l("Choose the kind of connection you have"))])
    note = TextAreaField(
        _l("Tell us a little more (you can leave this empty)"),
        description=_l("A few words are enough. Only the people running the round will see "
                       "this."),
        validators=[Length(max=1000, message=_l("Write 1000 characters or fewer"))],
    )


class PassForm(Form):
    """Only the CSRF token: a pass needs no reason."""


class CommentForm(VersionForm):
    comment = TextAreaField(
        _l("Anything you want to say about this project? (you can leave this empty)"),
        description=_l("The panel may read your words when it meets, beside a letter, never "
                       "your name. Do not write your name."),
        validators=[Length(max=5000, message=_l("Write 5000 characters or fewer"))],
    )
    for_chair = BooleanField(
        _l("Only the chair may read this"),
        description=_l("The chair reads it in the meeting but cannot show it to the panel."),
    )


def levels(round_: Round, criterion: Criterion) -> list[tuple[str, str]]:
    """(value, words) of each level: the criterion's descriptors, else the round's; in
    Welsh for a Welsh reader where there are some (panel.rounds.content)."""
    return [(level, words) for level, (words, _english) in reader_levels(round_, criterion).items()]


def reader_levels(round_: Round, criterion: Criterion) -> dict[str, tuple[str, bool]]:
    """Level → (words, English standing in for Welsh) as the reader reads them
    (panel.rounds.content.level_words), the default level words in the reader's
    language."""
    found = {}
    for level, (words, english_only) in level_words(round_, criterion).items():
        if words in DEFAULT_LEVEL_WORDS:
            words, english_only = str(DEFAULT_LEVEL_WORDS[words]), False
        found[level] = (words, english_only)
    return found


def in_words(round_: Round, criterion: Criterion, value: int | None) -> str:
    """An answer as the panellist chose it: "Good – 4 of 5", or "4 of 5" when the level
    has no words, "Not scored" without a value."""
    if value is None:
        return _("Not scored")
    text = dict(levels(round_, criterion)).get(str(value), "")
    if text:
        return _("%(words)s – %(value)s of %(max)s", words=text, value=value,
                 max=round_.scale_max)
    return _("%(value)s of %(max)s", value=value, max=round_.scale_max)


def score_choices(round_: Round, criterion: Criterion) -> list[SelectChoice]:
    choices = [SelectChoice(value, Markup("{} – {}").format(
                   value, only_english(text, note=False) if english_only else text)
               if text else value)
               for value, (text, english_only) in reader_levels(round_, criterion).items()]
    # str(): a lazy string would reach the page unescaped (its apostrophe)
    return [*choices, SelectChoice(UNABLE, str(UNABLE_LABEL))]


def radio_options(field) -> list[tuple[str, str, str, bool, bool]]:
    """A radio field's choices as the score radios write them (templates/scoring/
    _macros.html): (id, value, label, chosen, last) each. The first takes the field's own
    id, which the error summary links to; the rest WTForms' ``<id>-<n>``."""
    choices = field.iter_choices()
    last = len(choices) - 1
    return [(field.id if n == 0 else f"{field.id}-{n}", choice.value,
             choice.label or choice.value, choice.selected, n == last)
            for n, choice in enumerate(choices)]


class ScoreForm(VersionForm):
    """One criterion's question; :func:`score_form` gives it the criterion's words and
    choices (made once, not a class per request: the question page is the page
    panellists ask for most, issue 17)."""

    score = RadioField(validators=[InputRequired()])


def score_form(round_: Round, criterion: Criterion, **kwargs) -> ScoreForm:
    form = ScoreForm(**kwargs)
    score = form.score
    score.label.text = content(criterion, "name")
    score.description = content(criterion, "guidance")
    score.choices = score_choices(round_, criterion)
    score.validators = [InputRequired(_("Choose a score, or choose \"%(unable)s\"",
                                        unable=UNABLE_LABEL))]
    return form


def sheet_form(round_: Round, **kwargs) -> VersionForm:
    """Every criterion on one page, for a panellist who chose that layout."""

    class SheetForm(CommentForm):
        action = HiddenField()

    for criterion in round_.criteria:
        setattr(SheetForm, f"c_{criterion.key}", RadioField(
            content(criterion, "name"), choices=score_choices(round_, criterion),
            description=content(criterion, "guidance"), validators=[Optional()]))
    return SheetForm(**kwargs)


def assisted_form(round_: Round, **kwargs) -> VersionForm:
    """Every criterion on one page, for an officer typing in a paper or phone sheet."""

    class AssistedForm(CommentForm):
        action = HiddenField()

    for criterion in round_.criteria:
        setattr(AssistedForm, f"c_{criterion.key}", RadioField(
            content(criterion, "name"), choices=score_choices(round_, criterion),
            description=content(criterion, "guidance"), validators=[Optional()]))
    return AssistedForm(**kwargs)
