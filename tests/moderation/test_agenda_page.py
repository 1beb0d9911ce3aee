"""The meeting's agenda page (DESIGN.md §6, §9) on an agenda of 300 items
(tests/builders/long_agenda.py): each row's status and outcome in words, decided rows
without the green "Discuss now", the filters and their counts, the pages of 50 and their
edges, the item open now, and rows read a page at a time."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from panel.extensions import db
from panel.moderation import agenda_page, services
from panel.moderation import meeting as meetings
from panel.moderation.models import Meeting
from panel.rounds.queries import round_by_slug
from tests.builders import people
from tests.builders.long_agenda import long_agenda
from tests.builders.meetings import CHAIR
from tests.builders.worked import SLUG
from tests.support.pages import Cells
from tests.support.web import csrf_token

AGENDA = f"/rounds/{SLUG}/meeting/agenda"


@pytest.fixture
def long_meeting(meeting_round, chair):
    long_agenda(meeting_round)
    return chair


def rows(html: str) -> list[list[str]]:
    """The agenda table's body rows, cell by cell (order, application, status, gap,
    spread, rank, change)."""
    start = html.index('id="agenda"')
    parser = Cells()
    parser.feed(html[start:html.index("</table>", start)])
    return [row for row in parser.rows[1:] if row]


def row_html(html: str, reference: str) -> str:
    start = html.rindex("<tr", 0, html.index(f'id="item-{reference}"'))
    return html[start:html.index("</tr>", start)]


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page(client, **args) -> str:
    response = client.get(AGENDA, query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


# Rows ---------------------------------------------------------------------------------------------

def test_each_row_says_its_status_and_outcome_in_words(long_meeting):
    html = page(long_meeting)
    first = rows(html)[:5]
    assert [(row[0], row[1].split(":")[0], row[2]) for row in first] == [
        ("1", "A1", "Decided: Fund"),
        ("2", "A2", "Decided: Do not fund"),
        ("3", "A3", "Skipped"),
        ("4", "B4", "Waiting"),
        ("5", "B5", "Waiting"),
    ]
    # The worked example's figures stay beside its rows; an unscored item has no rank.
    assert first[0][3:6] == ["87.5", "100.0", "3"]
    assert first[3][3:6] == ["0.0", "0.0", "–"]
    # Each outcome has its own shape as well as its own colour.
    shapes = {reference: re.search(r"<svg[^>]*>(.*?)</svg>", row_html(html, reference)).group(1)
              for reference in ("A1", "A2", "A3", "B4")}
    assert len(set(shapes.values())) == 4


def test_a_decided_row_offers_a_quiet_discuss_again_not_the_green_discuss_now(long_meeting):
    html = page(long_meeting)
    decided = row_html(html, "A1")
    assert "Discuss now" not in decided and "Take next" not in decided
    assert re.search(r'class="fp-button fp-button--secondary" name="action" value="open">'
                     r'Discuss again', decided)
    assert not re.search(r'class="fp-button " ', decided)  # no primary button at all
    waiting = row_html(html, "B4")
    assert re.search(r'class="fp-button " name="action" value="open">Discuss now', waiting)


def test_discuss_again_takes_a_decided_item_back_to_the_meeting(long_meeting):
    token = csrf_token(page(long_meeting))
    response = long_meeting.post(f"{AGENDA}/A1", data={"csrf_token": token, "action": "open"})
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{SLUG}/meeting")
    row = row_html(page(long_meeting), "A1")
    assert "Now" in words(row) and "Decided: Fund" in words(row)


# Filters ----------------------------------------------------------------------------------------

def test_the_filters_show_their_counts_and_the_one_chosen(long_meeting):
    html = page(long_meeting, show="decided")
    nav = html[html.index('aria-label="Show applications"'):html.index("</nav>",
                                                                       html.index("Show applications"))]
    assert re.findall(r">([^<>]+?) <span class=\"fp-agenda__count\">\((\d+)\)", nav) == [
        ("All", "300"), ("Still to discuss", "297"), ("Decided", "3"), ("Skipped", "1")]
    assert re.search(r'aria-current="page">Decided', nav)
    assert "3 of 300 decided, 1 skipped for later." in words(html)


@pytest.mark.parametrize("show, expected", [
    ("decided", ["A1", "A2", "B103"]),
    ("skipped", ["A3"]),
])
def test_a_filter_lists_only_its_rows_in_agenda_order(long_meeting, show, expected):
    listed = [row[1].split(":")[0] for row in rows(page(long_meeting, show=show))]
    assert listed == expected


def test_still_to_discuss_leaves_out_every_decided_item(long_meeting):
    first = rows(page(long_meeting, show="open"))
    assert [row[1].split(":")[0] for row in first[:3]] == ["A3", "B4", "B5"]
    assert len(first) == 50
    last = rows(page(long_meeting, show="open", page=6))
    assert len(last) == 297 - 250 and last[-1][1].startswith("B300")


def test_an_empty_filter_says_so(meeting_round, chair):
    long_agenda(meeting_round)
    text = words(page(chair, show="skipped"))
    assert "Skipped (1)" in text
    meeting = db.session.scalar(sa.select(Meeting))
    services.open_item(people.user_named(CHAIR), meeting, "A3")  # no longer skipped: it is open now
    db.session.commit()
    assert "No application is skipped for later." in words(page(chair, show="skipped"))


# Pages --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("number, first, last", [(1, 1, 50), (2, 51, 100), (6, 251, 300)])
def test_each_page_holds_fifty_items_in_order(long_meeting, number, first, last):
    listed = rows(page(long_meeting, page=number))
    assert [int(row[0]) for row in listed] == list(range(first, last + 1))


def test_the_page_links_reach_the_last_page_and_keep_the_filter(long_meeting):
    html = page(long_meeting, show="open", page=2)
    nav = html[html.index('aria-label="Agenda pages"'):]
    nav = nav[:nav.index("</nav>")]
    assert "show=open" in nav and 'aria-label="Page 6"' in nav
    assert "(page 2 of 6)" in words(html)


@pytest.mark.parametrize("asked, shown, message", [
    ("7", 6, "There is no page 7 of this list. This is page 6 of 6."),
    ("0", 1, "There is no page 0 of this list. This is page 1 of 6."),
    ("-3", 1, "There is no page -3 of this list. This is page 1 of 6."),
    ("many", 1, None),
])
def test_a_page_that_does_not_exist_gives_the_nearest_with_a_clear_message(long_meeting, asked,
                                                                           shown, message):
    html = page(long_meeting, page=asked)
    assert int(rows(html)[0][0]) == (shown - 1) * 50 + 1
    if message:
        assert message in words(html)
    else:
        assert "There is no page" not in html


# The item open now ------------------------------------------------------------------------------

def test_the_item_open_now_is_marked_and_linked_from_the_top_of_every_page(long_meeting):
    html = page(long_meeting)
    text = words(html)
    assert "Now discussing: B203: Project B203 (number 203 on the agenda)." in text
    assert f'href="{AGENDA}?page=5#item-B203"' in html
    row = row_html(page(long_meeting, page=5), "B203")
    assert 'aria-current="true"' in row and "fp-agenda__row--now" in row
    assert f'<a class="fp-link" href="/rounds/{SLUG}/meeting">B203: Project B203</a>' in row
    # Under a filter that leaves it out, the page says what is open but links no row.
    decided = page(long_meeting, show="decided")
    assert "Now discussing: B203" in words(decided) and "#item-B203" not in decided


def test_moving_an_item_returns_to_the_page_where_it_now_sits(long_meeting):
    token = csrf_token(page(long_meeting, page=2))
    response = long_meeting.post(f"{AGENDA}/B51?page=2",
                                 data={"csrf_token": token, "action": "up"})
    assert response.status_code == 302
    assert response.location.endswith(f"{AGENDA}?page=1#item-B51")  # now 50th: page 1
    assert [row[1].split(":")[0] for row in rows(page(long_meeting))][-2:] == ["B49", "B51"]
    assert rows(page(long_meeting, page=2))[0][:2] == ["51", "B50: Project B50"]
    response = long_meeting.post(f"{AGENDA}/A3?show=skipped",
                                 data={"csrf_token": token, "action": "down"})
    assert response.location.endswith(f"{AGENDA}?page=1&show=skipped#item-A3")


# Reading a page at a time ---------------------------------------------------------------------

@pytest.mark.parametrize("show", list(agenda_page.SHOWS))
def test_the_pages_of_a_filter_put_together_are_the_whole_agenda_filtered(long_meeting, show):
    meeting = meetings.meeting_of(round_by_slug(SLUG))
    whole = agenda_page.agenda_rows(meeting)
    keep = {"all": lambda r: True,
            "open": lambda r: r.outcome is None,
            "decided": lambda r: r.outcome is not None,
            "skipped": lambda r: r.status == "skipped"}[show]
    first = agenda_page.agenda_page(meeting, show, 1, per_page=40)
    paged = [row for number in range(1, first.page.pages + 1)
             for row in agenda_page.agenda_page(meeting, show, number, per_page=40).page.items]
    assert paged == [row for row in whole if keep(row)]
    assert first.page.total == len(paged)


def test_a_page_reads_its_own_rows_only_and_the_figures_once_per_round_version(long_meeting):
    round_ = round_by_slug(SLUG)
    meeting = meetings.meeting_of(round_)
    shown = agenda_page.agenda_page(meeting, "all", 3)
    assert [row.position for row in shown.page.items] == list(range(101, 151))
    found = meetings.shown_figures(round_)
    assert agenda_page._standing(found) is agenda_page._standing(found)
