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
    loose_raised_text,
    loose_text,
    messages,
    raises_words,
)

TEMPLATES = [path for path in STAFF_FACING if path.startswith("templates/")]
MODULES = sorted({path for path in PANELLIST_FACING + STAFF_FACING if path.endswith(".py")})


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_staff_template_has_no_words_outside_the_catalogue(template):
    assert loose_text(ROOT / template) == [], (
        f"{template} has words gettext never sees: mark them with _() or {{% trans %}}")


@pytest.mark.parametrize("path", STAFF_FACING)
def test_every_listed_staff_file_exists_and_gives_messages(path):
    assert (ROOT / path).is_file(), f"{path} is listed in STAFF_FACING but does not exist"
    assert messages([path]), f"{path} has no messages marked for gettext"


@pytest.mark.parametrize("path", MODULES)
def test_a_listed_module_raises_no_words_outside_the_catalogue(path):
    """A refusal a service raises is shown on a page (or printed by a command) as it is:
    its words go through gettext when it is raised, in the language of the request."""
    assert loose_raised_text(ROOT / path) == [], (
        f"{path} raises words gettext never sees: mark them with _() or ngettext(), "
        "with named placeholders and whole sentences")


def test_the_check_finds_words_raised_outside_the_catalogue(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "from flask_babel import gettext as _, ngettext\n"
        "class RoundError(ValueError):\n"
        "    pass\n"
        "def close(round_, n, name):\n"
        "    if n:\n"
        "        people = '1 record is' if n == 1 else f'{n} records are'\n"
        "        raise RoundError(f'{people} approved, so it cannot change.')\n"
        "    if not name:\n"
        "        raise RoundError('Enter a title for the round')\n"
        "    if name == 'x':\n"
        "        raise RoundError(f'{name} has no group called {n}')\n"
        "    if name == 'y':\n"
        "        raise RoundError(_('Choose how to assign the applications.'))\n"
        "    if name == 'z':\n"
        "        raise RoundError(ngettext('%(num)d score is outside', "
        "'%(num)d scores are outside', n))\n"
        "    if name == 'w':\n"
        "        raise TypeError(f'close() got unexpected keywords {name}')\n"
        "    return 'A sentence that is not raised.'\n",
        encoding="utf-8")
    assert loose_raised_text(module) == [
        (6, "1 record is"),
        (6, "… records are"),
        (7, "… approved, so it cannot change."),
        (9, "Enter a title for the round"),
        (11, "… has no group called …"),
    ]  # marked ones, the programmer's TypeError and words never raised are left alone
    assert raises_words(module)
    module.write_text("def f(n):\n    raise ValueError(n)\n", encoding="utf-8")
    assert not raises_words(module)


def test_the_catalogue_template_holds_every_staff_message():
    from babel.messages.pofile import read_po

    with (ROOT / "panel" / "translations" / "messages.pot").open("rb") as file:
        known = {message.id if isinstance(message.id, str) else message.id[0]
                 for message in read_po(file) if message.id}
    wanted = {message if isinstance(message, str) else message[0]
              for message in messages(STAFF_FACING)}
    assert sorted(wanted - known) == [], "run the extract step of `make translations`"


def test_every_template_and_every_module_with_words_is_in_a_list():
    """A new page, form, flash message or refusal cannot slip through unmarked: every
    template, and every module (command-line ones aside, H2's) that flashes a message,
    raises a validation error or an exception with a sentence, or defines form fields,
    is panellist-facing, staff-facing, or has a reason for holding no words of its own."""
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
    assert _has_words(ROOT / "panel/conflicts/services.py")  # raises ConflictError("…")


def _has_words(path) -> bool:
    """Whether a module calls flash() or ValidationError(), makes a form field, or raises
    an exception with a sentence in it (``raise XError("…")`` or an f-string)."""
    def name(call: ast.Call) -> str:
        function = call.func
        return getattr(function, "id", None) or getattr(function, "attr", "")
    return raises_words(path) or any(
        isinstance(node, ast.Call)
        and (name(node) in ("flash", "ValidationError") or name(node).endswith("Field"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))
