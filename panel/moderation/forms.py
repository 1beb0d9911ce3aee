"""Forms of the meeting: the chair's outcome, and a panellist's revised score one
question per screen with the reason asked once at the end."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from panel.moderation.models import OUTCOME_LABELS
from panel.moderation.services import RATIONALE_MAX, REASON_MAX
from panel.rounds.content import content
from panel.rounds.models import Criterion, Round
from panel.scoring.forms import UNABLE_LABEL, score_choices

OUTCOME_HINTS = {
    "keep": _l("The application stays funded or not funded, as its score puts it."),
    "fund": _l("Fund it, whatever its score."),
    "do_not_fund": _l("Do not fund it, whatever its score."),
    "no_consensus": _l("The panel could not agree. The score-based result stands."),
}


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        _l("What did the panel decide?"),
        choices=[SelectChoice(key, label) for key, label in OUTCOME_LABELS.items()],
        validators=[InputRequired(_l("Choose what the panel decided"))])
    rationale = TextAreaField(
        _l("Why? (you can leave this empty for \"Keep\")"),
        description=_l("This goes on the record and in the report."),
        validators=[Length(max=RATIONALE_MAX,
                           message=_l("Write %(max)s characters or fewer",
                                      max=f"{RATIONALE_MAX:,}"))])


class ItemForm(FlaskForm):
    """Every form of the revise screens names the item it was shown for, so that a form
    sent after the chair moved on changes nothing."""

    application = HiddenField()


class ReasonForm(ItemForm):
    """The check screen of a revised score: the reason, asked once."""

    reason = TextAreaField(
        _l("Why are you changing your score?"),
        filters=[lambda text: text.strip() if text else text],
        validators=[DataRequired(_l("Say in a few words why you are changing your score")),
                    Length(max=REASON_MAX, message=_l("Write %(max)s characters or fewer",
                                                      max=REASON_MAX))])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Made in the request, as a plain string: a lazy one reaches the page unescaped.
        self.reason.description = _("A few words are enough, for example \"I heard more "
                                    "about who it helps\".")


def revise_question_form(round_: Round, criterion: Criterion, **kwargs) -> ItemForm:
    """One question of a revised score, with the same choices and words as scoring."""

    class QuestionForm(ItemForm):
        score = RadioField(content(criterion, "name"), choices=score_choices(round_, criterion),
                           description=content(criterion, "guidance"),
                           validators=[InputRequired(
                               _("Choose a score, or choose \"%(unable)s\"",
                                 unable=UNABLE_LABEL))])

    return QuestionForm(**kwargs)


class DrawForm(FlaskForm):
    """The chair's draw: the public input typed in the room (checked by the service,
    which says what to fix)."""

    public_input = TextAreaField(
        _l("Public input"),
        description=_l("Anything the room chooses, typed exactly as agreed: for example "
                       "numbers called out by three panellists, like 7 19 42."))
