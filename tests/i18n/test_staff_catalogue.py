"""Every page staff read is marked for gettext, so it can be translated (issue 21; the
list is tests/support/catalogue.py's STAFF_FACING). Staff pages stay English until a
Welsh catalogue for them is commissioned, so Welsh is not required here."""
from __future__ import annotations

import pytest

from tests.support.catalogue import ROOT, STAFF_FACING, loose_text, messages

TEMPLATES = [path for path in STAFF_FACING if path.startswith("templates/")]


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_staff_template_has_no_words_outside_the_catalogue(template):
    assert loose_text(ROOT / template) == [], (
        f"{template} has words gettext never sees: mark them with _() or {{% trans %}}")


@pytest.mark.parametrize("path", STAFF_FACING)
def test_every_listed_staff_file_exists_and_gives_messages(path):
    assert (ROOT / path).is_file(), f"{path} is listed in STAFF_FACING but does not exist"
    assert messages([path]), f"{path} has no messages marked for gettext"


def test_the_catalogue_template_holds_every_staff_message():
    from babel.messages.pofile import read_po

    with (ROOT / "panel" / "translations" / "messages.pot").open("rb") as file:
        known = {message.id if isinstance(message.id, str) else message.id[0]
                 for message in read_po(file) if message.id}
    wanted = {message if isinstance(message, str) else message[0]
              for message in messages(STAFF_FACING)}
    assert sorted(wanted - known) == [], "run the extract step of `make translations`"
