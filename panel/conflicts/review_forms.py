"""Forms of the officer's conflict review pages. No database access: the view sets the
choices of members."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from panel.conflicts.models import KIND_WORDS, LEVEL_WORDS, STATUS_WORDS, STATUSES
from panel.forms import strip_whitespace


class LevelForm(FlaskForm):
    level = HiddenField(validators=[InputRequired()])


class DismissForm(FlaskForm):
    reason = TextAreaField(
        "Why are you dismissing this conflict?",
        description="This is kept on the round's record, with your name.",
        filters=[strip_whitespace],
        validators=[DataRequired("Enter why you are dismissing this conflict"),
                    Length(max=2000, message="Keep the reason to 2,000 characters or fewer")],
    )


class AddConflictForm(FlaskForm):
    member = SelectField("Panel member", coerce=int,
                         validators=[InputRequired("Choose the panel member")])
    reference = StringField(
        "Application reference", description="For example, A12.", filters=[strip_whitespace],
        validators=[DataRequired("Enter the application reference")],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    kind = RadioField("Kind of connection",
                      choices=[SelectChoice(k, w) for k, w in KIND_WORDS.items()],
                      validators=[InputRequired("Choose the kind of connection")])
    note = TextAreaField("Note", description="Optional. What the connection is.",
                         filters=[strip_whitespace],
                         validators=[Length(max=2000, message="Keep the note to 2,000 "
                                                              "characters or fewer")])
    level = RadioField("Level", choices=[SelectChoice(k, w) for k, w in LEVEL_WORDS.items()],
                       default="step_out", validators=[InputRequired("Choose the level")])


class MatrixFilterForm(FlaskForm):
    """Read from the query string: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    member = SelectField("Member", coerce=lambda v: int(v) if v else None, default=None)
    group = SelectField("Group", default="")
    q = StringField("Application reference or title", filters=[strip_whitespace])
    status = SelectField("Status", default="", choices=[
        SelectChoice("", "Any status"), *(SelectChoice(s, STATUS_WORDS[s]) for s in STATUSES)])
    level = SelectField("Level", default="", choices=[
        SelectChoice("", "Any level"), *(SelectChoice(k, w) for k, w in LEVEL_WORDS.items())])
