"""Welsh and English (issue 21): which language a page or an e-mail is written in.

Every string meant for people is marked for gettext (``_``, ``ngettext``, ``lazy_gettext``
in Python; ``{{ _("…") }}`` and ``{% trans %}`` in templates) and looked up in the
catalogues under ``panel/translations/`` (docs/translation.md says how to update them).
A page is in the signed-in person's chosen language; else the language chosen in this
browser (kept in the session, for people not signed in); else the browser's own
preference; else English. An e-mail is in its recipient's language (:func:`in_language`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, get_translations
from flask_login import current_user

# The languages FairPanel is written in, each named in its own language (how a reader
# looking for their language finds it).
LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
# The page's ``lang`` attribute: British English, Welsh.
HTML_LANG = {"en": "en-GB", "cy": "cy"}
SESSION_KEY = "language"

babel = Babel()


def is_language(value: object) -> bool:
    return isinstance(value, str) and value in LANGUAGES


def chosen_language() -> str:
    """The language of this request (Flask-Babel's locale selector)."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    user = current_user
    if user and user.is_authenticated and is_language(getattr(user, "language", None)):
        return user.language
    if is_language(session.get(SESSION_KEY)):
        return session[SESSION_KEY]
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language being written in now: the request's, or one forced for an e-mail."""
    locale = get_locale()
    return locale.language if locale is not None and is_language(locale.language) \
        else DEFAULT_LANGUAGE


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Write in ``language`` (a recipient's; English when they have not chosen)."""
    with force_locale(language if is_language(language) else DEFAULT_LANGUAGE):
        yield


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    babel.init_app(app, locale_selector=chosen_language)
    _templates_find_the_catalogue_once(app)

    @app.context_processor
    def language_context():
        language = current_language()
        return {"page_language": language, "html_lang": HTML_LANG[language],
                "languages": LANGUAGES}


def _templates_find_the_catalogue_once(app: Flask) -> None:
    """A page asks for two dozen words; Flask-Babel finds the request's context, locale,
    domain and catalogue again for each (a tenth of the question page, issue 17). Here
    the catalogue is kept per locale, found from the locale Flask-Babel chose for the
    request (or forced, for an e-mail): the same words, found once."""
    catalogues = {}

    def catalogue():
        try:
            locale = g._flask_babel.babel_locale
        except (AttributeError, RuntimeError):  # not chosen yet in this request, or none
            return get_translations()
        found = catalogues.get(locale)
        if found is None:
            found = catalogues[locale] = get_translations()
        return found

    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
    )
