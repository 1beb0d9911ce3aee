"""The question page's rendering made cheaper (issue 17) must write the same page: a
hidden input written out directly is the HTML WTForms' own widget writes, and the words
templates ask for (``_``, ``gettext``, ``ngettext``, ``pgettext``, ``npgettext``) are found
in the reader's language, escaped and ``%``-formatted exactly as Jinja's i18n extension
does, in HTML pages and in plain-text e-mails alike."""
from __future__ import annotations

from flask_babel import force_locale, get_translations
from jinja2 import Environment
from markupsafe import Markup
from wtforms import HiddenField, IntegerField, StringField
from wtforms.widgets import HiddenInput

from panel.forms import Form, hidden_input


class Hidden(Form):
    version = IntegerField(widget=HiddenInput(), default=0)
    note = HiddenField()
    name = StringField()


def test_a_hidden_input_is_the_html_wtforms_writes(app):
    with app.test_request_context("/"):
        form = Hidden(data={"version": 7, "note": 'a "quoted" <b>&amp; note'})
        for field in (form.csrf_token, form.version, form.note):
            written = field()
            assert written == HiddenInput()(field), field.name  # WTForms' own widget
            assert isinstance(written, Markup)
        assert str(form.version()) == '<input id="version" name="version" type="hidden" value="7">'
        assert str(form.note()) == ('<input id="note" name="note" type="hidden" '
                                    'value="a &#34;quoted&#34; &lt;b&gt;&amp;amp; note">')


def test_anything_but_a_plain_hidden_input_is_left_to_wtforms(app):
    with app.test_request_context("/"):
        form = Hidden()
        assert hidden_input(form.name, {}) is None  # a text input
        assert hidden_input(form.note, {"class": "x"}) is None  # asked for more attributes
        assert form.note(class_="x") == ('<input class="x" id="note" name="note" '
                                         'type="hidden" value="">')


PAGE = ("{{ _('Saved') }}|{{ _('100%% of %(name)s', name=who) }}|{{ _('a < b') }}|"
        "{{ ngettext('%(num)s application', '%(num)s applications', count) }}|"
        "{{ pgettext('button', 'Back') }}|"
        "{% trans %}Hello {{ who }}{% endtrans %}")


def test_template_words_are_escaped_and_formatted_as_jinja_does(app):
    with app.test_request_context("/"):
        html = app.jinja_env.from_string(PAGE)
        text = app.jinja_env.overlay(autoescape=False).from_string(PAGE)
        assert html.render(who="<Amira & co>", count=2).split("|") == [
            "Saved", "100% of &lt;Amira &amp; co&gt;", "a < b", "2 applications", "Back",
            "Hello &lt;Amira &amp; co&gt;"]
        assert text.render(who="<Amira & co>", count=1).split("|") == [
            "Saved", "100% of <Amira & co>", "a < b", "1 application", "Back",
            "Hello <Amira & co>"]


def test_template_words_are_what_jinjas_own_functions_give(app):
    """Beside Jinja's i18n extension installed the stock way, on the same catalogue."""
    stock = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    stock.install_gettext_callables(
        gettext=lambda s: get_translations().ugettext(s),
        ngettext=lambda s, p, n: get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: get_translations().unpgettext(c, s, p, n), newstyle=True)
    with app.test_request_context("/"):
        for language in ("en", "cy"):
            with force_locale(language):
                for autoescape in (True, False):
                    ours = app.jinja_env.overlay(autoescape=autoescape).from_string(PAGE)
                    theirs = stock.overlay(autoescape=autoescape).from_string(PAGE)
                    for count in (1, 2):
                        values = {"who": "<Amira & co>", "count": count}
                        assert ours.render(values) == theirs.render(values)


def test_template_words_follow_the_language_in_force(app):
    with app.test_request_context("/"):
        page = app.jinja_env.from_string("{{ _('Saved') }} {{ _('Sign out') }}")
        english = page.render()
        with force_locale("cy"):
            welsh = page.render()
        assert english == "Saved Sign out"
        assert welsh == "Wedi'i gadw Allgofnodi"
        assert page.render() == english  # and back
