"""Pieces shared by every domain's forms."""
from __future__ import annotations

import unicodedata

from flask_babel import gettext as _
from flask_wtf import FlaskForm


def strip_whitespace(value):
    """People paste addresses with spaces around them; that is not an error."""
    return value.strip() if isinstance(value, str) else value


class ButtonForm(FlaskForm):
    """A form that is only a button (confirm, remove, move, skip, send reminders, carry
    on signing in): CSRF protection and nothing else. Opening a link never changes
    anything by itself, so mail scanners that follow links use up nothing."""


# Text that changes how the text around it is shown: bidirectional overrides and isolates.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def one_line_problem(text: str) -> str:
    """What is wrong with ``text`` as a one-line field (a name, a title, a reference), in
    words that say what to fix; "" when nothing is. A line break or another control
    character would split an e-mail header or a CSV row; a right-to-left override would
    show the text around it backwards (issue 22)."""
    if text.isprintable():
        return ""  # no control character, line or paragraph separator, nor format mark
    for position, character in enumerate(text, start=1):
        category = unicodedata.category(character)
        if character in "\r\n\x85" or category in ("Zl", "Zp"):
            return _("This must be on one line, but it has a line break after character "
                     "%(position)s. Remove the line break.", position=position - 1)
        if category == "Cc":
            return _("Character %(position)s is an invisible control character "
                     "(U+%(code)s). Remove it.", position=position, code=f"{ord(character):04X}")
        if character in BIDI_CONTROLS:
            return _("Character %(position)s is an invisible direction mark (U+%(code)s) "
                     "that would show the text around it backwards. Remove it.",
                     position=position, code=f"{ord(character):04X}")
    return ""


class OneLine:
    """WTForms validator: :func:`one_line_problem`."""

    def __call__(self, form, field) -> None:
        from wtforms.validators import ValidationError

        problem = one_line_problem(field.data or "")
        if problem:
            raise ValidationError(problem)
