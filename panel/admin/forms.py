"""Admin forms: inviting people and changing their staff roles."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length

from panel.accounts.models import ROLE_LABELS, STAFF_ROLES
from panel.forms import OneLine, strip_whitespace

ROLE_HINTS = {
    "officer": _l("Sets up rounds, imports applications and panellists, moves rounds on."),
    "auditor": _l("Reads every decision and the trail behind it. Cannot change anything."),
    "admin": _l("Invites people and changes their roles."),
}


class RolesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _roles_field(label, description) -> RolesField:
    return RolesField(
        label,
        description=description,
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES],
        validate_choice=True,
    )


class InviteForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Enter the person's name")),
                    Length(max=200, message=_l("Names can be up to 200 characters")),
                    OneLine()],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    email = EmailField(
        _l("Email address"),
        filters=[strip_whitespace],
        validators=[
            InputRequired(_l("Enter the person's email address")),
            Email(_l("Enter an email address like name@example.com"),
                  check_deliverability=False),
            Length(max=254, message=_l("Email addresses can be up to 254 characters")),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    roles = _roles_field(
        _l("Staff roles"),
        _l("Leave all unticked for a panellist: they sign in with an emailed link. "
           "Staff choose a password."),
    )


class RolesForm(FlaskForm):
    roles = _roles_field(_l("Staff roles"),
                         _l("Untick every role to make this person a panellist only."))


class EraseForm(FlaskForm):
    """Erasing a person's personal data: the reason goes on the decision trail."""

    reason = TextAreaField(
        _l("Why are you erasing this person's data?"),
        description=_l("For example: “Asked to be forgotten by e-mail on 3 March 2027”. "
                       "It is kept on the decision trail."),
        filters=[strip_whitespace],
        validators=[InputRequired(_l("Give the reason for erasing this person's data")),
                    Length(max=1000, message=_l("Write 1000 characters or fewer"))],
    )
    force = BooleanField(
        _l("Erase now, although a round they are on is still open"),
        description=_l("Their scores stay and still count; their name, e-mail and words go."),
    )
    understood = BooleanField(
        _l("I understand this cannot be undone"),
        validators=[InputRequired(_l("Tick the box to confirm you understand this cannot be "
                                     "undone"))],
    )
