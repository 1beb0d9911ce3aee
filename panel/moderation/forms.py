"""Forms of the meeting: the chair's outcome and a panellist's revised score."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from panel.moderation.models import OUTCOME_LABELS
from panel.moderation.services import RATIONALE_MAX, REASON_MAX
from panel.rounds.models import Round
from panel.scoring.forms import UNABLE_LABEL, score_choices

OUTCOME_HINTS = {
    "keep": "The application stays funded or not funded, as its score puts it.",
    "fund": "Fund it, whatever its score.",
    "do_not_fund": "Do not fund it, whatever its score.",
    "no_consensus": "The panel could not agree. The score-based result stands.",
}


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        "What did the panel decide?",
        choices=[SelectChoice(key, label) for key, label in OUTCOME_LABELS.items()],
        validators=[InputRequired("Choose what the panel decided")])
    rationale = TextAreaField(
        "Why? (you can leave this empty for \"Keep\")",
        description="This goes on the record and in the report.",
        validators=[Length(max=RATIONALE_MAX,
                           message=f"Write {RATIONALE_MAX:,} characters or fewer")])


class RevisionForm(FlaskForm):
    revision = IntegerField(widget=HiddenInput(), default=0, validators=[Optional()])
    reason = TextAreaField(
        "Why are you changing your score?",
        description="A few words are enough, for example \"I heard more about who it helps\".",
        validators=[InputRequired("Say in a few words why you are changing your score"),
                    Length(max=REASON_MAX, message=f"Write {REASON_MAX} characters or fewer")])


def revision_form(round_: Round, **kwargs) -> RevisionForm:
    """Every criterion on one page, filled in with the member's current scores."""

    class Form(RevisionForm):
        pass

    for criterion in round_.criteria:
        setattr(Form, f"c_{criterion.key}", RadioField(
            criterion.name, choices=score_choices(round_, criterion),
            description=criterion.guidance,
            validators=[InputRequired(f"Choose a score for \"{criterion.name}\", or "
                                      f"\"{UNABLE_LABEL}\"")]))
    return Form(**kwargs)
