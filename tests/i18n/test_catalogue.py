"""Everything a panellist or the public reads is in the catalogues, and in Welsh
(issue 21; the list is tests/support/catalogue.py's PANELLIST_FACING)."""
from __future__ import annotations

import pytest

from tests.support.catalogue import (
    PANELLIST_FACING,
    ROOT,
    compiled_differs,
    loose_text,
    messages,
    untranslated,
)

TEMPLATES = [path for path in PANELLIST_FACING if path.startswith("templates/")]


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_panellist_facing_template_has_no_words_outside_the_catalogue(template):
    assert loose_text(ROOT / template) == [], (
        f"{template} has words gettext never sees: mark them with _() or {{% trans %}}")


@pytest.mark.parametrize("path", PANELLIST_FACING)
def test_the_welsh_catalogue_translates_every_panellist_facing_message(path):
    assert untranslated("cy", messages([path])) == [], (
        f"panel/translations/cy has no finished Welsh for these messages of {path}: "
        "run `make translations` and translate them")


def test_the_compiled_catalogues_say_what_the_catalogues_say():
    assert not compiled_differs("cy"), "run `make translations` to compile the Welsh catalogue"


def test_the_check_finds_words_outside_the_catalogue(tmp_path):
    template = tmp_path / "page.html"
    template.write_text(
        '{% extends "base.html" %}{% from "macros/forms.html" import button %}\n'
        "{% block title %}{{ _('Your scores') }}{% endblock %}\n"
        '<h1 class="fp-heading">Check your answers</h1>\n'
        '<a href="{{ url }}" aria-label="Close the box">{{ _("Back") }}</a>\n'
        "{{ button(\"Save and continue\", classes='fp-button fp-button--secondary') }}\n"
        "{{ button(_(\"Send\")) }} {{ _('Hello %(name)s', name=first('Amira')) }}\n"
        "{% trans count=n %}{{ count }} application{% pluralize %}{{ count }} applications"
        "{% endtrans %}\n<p>&nbsp;&middot; {{ n }} – £</p>\n"
        "<script>var words = 'not for people';</script>\n",
        encoding="utf-8")
    assert loose_text(template) == [
        (3, "Check your answers"),
        (4, "aria-label=Close the box"),
        (5, "Save and continue"),
    ]  # 'Amira' is an argument of a call inside _(): a value, not words to translate


def test_the_check_finds_a_message_welsh_lacks(tmp_path):
    known = messages(["templates/base.html"])
    assert "Skip to main content" in known
    assert untranslated("cy", {"Skip to main content", "A message nobody translated"}) == [
        "A message nobody translated"]
