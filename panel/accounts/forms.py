"""Sign-in, password and two-step sign-in forms. Messages say what to do, in plain
words. The password rules themselves live in :mod:`panel.accounts.passwords`: they need
to know whose password it is, so the view applies them."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Regexp, ValidationError

from panel.accounts import passwords
from panel.forms import strip_whitespace


def _without_spaces(value):
    """Apps show "123 456"; people type it that way."""
    return re.sub(r"\s+", "", value) if isinstance(value, str) else value


class SignInLinkForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip_whitespace],
        description=_l("We'll email you a link. Open it on this phone or computer to sign "
                       "in."),
        validators=[
            InputRequired(_l("Enter your email address")),
            Email(_l("Enter an email address like name@example.com"),
                  check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class StaffSignInForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[strip_whitespace],
        validators=[
            InputRequired(_l("Enter your email address")),
            Email(_l("Enter an email address like name@example.com"), check_deliverability=False),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )


class _NewPassword:
    """The rules of :mod:`panel.accounts.passwords` for ``person`` (who has an ``email``
    and a ``name``), on the field called ``password``."""

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def validate_password(self, field):
        found = passwords.problems(field.data, email=getattr(self.person, "email", ""),
                                   name=getattr(self.person, "name", ""))
        if found:
            raise ValidationError(found[0])


class ChoosePasswordForm(_NewPassword, FlaskForm):
    password = PasswordField(
        _l("Choose a password"),
        description=passwords.HINT,
        validators=[InputRequired(_l("Choose a password"))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Type the password again"),
        validators=[
            InputRequired(_l("Type the password again")),
            EqualTo("password", _l("The two passwords do not match. Type them again")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(_NewPassword, FlaskForm):
    current = PasswordField(
        _l("Your current password"),
        validators=[InputRequired(_l("Enter your current password"))],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        description=passwords.HINT,
        validators=[InputRequired(_l("Choose a new password"))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            InputRequired(_l("Type the new password again")),
            EqualTo("password", _l("The two new passwords do not match. Type them again")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Enter the code from your authenticator app"),
        filters=[_without_spaces],
        description=_l("The 6-digit code your app shows for FairPanel now, for example 123456."),
        validators=[
            InputRequired(_l("Enter the 6-digit code from your authenticator app")),
            Regexp(r"^\d{6}$", message=_l("The code must be 6 digits, like 123456")),
        ],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "spellcheck": "false"},
    )


class RecoveryCodeForm(FlaskForm):
    code = StringField(
        _l("Enter one of your recovery codes"),
        filters=[strip_whitespace],
        description=_l("One of the 10 codes you saved when you set up two-step sign-in, "
                       "for example 4f7k-9m2q-x8rt-1bzc. Each code works once."),
        validators=[InputRequired(_l("Enter one of your recovery codes"))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"},
    )
