"""Forms of the officer's conflict review pages. No database access: the view sets the
choices of members."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
        _l("Why are you dismissing this conflict?"),
        description=_l("This is kept on the round's record, with your name."),
        filters=[strip_whitespace],
        validators=[DataRequired(_l("Enter why you are dismissing this conflict")),
                    Length(max=2000, message=_l("Keep the reason to 2,000 characters or fewer"))],
    )


class AddConflictForm(FlaskForm):
    member = SelectField(_l("Panel member"), coerce=int,
                         validators=[InputRequired(_l("Choose the panel member"))])
    reference = StringField(
        _l("Application reference"), description=_l("For example, A12."), filters=[strip_whitespace],
        validators=[DataRequired(_l("Enter the application reference"))],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    kind = RadioField(_l("Kind of connection"),
                      choices=[SelectChoice(k, w) for k, w in KIND_WORDS.items()],
                      validators=[InputRequired(_l("Choose the kind of connection"))])
    note = TextAreaField(_l("Note"), description=_l("Optional. What the connection is."),
                         filters=[strip_whitespace],
                         validators=[Length(max=2000, message=_l("Keep the note to 2,000 "
                                                              "characters or fewer"))])
    level = RadioField(_l("Level"), choices=[SelectChoice(k, w) for k, w in LEVEL_WORDS.items()],
                       default="step_out", validators=[InputRequired(_l("Choose the level"))])


class MatrixFilterForm(FlaskForm):
    """Read from the query string: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    member = SelectField(_l("Member"), coerce=lambda v: int(v) if v else None, default=None)
    group = SelectField(_l("Group"), default="")
    q = StringField(_l("Application reference or title"), filters=[strip_whitespace])
    status = SelectField(_l("Status"), default="", choices=[
        SelectChoice("", _l("Any status")), *(SelectChoice(s, STATUS_WORDS[s]) for s in STATUSES)])
    level = SelectField(_l("Level"), default="", choices=[
        SelectChoice("", _l("Any level")), *(SelectChoice(k, w) for k, w in LEVEL_WORDS.items())])
