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
from tests.builders import rounds as round_builders
from tests.builders.bundles import demo_bundle, edit, problems_of, round_rows
from tests.support.web import submit

EVE = "Eve\r\nBcc: victim@evil.example"


@pytest.mark.parametrize(("text", "words"), [
    ("Eve\r\nBcc: x@y", "line break after character 3"),
    ("Garden project\r=cmd", "line break after character 14"),
    ("Tab\there", "Character 4 is an invisible control character (U+0009)"),
    ("Next\x85line", "line break after character 4"),
    ("Para\u2029graph", "line break after character 4"),
    ("Bell\x9b", "Character 5 is an invisible control character (U+009B)"),
    ("abc\u202etxt.exe", "Character 4 is an invisible direction mark (U+202E)"),
])
def test_what_is_wrong_is_said_with_where(text, words):
    assert words in one_line_problem(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
               max_size=60))
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


@pytest.mark.parametrize(("page", "data"), [
    ("/criteria/new", {"name": "Reach\u202e", "weight": "1", "key": ""}),
    ("/criteria/new", {"name": "Reach", "weight": "1", "key": "", "level_3": "OK\r\n=1"}),
    ("/groups/new", {"label": "Elders\x1b[2J", "weight": "1", "key": ""}),
])
def test_set_up_names_refuse_control_and_direction_characters(app, officer, page, data):
    round_builders.draft_round()
    before = round_rows()
    html = submit(officer, "/rounds/test-round/setup" + page, data).get_data(as_text=True)
    assert "There is a problem" in html
    assert "Remove it." in html or "Remove the line break." in html
    assert round_rows() == before


def test_each_connection_is_one_plain_line(app, mailbox):
    round_builders.scoring_round(members=("amira@example.org",))
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    html = submit(client, "/my-connections",
                  {"connections": "Food club\nEastgate\u2066 trust"}).get_data(as_text=True)
    assert "Line 2: Character 9 is an invisible direction mark (U+2066)" in html


@pytest.mark.parametrize(("file", "old", "new", "column", "words"), [
    ("panellists.csv", '"Kingsmere Geography Department"', '"Kingsmere\u2029Geography"',
     "affiliations", "Affiliation 1: This must be on one line"),
    ("round.json", '"label": "Academic"', '"label": "Acad\\u202eemic"', "groups",
     'The 1st group ("academic"): the label: Character 5 is an invisible direction mark'),
    ("round.json", '"Very weak"', '"Very\\r\\nweak"', "scale",
     "The scale: the descriptor of 1: This must be on one line"),
    ("round.json", '"title": "Community assets and health inequalities 2026"',
     '"title": "Community\\u0007 assets"', "title",
     "The title: Character 10 is an invisible control character (U+0007)"),
])
def test_bundle_names_and_labels_refuse_them_with_where(app, tmp_path, file, old, new, column,
                                                        words):
    folder = demo_bundle(tmp_path)
    edit(folder, file, old, new)
    problems = [p for p in problems_of(folder) if p.file == file]
    assert [p.column for p in problems] == [column]
    assert words in problems[0].message
