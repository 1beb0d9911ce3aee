"""Pieces shared by every domain's forms."""
from __future__ import annotations

import unicodedata

from babel import support
from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms.i18n import messages_path
from wtforms.widgets import HiddenInput


def strip_whitespace(value):
    """People paste addresses with spaces around them; that is not an error."""
    return value.strip() if isinstance(value, str) else value


class WTFormsMessages:
    """WTForms' own messages ("Not a valid choice.") in the page's language, each
    language's catalogue read once for the life of the process: Flask-WTF reads the file
    again for every request that makes a form (issue 17)."""

    def __init__(self) -> None:
        self._catalogues: dict[str, support.NullTranslations] = {}

    def _catalogue(self) -> support.NullTranslations:
        if not has_request_context():
            return NULL_CATALOGUE  # as Flask-WTF: WTForms' English outside a request
        locale = get_locale()
        key = str(locale)
        found = self._catalogues.get(key)
        if found is None:
            found = self._catalogues[key] = support.Translations.load(
                messages_path(), [locale], domain="wtforms")
        return found

    def gettext(self, string: str) -> str:
        return self._catalogue().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._catalogue().ungettext(singular, plural, n)


NULL_CATALOGUE = support.NullTranslations()
WTFORMS_MESSAGES = WTFormsMessages()


class Form(FlaskForm):
    """A Flask-WTF form whose WTForms messages come from :data:`WTFORMS_MESSAGES`."""

    class Meta:
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return WTFORMS_MESSAGES

        def render_field(self, field, render_kw):
            return hidden_input(field, render_kw) or super().render_field(field, render_kw)


def hidden_input(field, render_kw) -> Markup | None:
    """A plain hidden input (the CSRF token, a sheet's version) written out directly: the
    same HTML as WTForms' widget, without its general attribute machinery, which cost a
    sixth of the question page (issue 17). None for anything else, left to WTForms."""
    if (type(field.widget) is not HiddenInput or render_kw or field.render_kw
            or field.flags.disabled or getattr(field, "_datalist", None) is not None):
        return None
    return Markup(f'<input id="{escape(field.id)}" name="{escape(field.name)}" '
                  f'type="hidden" value="{escape(field._value())}">')


class ButtonForm(Form):
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
