"""A panellist who reads Welsh scores, follows the meeting and reads the public summary in
Welsh (issue 21): the pages say ``lang="cy"`` and the sentences below, checked by hand
against the catalogue; numbers take Welsh's own plural forms (1 cais, 2 gais, 3 chais,
6 chais)."""
from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest

from panel.extensions import db
from panel.i18n import in_language
from panel.reports import panel_page
from panel.reports import voice_text as words
from panel.rounds.setup import DEFAULT_DESCRIPTORS
from panel.scoring import forms
from tests.builders import people
from tests.builders.demo import DEMO_SLUG, OFFICER
from tests.builders.meetings import LIVED, sign_in, started
from tests.builders.rounds import scoring_round
from tests.builders.worked import SLUG
from tests.support.web import submit

BASE = "/my-rounds/test-round/A1"


def text_of(response) -> str:
    """The page's words, tags and spacing aside."""
    page = response.get_data(as_text=True)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def reads_welsh(email: str) -> None:
    people.user_named(email).language = "cy"
    db.session.commit()


@pytest.fixture
def amira(app, mailbox):
    """A Welsh-reading lived-experience panellist with application A1 to score."""
    scoring_round(members=("amira@example.org",))
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    reads_welsh("amira@example.org")
    submit(client, f"{BASE}/connection", {"answer": "none"})
    return client


def test_the_question_page_reads_in_welsh(amira):
    response = amira.get(f"{BASE}/question/1")
    assert '<html lang="cy">' in response.get_data(as_text=True)
    page = text_of(response)
    assert "Cwestiwn 1 o 2 · Growing food together" in page  # the title is the round's own
    assert "Dewiswch y sgôr sy'n gweddu orau." in page
    assert "Dydw i ddim yn teimlo y gallaf sgorio hwn" in page
    assert "Cadw a pharhau" in page and "Peidio â sgorio'r cais hwn" in page
    # The words the background save shows, for static/js/scoring.js
    assert 'data-saved-text="Wedi\'i gadw"' in response.get_data(as_text=True)
    assert "Save and continue" not in page and "Question 1" not in page


def test_a_missing_answer_is_explained_in_welsh(amira):
    page = text_of(submit(amira, f"{BASE}/question/1", {}))
    assert 'Dewiswch sgôr, neu dewiswch "Dydw i ddim yn teimlo y gallaf sgorio hwn"' in page


def test_check_your_answers_reads_in_welsh(amira):
    submit(amira, f"{BASE}/question/1", {"score": "4"})
    submit(amira, f"{BASE}/question/2", {"score": "unable"})
    check = amira.get(f"{BASE}/check")
    version = re.search(r'name="version"[^>]*value="(\d+)"', check.get_data(as_text=True))
    page = text_of(check)
    assert "Gwirio eich atebion" in page
    assert "Quality 4 o 5" in page  # this round's scale has no level words
    assert "Need Dydw i ddim yn teimlo y gallaf sgorio hwn" in page
    assert "Newid eich ateb i Quality" in page
    assert "Eich sylwadau Dim" in page
    assert "Ar ôl i chi eu hanfon, allwch chi ddim eu newid yma." in page
    assert "Cyflwyno fy sgorau" in page
    response = submit(amira, f"{BASE}/check", {"version": version.group(1)})
    assert response.status_code == 302
    mine = text_of(amira.get("/my-rounds/test-round"))
    assert "Mae eich sgorau wedi'u hanfon. Diolch!" in mine  # the flash
    assert "1 o 1 wedi'u gwneud." in mine


def test_the_follow_page_reads_in_welsh(meeting_round, chair, app, mailbox):
    lived = sign_in(app.test_client(), mailbox, LIVED)
    reads_welsh(LIVED)
    waiting = text_of(lived.get(f"/meetings/{SLUG}"))
    assert "Cyfarfod y panel" in waiting and "Yn aros am y cadeirydd" in waiting
    started(chair)
    page = text_of(lived.get(f"/meetings/{SLUG}"))
    assert "Yn cael ei drafod nawr" in page
    assert "Dywedoch chi: Quality 1 o 5 Need 1 o 5" in page
    assert "Mae hynny'n gwneud 0.0 allan o 100." in page
    assert "Newid eich sgôr" in page
    assert "Sgorau'r grwpiau" in page and "Sut sgoriodd pob person" in page
    assert "Mae'r dudalen hon yn diweddaru ei hun." in page
    assert "You said" not in page and "Score now" not in page


def test_the_public_summary_reads_in_welsh(demo_decided, client):
    from panel.accounts.services import find_user
    from panel.rounds import services as round_services
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    response = client.get(f"/rounds/{DEMO_SLUG}/report/summary",
                          headers={"Accept-Language": "cy"})
    assert '<html lang="cy">' in response.get_data(as_text=True)
    assert "Accept-Language" in response.headers["Vary"]  # a cache keeps each language
    page = text_of(response)
    for sentence in ("Crynodeb cyhoeddus", "Llais y gymuned", "Beth sy'n cael arian",
                     "Y cylch mewn rhifau", "Gwirio'r cofnod",
                     "Wedi'i wneud gyda FairPanel"):
        assert sentence in page, sentence
    assert re.search(r"Yn ôl y sgorau, mae \d+ c?h?g?ais yn cael arian", page)
    assert "Community voice" not in page and "By the scores" not in page


FUNDED = {  # the headline for n funded applications, in each of Welsh's plural forms
    1: "Yn ôl y sgorau, mae 1 cais yn cael arian, yn gofyn am £100 o'r gyllideb o £500.",
    2: "Yn ôl y sgorau, mae 2 gais yn cael arian, yn gofyn am £100 o'r gyllideb o £500.",
    3: "Yn ôl y sgorau, mae 3 chais yn cael arian, yn gofyn am £100 o'r gyllideb o £500.",
    6: "Yn ôl y sgorau, mae 6 chais yn cael arian, yn gofyn am £100 o'r gyllideb o £500.",
}


@pytest.mark.parametrize("n", sorted(FUNDED))
def test_welsh_counts_applications_in_its_own_plural_forms(app, n):
    with app.test_request_context(), in_language("cy"):
        assert words.funded_sentence(n, 100, 500, n, 100, False) == (
            FUNDED[n] + " Wnaeth penderfyniadau'r panel ddim newid hynny.")
    with app.test_request_context(), in_language("en"):
        assert words.funded_sentence(n, 100, 500, n, 100, False).startswith(
            f"By the scores, {n} application is funded" if n == 1 else
            f"By the scores, {n} applications are funded")


@pytest.mark.parametrize("n,projects,scored", [
    (1, "Edrychodd y panel ar 1 prosiect.", "1 cais wedi'i sgorio gan y ddau grŵp"),
    (2, "Edrychodd y panel ar 2 brosiect.", "2 gais wedi'u sgorio gan y ddau grŵp"),
    (3, "Edrychodd y panel ar 3 phrosiect.", "3 chais wedi'u sgorio gan y ddau grŵp"),
    (6, "Edrychodd y panel ar 6 phrosiect.", "6 chais wedi'u sgorio gan y ddau grŵp"),
])
def test_the_panel_page_and_the_agreement_sentence_count_in_welsh(app, n, projects, scored):
    report = {"applications": [{"final_funded": False, "requested_amount": 10,
                                "title": f"P{i}", "reference": f"A{i}"} for i in range(n)],
              "round": {"budget": 100}}
    with app.test_request_context(), in_language("cy"):
        assert panel_page._happened(report)[:3] == [
            projects, "Roedd £100 ar gael i'w rannu.", "Ni chafodd unrhyw brosiect arian."]
        assert f"Gyda dim ond {scored}, does dim digon o geisiadau" in \
            words.agreement_sentence("Academic", "Lived experience", 0.5, n)


def test_the_default_level_words_read_in_welsh_and_a_round_s_own_stay_as_set(app):
    round_ = SimpleNamespace(scale_min=1, scale_max=5, scale_descriptors=DEFAULT_DESCRIPTORS,
                             scale_descriptors_cy={})
    own = SimpleNamespace(descriptors={"4": "Real benefit"}, descriptors_cy={})
    with app.test_request_context(), in_language("cy"):
        assert forms.in_words(round_, SimpleNamespace(descriptors={}, descriptors_cy={}), 4) == "Da – 4 o 5"
        assert [words for _value, words in forms.levels(round_, SimpleNamespace(
            descriptors={}, descriptors_cy={}))] == ["Gwan iawn", "Gwan", "Iawn", "Da", "Ardderchog"]
        assert forms.in_words(round_, own, 4) == "Real benefit – 4 o 5"  # round content
        assert forms.in_words(round_, own, None) == "Heb ei sgorio"
    with app.test_request_context(), in_language("en"):
        assert forms.in_words(round_, SimpleNamespace(descriptors={}, descriptors_cy={}), 4) == "Good – 4 of 5"
