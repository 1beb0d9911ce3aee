"""Words FairPanel builds in Python and shows on pages read in the reader's language
(issue 21): the panel's decision ("Fund", "Do not fund", "Keep", "No consensus"), "No
group" / "Not in a group" beside a member, and the trail's action labels. Files keep
their stable English values or codes whoever downloads them (DESIGN.md §8).

The worked example (tests/builders/worked.py): the chair decided "do not fund" on A3
(funded by the scores, not after the decision); A1 and A2 have no decision. The Welsh
is the catalogue's (panel/translations/cy): "Peidio ag ariannu" for "Do not fund",
"Ariannu" for "Fund", "Dim grŵp" for "No group", "Ddim mewn grŵp" for "Not in a
group"."""
from __future__ import annotations

import csv
import html
import io
import re

import openpyxl
import pytest

from panel.auditor import trail
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.i18n import in_language
from panel.moderation.models import outcome_label
from panel.rounds.models import Application, MemberRole, PanelMember
from tests.builders import people
from tests.builders.meetings import CHAIR, started
from tests.builders.worked import SLUG
from tests.support.web import csrf_token

LIVED = "lived1@panel.example"
LONER = "loner@panel.example"


def text_of(response) -> str:
    page = response.get_data(as_text=True)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def table_text(response, table_id: str) -> str:
    """The words of one table of the page (by its id)."""
    page = response.get_data(as_text=True)
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.DOTALL)
    assert found, f"no table {table_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", found.group(0))).split())


def reads(email: str, language: str) -> None:
    people.user_named(email).language = language
    db.session.commit()


@pytest.fixture
def published(worked_round):
    worked_round.phase = "published"
    db.session.commit()
    return worked_round


@pytest.fixture
def panel_member(app, published, mailbox):
    """Lived One, on the worked example's panel, signed in; the round is published, so
    the whole panel reads its report."""
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, LIVED)
    return client


def with_a_member_in_no_group(round_) -> PanelMember:
    user = people.panellist(LONER, name="Lone Member")
    member = PanelMember(round_id=round_.id, user_id=user.id, group_id=None,
                         role=MemberRole.PANELLIST)
    db.session.add(member)
    db.session.commit()
    return member


# The decision, on the pages -------------------------------------------------------------

def test_the_outcome_label_follows_the_language_and_is_none_without_a_decision(app):
    with app.test_request_context():
        assert [outcome_label(o) for o in ("keep", "fund", "do_not_fund", "no_consensus")] \
            == ["Keep", "Fund", "Do not fund", "No consensus"]
        with in_language("cy"):
            assert [outcome_label(o) for o in ("keep", "fund", "do_not_fund",
                                               "no_consensus")] \
                == ["Cadw", "Ariannu", "Peidio ag ariannu", "Dim consensws"]
        assert outcome_label(None) is None and outcome_label("") is None


def test_the_panel_s_report_page_names_the_decision_in_welsh(panel_member):
    reads(LIVED, "cy")
    response = panel_member.get(f"/rounds/{SLUG}/report")
    assert response.status_code == 200
    assert '<html lang="cy">' in response.get_data(as_text=True)
    overrides = table_text(response, "override-list")
    assert "A3 Project three Peidio ag ariannu" in overrides
    # A3 is funded by the scores and not after the decision; A1 and A2 have no decision.
    before_after = table_text(response, "initial-final")
    assert "Peidio ag ariannu" in before_after
    # (the page's own sentences are staff text, English until their Welsh is commissioned)
    assert "Do not fund" not in overrides + before_after


def test_the_panel_s_report_page_names_the_decision_in_english(panel_member):
    reads(LIVED, "en")
    response = panel_member.get(f"/rounds/{SLUG}/report")
    assert "A3 Project three Do not fund" in table_text(response, "override-list")
    assert "Peidio" not in text_of(response)


def record(chair, outcome: str) -> str:
    """The chair records ``outcome`` on the item the meeting is on (A1, the first on the
    agenda); the page they come back to, in words."""
    page = chair.get(f"/rounds/{SLUG}/meeting").get_data(as_text=True)
    assert re.search(r'name="application"[^>]*value="A1"', page)
    return text_of(chair.post(f"/rounds/{SLUG}/meeting/outcome", data={
        "csrf_token": csrf_token(page), "application": "A1", "outcome": outcome,
        "rationale": "Strong local support"}, follow_redirects=True))


def test_the_chair_records_an_outcome_and_reads_it_in_welsh(meeting_round, chair):
    reads(CHAIR, "cy")
    started(chair)
    assert "Canlyniad wedi'i gofnodi ar gyfer A1: Ariannu." in record(chair, "fund")
    agenda = text_of(chair.get(f"/rounds/{SLUG}/meeting/agenda"))
    assert "Ariannu" in agenda and "Fund" not in agenda


def test_the_agenda_names_the_outcome_in_english_by_default(meeting_round, chair):
    started(chair)
    assert "Outcome recorded for A1: Do not fund." in record(chair, "do_not_fund")
    agenda = text_of(chair.get(f"/rounds/{SLUG}/meeting/agenda"))
    assert "Do not fund" in agenda and "Peidio" not in agenda


# The decision, in files: English or codes whoever downloads them -------------------------

def test_the_board_pack_keeps_the_english_decision_for_a_welsh_reader(published, officer):
    reads("officer@example.org", "cy")
    response = officer.get(f"/rounds/{SLUG}/report/board-pack.xlsx")
    assert response.status_code == 200
    pack = openpyxl.load_workbook(io.BytesIO(response.data))
    for sheet in ("Ranking", "Meeting"):
        header, *rows = list(pack[sheet].iter_rows(values_only=True))
        decisions = {row[header.index("Reference")]: row[header.index("Decision")]
                     for row in rows}
        assert decisions == {"A1": None, "A2": None, "A3": "Do not fund"}, sheet


def test_the_report_csv_keeps_the_decision_code_for_a_welsh_reader(published, officer):
    reads("officer@example.org", "cy")
    rows = list(csv.DictReader(io.StringIO(
        officer.get(f"/rounds/{SLUG}/report.csv").get_data(as_text=True))))
    assert {row["reference"]: row["decision"] for row in rows} == {
        "A1": "", "A2": "", "A3": "do_not_fund"}


# "No group" and "Not in a group" ---------------------------------------------------------

def test_the_public_summary_says_not_in_a_group_in_the_reader_s_language(published, client):
    with_a_member_in_no_group(published)
    welsh = text_of(client.get(f"/rounds/{SLUG}/report/summary",
                               headers={"Accept-Language": "cy"}))
    assert "Ddim mewn grŵp" in welsh and "Not in a group" not in welsh
    english = text_of(client.get(f"/rounds/{SLUG}/report/summary",
                                 headers={"Accept-Language": "en"}))
    assert "Not in a group" in english


def test_the_conflicts_page_says_no_group_in_welsh_and_the_export_in_english(
        worked_round, officer):
    member = with_a_member_in_no_group(worked_round)
    a1 = db.session.query(Application).filter_by(round_id=worked_round.id,
                                                 reference="A1").one()
    db.session.add(Conflict(member_id=member.id, application_id=a1.id, kind="local",
                            level="declared", source="officer", status="confirmed"))
    db.session.commit()
    reads("officer@example.org", "cy")
    matrix = text_of(officer.get(f"/rounds/{SLUG}/conflicts/matrix"))
    assert "Lone Member Dim grŵp" in matrix
    exported = list(csv.DictReader(io.StringIO(
        officer.get(f"/rounds/{SLUG}/conflicts.csv").get_data(as_text=True))))
    assert [(row["name"], row["group"], row["kind"]) for row in exported] == [
        ("Lone Member", "No group", "local")]


# The trail's action labels ---------------------------------------------------------------

def test_the_action_filter_sorts_each_kind_by_its_labels_as_shown(app):
    with app.test_request_context():
        choices = trail.action_choices()
    accounts = [label for value, label, group in choices
                if group == "Accounts and signing in" and not value.startswith(trail.ALL_OF)]
    assert accounts == sorted(accounts) and "Account created" in accounts
    assert ("all:accounts", "All: accounts and signing in", "Accounts and signing in") \
        in choices
    assert all(isinstance(label, str) for _value, label, _group in choices)


# A phase as a sentence names it ------------------------------------------------------------

def test_a_sentence_names_the_phase_in_words_not_its_code(worked_round, officer):
    worked_round.phase = "decided"
    db.session.commit()
    page = text_of(officer.get(f"/rounds/{SLUG}/conflicts"))
    assert "The round is decided: conflicts can no longer change." in page


def test_the_phase_words_filter_leaves_a_phase_it_does_not_know_as_it_is(app):
    with app.test_request_context():
        words = app.jinja_env.filters["phase_words"]
        assert [words(p) for p in ("draft", "scoring", "moderation", "decided", "published",
                                   "archived")] == [
            "draft", "scoring", "moderation", "decided", "published", "archived"]
