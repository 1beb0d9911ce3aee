"""How sure the ranking is, on the officer's ranking page (DESIGN.md §3a): while the
model is off or not worked out the page says so plainly (with the button when working it
out would help); once worked out, the interval plot, its sentence and its table."""
from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from panel.extensions import db
from panel.scoring.models import RankModelResult
from tests.builders.rank_model import HAND_MADE, keep, keep_hand_made
from tests.builders.worked import SLUG

BUTTON = "Work out how sure the ranking is"


def page(client) -> str:
    response = client.get(f"/rounds/{SLUG}/ranking")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_a_small_round_says_the_model_is_not_on(worked_round, officer):
    html = page(officer)
    assert "How sure is this ranking?" in html
    assert ("This round has 3 applications: how sure the ranking is is worked out "
            "automatically from 10.") in html
    assert BUTTON not in html and 'class="fp-intervals"' not in html


def test_turned_on_but_not_worked_out_offers_the_button(worked_round, officer, runner):
    runner.invoke(args=["round", "rank-model", SLUG, "--set", "on"])
    db.session.execute(sa.delete(RankModelResult))
    db.session.commit()
    html = page(officer)
    assert "has not yet worked out how sure the ranking is" in html
    assert BUTTON in html
    assert f'action="/rounds/{SLUG}/report/rank-model"' in html


def test_turned_off_says_so_without_a_button(worked_round, officer, runner):
    runner.invoke(args=["round", "rank-model", SLUG, "--set", "off"])
    html = page(officer)
    assert "setting for how sure the ranking is is off" in html
    assert BUTTON not in html


def test_worked_out_the_plot_its_sentence_and_table_agree(worked_round, officer, runner):
    runner.invoke(args=["round", "rank-model", SLUG, "--set", "on"])
    db.session.execute(sa.delete(RankModelResult))
    keep(worked_round, HAND_MADE)
    html = page(officer)
    assert ("These 2 applications are too close to call: their 90 % intervals reach "
            "across the funding line (after rank 2)") in html
    svg = html[html.index('<svg class="fp-intervals"'):]
    svg = svg[:svg.index("</svg>")]
    assert 'role="img" aria-labelledby="rank-intervals-sentence"' in svg
    assert svg.count('class="fp-intervals__dot"') == 3
    assert svg.count('class="fp-intervals__band"') == 2
    assert svg.count('class="fp-intervals__funding"') == 1
    table = html[html.index('id="rank-intervals-table"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<th scope="row" class="fp-table__header">(A\d)</th>', table)
    assert rows == ["A3", "A2", "A1"]  # by expected rank
    a1 = table[table.index(">A1</th>"):table.index("</tr>", table.index(">A1</th>"))]
    assert ">2.7<" in a1 and "3 to 3" in a1 and "2 to 3" in a1 and "Too close to call" in a1
    a3 = table[table.index(">A3</th>"):table.index("</tr>", table.index(">A3</th>"))]
    assert "Too close to call" not in a3
    assert BUTTON not in html


def report_page(client) -> str:
    response = client.get(f"/rounds/{SLUG}/report")
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_the_report_says_how_sure_the_ranking_is_in_plain_words(worked_round, officer):
    keep_hand_made(worked_round)
    html = report_page(officer)
    section = html[html.index('<section class="fp-voice-section" aria-labelledby="sure-heading">'):]
    section = section[:section.index("</section>")]
    assert "How sure is this ranking?" in section
    assert ("These 2 applications are too close to call: their 90 % intervals reach across "
            "the funding line (after rank 2), so the panel's scores cannot tell whether they "
            "belong above or below it.") in section
    assert ("Of the 3 applications with a score, 1 is clearly above the funding line, none "
            "clearly below it and 2 too close to call.") in section
    assert "that is the group's voice, and it is kept" in section
    assert 'href="#sure-heading"' in html  # in the report's contents
    assert section.count('<th scope="row" class="fp-table__header">A') == 3


def test_the_report_without_the_model_says_why(worked_round, officer):
    section = report_page(officer)
    section = section[section.index('aria-labelledby="sure-heading"'):]
    section = section[:section.index("</section>")]
    assert "This round has 3 applications" in section
    assert "Of the" not in section and "<svg" not in section
