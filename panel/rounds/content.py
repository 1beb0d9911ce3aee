"""Bilingual round content (issue 21): the Welsh a round may carry beside its English
(an application's ``title_cy`` and ``lay_summary_cy``, a criterion's ``name_cy``,
``guidance_cy`` and ``descriptors_cy``, the round's ``scale_descriptors_cy``).

A panellist reading in Welsh sees the Welsh where there is some; where there is only
English they see the English marked ``lang="en"`` (so a screen reader switches voice)
with a short note saying so. Everyone else, and every officer's page, sees the English.
Templates write ``{{ content(application, "title") }}``; a ``<title>`` or an attribute,
which cannot hold markup, ``{{ content_text(application, "title") }}``."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup

from panel.i18n import current_language

WELSH = "cy"


def reading_welsh() -> bool:
    return current_language() == WELSH


def _words(thing: Any, field: str) -> tuple[str, bool]:
    """(what to show, whether it is the English standing in for missing Welsh)."""
    english = getattr(thing, field, "") or ""
    if not reading_welsh():
        return english, False
    welsh = (getattr(thing, f"{field}_cy", "") or "").strip()
    return (welsh, False) if welsh else (english, bool(english.strip()))


def only_english(text: str, *, note: bool = True) -> Markup:
    """English shown to a Welsh reader: marked as English, with the note (unless
    ``note`` is False: a list, or a level of a scale, where it would repeat)."""
    marked = Markup('<span lang="en">{}</span>').format(text)
    if not note:
        return marked
    return marked + Markup(' <span class="fp-only-english">{}</span>').format(
        _("This is only available in English."))


def content(thing: Any, field: str, *, note: bool = True) -> Markup:
    """``thing``'s ``field`` in the reader's language, as markup for a page."""
    text, english_only = _words(thing, field)
    return only_english(text, note=note) if english_only else Markup.escape(text)


def content_text(thing: Any, field: str) -> str:
    """The same as plain text (Welsh where there is some, else English)."""
    return _words(thing, field)[0]


def level_words(round_: Any, criterion: Any) -> dict[str, tuple[str, bool]]:
    """Level → (words, English standing in for Welsh) for ``criterion``: its own
    descriptors, else the round's scale words; in Welsh where there are some."""
    own = bool(criterion.descriptors)
    english = (criterion.descriptors if own else round_.scale_descriptors) or {}
    welsh = ((criterion.descriptors_cy if own else round_.scale_descriptors_cy) or {}) \
        if reading_welsh() else {}
    found = {}
    for n in range(round_.scale_min, round_.scale_max + 1):
        level = str(n)
        cy = (welsh.get(level) or "").strip()
        en = english.get(level, "")
        found[level] = (cy, False) if cy else (en, bool(en) and reading_welsh())
    return found
