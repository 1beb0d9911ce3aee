"""Pieces shared by every domain's forms."""
from __future__ import annotations

from flask_wtf import FlaskForm


def strip_whitespace(value):
    """People paste addresses with spaces around them; that is not an error."""
    return value.strip() if isinstance(value, str) else value


class ButtonForm(FlaskForm):
    """A form that is only a button (confirm, remove, move, skip, send reminders, carry
    on signing in): CSRF protection and nothing else. Opening a link never changes
    anything by itself, so mail scanners that follow links use up nothing."""
