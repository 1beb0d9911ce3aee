"""One-line fields refuse line breaks, control characters and direction overrides
(issue 22, items 6 and 7): in the browser (inviting someone, a round's title), in the
imports (a bundle's applications and panellists), and on the command line."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from panel.accounts.services import find_user
from panel.forms import one_line_problem
from tests.builders import people
from tests.support.web import submit

EVE = "Eve\r\nBcc: victim@evil.example"


@pytest.mark.parametrize(("text", "words"), [
    ("Eve\r\nBcc: x@y", "line break after character 3"),
    ("Garden project\r=cmd", "line break after character 14"),
    ("Tab\there", "Character 4 is an invisible control character (U+0009)"),
    ("abc\u202etxt.exe", "Character 4 is an invisible direction mark (U+202E)"),
])
def test_what_is_wrong_is_said_with_where(text, words):
    assert words in one_line_problem(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=60))
@settings(max_examples=200, deadline=None)
def test_printable_text_without_direction_overrides_is_one_line(text):
    overrides = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert (one_line_problem(text) == "") == (not overrides & set(text))


def test_an_admin_cannot_invite_a_name_with_a_line_break(app, client, mailbox):
    people.staff("admin@example.org", "admin")
    people.sign_in_staff(client, "admin@example.org")
    page = submit(client, "/admin/people/invite",
                  {"name": EVE, "email": "eve@example.org"}).get_data(as_text=True)
    assert "This must be on one line, but it has a line break after character 3" in page
    assert find_user("eve@example.org") is None
    assert mailbox.to("eve@example.org") == []


def test_the_command_line_refuses_it_too(app, runner):
    result = runner.invoke(args=["accounts", "invite", "eve@example.org", "--name", EVE])
    assert result.exit_code != 0
    assert "not one plain line" in result.output and "line break" in result.output
    assert find_user("eve@example.org") is None
