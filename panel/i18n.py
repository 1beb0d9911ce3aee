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
from jinja2 import pass_context
from markupsafe import Markup

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
    """A page asks for two dozen words. Flask-Babel finds the request's context, locale,
    domain and catalogue again for each, and Jinja's i18n extension reaches the words
    through three calls of its own (``_`` resolves ``gettext``, which calls the function
    given to it): a fifth of the question page (issue 17). Here the catalogue is kept per
    language, found from the locale Flask-Babel chose for the request (or forced, for an
    e-mail), and ``_``/``gettext`` and their plural and context forms are the extension's
    own "newstyle" functions with those layers taken out: the same words, the same
    escaping, the same ``%`` formatting, found in one step."""
    catalogues = {}

    def catalogue():
        try:
            locale = g._flask_babel.babel_locale
        except (AttributeError, RuntimeError):  # not chosen yet in this request, or none
            return get_translations()
        key = (locale.language, locale.territory)
        found = catalogues.get(key)
        if found is None:
            found = catalogues[key] = get_translations()
        return found

    def finish(context, words, variables):
        # As jinja2.ext's newstyle functions: Markup where the template escapes, and
        # always a format string ("%%" is "%"); a string without "%" formats as itself.
        if context.eval_ctx.autoescape:
            words = Markup(words)
        return words % variables if variables or "%" in words else words

    @pass_context
    def gettext(context, string, /, **variables):
        return finish(context, catalogue().ugettext(string), variables)

    @pass_context
    def ngettext(context, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        return finish(context, catalogue().ungettext(singular, plural, num), variables)

    @pass_context
    def pgettext(context, string_context, string, /, **variables):
        variables.setdefault("context", string_context)
        return finish(context, catalogue().upgettext(string_context, string), variables)

    @pass_context
    def npgettext(context, string_context, singular, plural, num, /, **variables):
        variables.setdefault("context", string_context)
        variables.setdefault("num", num)
        return finish(context, catalogue().unpgettext(string_context, singular, plural, num),
                      variables)

    app.jinja_env.newstyle_gettext = True  # {% trans %} leaves the formatting to these
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext,
                                 pgettext=pgettext, npgettext=npgettext)
