"""Admin forms: inviting people and changing their staff roles."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length

from panel.accounts.models import ROLE_LABELS, STAFF_ROLES
from panel.forms import OneLine, strip_whitespace

ROLE_HINTS = {
    "officer": "Sets up rounds, imports applications and panellists, moves rounds on.",
    "auditor": "Reads every decision and the trail behind it. Cannot change anything.",
    "admin": "Invites people and changes their roles.",
}


class RolesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _roles_field(label: str, description: str) -> RolesField:
    return RolesField(
        label,
        description=description,
        choices=[SelectChoice(role, ROLE_LABELS[role]) for role in STAFF_ROLES],
        validate_choice=True,
    )


class InviteForm(FlaskForm):
    name = StringField(
        "Full name",
        filters=[strip_whitespace],
        validators=[InputRequired("Enter the person's name"),
                    Length(max=200, message="Names can be up to 200 characters"), OneLine()],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    email = EmailField(
        "Email address",
        filters=[strip_whitespace],
        validators=[
            InputRequired("Enter the person's email address"),
            Email("Enter an email address like name@example.com", check_deliverability=False),
            Length(max=254, message="Email addresses can be up to 254 characters"),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    roles = _roles_field(
        "Staff roles",
        "Leave all unticked for a panellist: they sign in with an emailed link. "
        "Staff choose a password.",
    )


class RolesForm(FlaskForm):
    roles = _roles_field("Staff roles", "Untick every role to make this person a panellist only.")


class EraseForm(FlaskForm):
    """Erasing a person's personal data: the reason goes on the decision trail."""

    reason = TextAreaField(
        "Why are you erasing this person's data?",
        description="For example: “Asked to be forgotten by e-mail on 3 March 2027”. "
                    "It is kept on the decision trail.",
        filters=[strip_whitespace],
        validators=[InputRequired("Give the reason for erasing this person's data"),
                    Length(max=1000, message="Write 1000 characters or fewer")],
    )
    force = BooleanField(
        "Erase now, although a round they are on is still open",
        description="Their scores stay and still count; their name, e-mail and words go.",
    )
    understood = BooleanField(
        "I understand this cannot be undone",
        validators=[InputRequired("Tick the box to confirm you understand this cannot be "
                                  "undone")],
    )
