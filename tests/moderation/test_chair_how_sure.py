"""The chair's screen shows how sure the current item's rank is (issue 18, DESIGN.md
§3a): its expected rank, its 50 % and 90 % intervals in words and as a one-row plot, and
whether it is too close to call at the funding line. Only the chair's screen: the shared
screen and panellists' phones show no model figures. Nothing while the model is not
worked out."""
from __future__ import annotations

import re
from html import unescape

from tests.builders.meetings import started
from tests.builders.rank_model import keep_hand_made
from tests.builders.worked import SLUG

CHAIR_PAGE = f"/rounds/{SLUG}/meeting"
# From the hand-made result (tests/builders/rank_model.py): the line is after rank 2.
SENTENCES = {
    "A1": "Expected rank 2.7 of 3: as likely as not rank 3, very likely between ranks 2 "
          "and 3. Too close to call: its 90 % interval reaches across the funding line "
          "(after rank 2).",
    "A2": "Expected rank 2.2 of 3: as likely as not rank 2, very likely between ranks 1 "
          "and 3. Too close to call: its 90 % interval reaches across the funding line "
          "(after rank 2).",
    "A3": "Expected rank 1.1 of 3: as likely as not rank 1, very likely between ranks 1 "
          "and 2. Clearly above the funding line (after rank 2).",
}


def test_the_chair_sees_the_current_items_rank_and_intervals(meeting_round, chair, lived):
    page = unescape(started(chair))
    assert "How sure is its rank?" not in page  # not worked out yet: nothing to show
    keep_hand_made(meeting_round)
    page = unescape(chair.get(CHAIR_PAGE).get_data(as_text=True))
    current = re.search(r'data-item="([^"]+)"', page).group(1)
    assert "How sure is its rank?" in page
    assert SENTENCES[current] in page
    svg = page[page.index('<svg class="fp-intervals"'):]
    svg = svg[:svg.index("</svg>")]
    assert 'aria-labelledby="item-how-sure"' in svg and svg.count("fp-intervals__dot") == 1
    assert svg.count("fp-intervals__band") == (0 if current == "A3" else 1)
    for other in (chair.get(f"{CHAIR_PAGE}/screen"), lived.get(f"/meetings/{SLUG}")):
        text = unescape(other.get_data(as_text=True))
        assert other.status_code == 200 and "How sure" not in text
        assert "Expected rank" not in text
