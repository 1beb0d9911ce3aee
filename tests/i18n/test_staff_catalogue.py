"""Every page staff read is marked for gettext, so it can be translated (issue 21; the
list is tests/support/catalogue.py's STAFF_FACING). Staff pages stay English until a
Welsh catalogue for them is commissioned, so Welsh is not required here."""
from __future__ import annotations

import ast

import pytest

from tests.support.catalogue import (
    NOT_WORDS_FOR_PEOPLE,
    PANELLIST_FACING,
    ROOT,
    STAFF_FACING,
    loose_text,
    messages,
)

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


def test_every_template_and_every_module_with_words_is_in_a_list():
    """A new page, form or flash message cannot slip through unmarked: every template,
    and every module (command-line ones aside, H2's) that flashes a message, raises a
    validation error or defines form fields, is panellist-facing, staff-facing, or has
    a reason for holding no words of its own."""
    listed = set(PANELLIST_FACING) | set(STAFF_FACING) | set(NOT_WORDS_FOR_PEOPLE)
    templates = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*")
                       if path.is_file())
    modules = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "panel").rglob("*.py")
                     if not path.name.endswith("cli.py") and _has_words(path))
    assert [path for path in templates + modules if path not in listed] == [], (
        "add each to PANELLIST_FACING or STAFF_FACING in tests/support/catalogue.py "
        "(marking its words for gettext), or to NOT_WORDS_FOR_PEOPLE with the reason")
    for path, reason in NOT_WORDS_FOR_PEOPLE.items():
        assert (ROOT / path).is_file() and reason, path
        if path.startswith("templates/"):
            assert loose_text(ROOT / path) == [], f"{path} has words: list it, and mark them"
    # The check finds what it says it does: these modules flash, raise and define fields.
    assert [_has_words(ROOT / path) for path in (
        "panel/admin/views.py", "panel/auditor/views.py", "panel/admin/forms.py",
        "panel/rounds/models.py")] == [True, True, True, False]


def _has_words(path) -> bool:
    """Whether a module calls flash() or ValidationError(), or makes a form field."""
    def name(call: ast.Call) -> str:
        function = call.func
        return getattr(function, "id", None) or getattr(function, "attr", "")
    return any(isinstance(node, ast.Call)
               and (name(node) in ("flash", "ValidationError") or name(node).endswith("Field"))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
