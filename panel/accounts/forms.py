"""Sign-in and password forms. Messages say what to do, in plain words."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from panel.forms import strip_whitespace
from wtforms.validators import Email, EqualTo, InputRequired, Length

MIN_PASSWORD = 12
MAX_PASSWORD = 128



class SignInLinkForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip_whitespace],
        description="We'll email you a link. Open it on this phone or computer to sign in.",
        validators=[
            InputRequired("Enter your email address"),
            Email("Enter an email address like name@example.com", check_deliverability=False),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class StaffSignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[strip_whitespace],
        validators=[
            InputRequired("Enter your email address"),
            Email("Enter an email address like name@example.com", check_deliverability=False),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password")],
        render_kw={"autocomplete": "current-password"},
    )


class ChoosePasswordForm(FlaskForm):
    password = PasswordField(
        "Choose a password",
        description=f"At least {MIN_PASSWORD} characters. A few unrelated words make a good one.",
        validators=[
            InputRequired("Choose a password"),
            Length(MIN_PASSWORD, MAX_PASSWORD,
                   f"Your password must be between {MIN_PASSWORD} and {MAX_PASSWORD} characters"),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Type the password again",
        validators=[
            InputRequired("Type the password again"),
            EqualTo("password", "The two passwords do not match. Type them again"),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ContinueForm(FlaskForm):
    """A button-only form: opening a link never signs anyone in by itself, so mail
    scanners that follow links cannot use up a one-time link."""
