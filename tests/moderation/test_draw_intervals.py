"""The chair's draw screen shows how sure the ranking is (DESIGN.md §3a): the interval
plot of expected ranks with the funding line and the grey zone, before and after the
lots are drawn; while the model is not worked out it says so, and offers the chair no
button (an officer works it out)."""
from __future__ import annotations

from html import unescape

from panel.extensions import db
from panel.moderation import lottery
from tests.builders import people
from tests.builders.meetings import CHAIR, sign_in
from tests.builders.rank_model import keep_hand_made
from tests.builders.worked import SLUG

DRAW = f"/rounds/{SLUG}/meeting/draw"


def chair_page(app, mailbox) -> str:
    chair = sign_in(app.test_client(), mailbox, CHAIR)
    response = chair.get(DRAW)
    assert response.status_code == 200
    return unescape(response.get_data(as_text=True))


def test_not_worked_out_the_chair_is_told_plainly(app, lottery_round, mailbox):
    page = chair_page(app, mailbox)
    assert "How sure is this ranking?" in page
    assert "has not yet worked out how sure the ranking is" in page
    assert "A programme officer can work it out from the round's ranking page." in page
    assert "Work out how sure the ranking is" not in page  # no button for the chair


def test_the_chair_sees_the_plot_before_and_after_the_draw(app, lottery_round, mailbox):
    keep_hand_made(lottery_round)
    sentence = ("These 2 applications are too close to call: their 90 % intervals reach "
                "across the funding line (after rank 2)")
    page = chair_page(app, mailbox)
    assert sentence in page
    svg = page[page.index('<svg class="fp-intervals"'):]
    svg = svg[:svg.index("</svg>")]
    assert svg.count('class="fp-intervals__band"') == 2  # A2 and A1
    assert 'aria-labelledby="draw-intervals-sentence"' in svg
    officer = people.staff("officer@example.org", "officer")
    lottery.prepare_draw(officer, lottery_round)
    lottery.draw(officer, lottery_round, "7 19 42")
    db.session.commit()
    page = chair_page(app, mailbox)
    assert "The lots were drawn with the public input" in page
    # The draw funds from the grey zone, but the plot keeps the line it was drawn from.
    assert sentence in page
