"""The panel's own page of the report, in plain words (/rounds/<slug>/report/for-panel):
what happened, what the reader's group's scores changed, what the meeting changed.

(a) DESIGN.md §3's worked example, worked by hand there: A3 and A2 are funded by the
scores (£90 of £100); without lived experience A1 and A3 would be, so the lived-experience
group's scores brought A2 in (its title is the spreadsheet trap ``=HYPERLINK("http://evil")``)
and kept A1 ("Project one") out; the academics' scores changed nothing (without them A2
and A3 are funded all the same). One person (lived1) revised a score (A3: 75 → 100), which
moved no project across the funding line (A2 and A3 were funded before and after). The
panel chose not to fund A3 ("-Funded elsewhere already"), so in the end one project,
A2, is funded, for £50.

(b) The demo round (tests/builders/demo.py): what each group brought in and kept out is
pinned below as the report dict has it, and cross-checked against that dict.

The page's own words (project titles and the panel's reasons left out) must read at
Flesch-Kincaid grade 6 or below: reading age 11 (DESIGN.md §9)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import textstat

from panel.accounts.services import find_user
from panel.extensions import db
from panel.reports.report import round_report
from panel.rounds import services as round_services
from tests.builders import people
from tests.builders.demo import ACADEMICS, CHAIR, DEMO_SLUG, LIVED, OFFICER
from tests.builders.rank_model import keep_hand_made
from tests.builders.worked import SLUG as WORKED_SLUG

READING_GRADE = 6  # Flesch-Kincaid grade 6: reading age 11
JARGON = ("spearman", "kendall", "correlation", "coefficient", "median", "percentile",
          "statistic", "rank", "mean", "average", "counterfactual", "weighting")
A2 = '=HYPERLINK("http://evil")'


# Reading the page ------------------------------------------------------------------------------

class MainText(HTMLParser):
    """The words of a page's <main>, a line per paragraph, heading or list item; without
    what carries ``data-own-words`` (project titles, the panel's reasons) unless asked."""

    LINES = frozenset({"p", "li", "h1", "h2", "h3"})
    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr"})

    def __init__(self, html: str, keep_own_words: bool) -> None:
        super().__init__()
        self.keep = keep_own_words
        self.inside = False
        self.depth = self.skip_from = 0
        self.parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.inside = True
        if not self.inside or tag in self.VOID:
            return
        self.depth += 1
        if not self.skip_from and not self.keep and "data-own-words" in dict(attrs):
            self.skip_from = self.depth
        if tag in self.LINES:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "main":
            self.inside = False
        if not self.inside or tag in self.VOID:
            return
        if self.skip_from == self.depth:
            self.skip_from = 0
        self.depth -= 1
        if tag in self.LINES:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.inside and not self.skip_from:
            self.parts.append(data)


def main_text(html: str, keep_own_words: bool = False) -> str:
    text = "".join(MainText(html, keep_own_words).parts)
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def reading_grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def plain_page(app, mailbox, email: str, slug: str) -> str:
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    response = client.get(f"/rounds/{slug}/report/for-panel")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def publish(round_) -> None:
    round_.phase = "published"
    db.session.commit()


def assert_plain(html: str, reader: str) -> float:
    """No statistics words and no score on the page; its own words at reading age 11."""
    text = main_text(html)
    words = text.lower()
    assert not [w for w in JARGON if w in words], (reader, text)
    # Every number is money or a count of projects or people: no score, no rank.
    numbers = re.sub(r"£[\d,]+(\.\d\d)?|\b\d[\d,]* (projects?|people|person|more)\b", "", text)
    assert not re.search(r"\d", numbers), (reader, numbers)
    grade = reading_grade(text)
    print(f"\nFlesch-Kincaid grade of the plain page for {reader}: {grade:.1f}")
    assert grade <= READING_GRADE, (reader, grade, text)
    return grade


# (a) The worked example ---------------------------------------------------------------------------

def test_the_lived_experience_reader_reads_what_their_scores_changed(worked_round, app, mailbox):
    publish(worked_round)
    html = plain_page(app, mailbox, "lived1@panel.example", WORKED_SLUG)
    text = main_text(html, keep_own_words=True).splitlines()
    assert "What your group's scores changed" in text
    assert "You are in the Lived experience group." in text
    assert f"Without your group's scores, {A2} would not have been funded." in text
    assert "Without your group's scores, Project one would have been funded instead." in text
    assert not [line for line in text if "Project three" in line and "Without" in line]
    # The title is text, never markup or a formula that runs.
    assert "<q data-own-words>=HYPERLINK(&#34;http://evil&#34;)</q>" in html


def test_the_academic_reader_is_told_their_scores_changed_nothing(worked_round, app, mailbox):
    publish(worked_round)
    text = main_text(plain_page(app, mailbox, "aca1@panel.example", WORKED_SLUG),
                     keep_own_words=True).splitlines()
    assert "You are in the Academic group." in text
    assert "Your group's scores did not change which projects were funded." in text
    assert not [line for line in text if line.startswith("Without your group's scores,")]


def test_what_happened_and_what_the_meeting_changed_in_the_worked_example(
        worked_round, app, mailbox):
    publish(worked_round)
    text = main_text(plain_page(app, mailbox, "aca2@panel.example", WORKED_SLUG),
                     keep_own_words=True)
    happened = text.split("\nWhat happened\n")[1].split("\nWhat your group")[0].splitlines()
    assert happened == ["The panel looked at 3 projects.", "There was £100 to share.",
                        "In the end, 1 project was funded. It gets £50.",
                        "The projects that got money:", A2]
    meeting = text.split("What the meeting changed\n")[1].split("\nWant all the numbers?")[0]
    assert meeting.splitlines() == [
        "In the meeting, the panel talked about the projects.",
        "After that, 1 person changed a score.",
        "These changes did not change which projects got money.",
        "The panel went against the scores for 1 project. This is what they chose, and why.",
        "The panel chose not to fund Project three, though its scores were high enough.",
        "The reason they gave: -Funded elsewhere already"]
    assert text.endswith("The full report has every number and chart. Read the full report")


@pytest.mark.parametrize("email", ["lived1@panel.example", "aca1@panel.example"])
def test_the_worked_example_reads_at_reading_age_eleven(worked_round, app, mailbox, email):
    publish(worked_round)
    assert_plain(plain_page(app, mailbox, email, WORKED_SLUG), f"worked example, {email}")


def test_projects_too_close_to_call_are_told_in_plain_words(worked_round, app, mailbox):
    keep_hand_made(worked_round)  # A1 and A2 in the grey zone (tests/builders/rank_model.py)
    publish(worked_round)
    html = plain_page(app, mailbox, "aca2@panel.example", WORKED_SLUG)
    text = main_text(html, keep_own_words=True)
    happened = text.split("\nWhat happened\n")[1].split("\nThe projects that got money")[0]
    assert happened.splitlines()[-1] == (
        "2 projects were too close to call: the scores could not tell if they should get "
        "money or not.")
    assert_plain(html, "worked example, too close to call")


# (b) The demo round -------------------------------------------------------------------------------

BROUGHT_IN = {"academic": ["Friday night youth club", "Nature walks on prescription"],
              "lived_experience": ["Friday night youth club",
                                   "Walking football for the over-fifties",
                                   "Nature walks on prescription"]}
KEPT_OUT = {"academic": ["Splash sessions for disabled swimmers",
                         "Running group for people in recovery"],
            "lived_experience": ["Growing food together on the estate",
                                 "Cooking and sharing for new neighbours"]}


@pytest.fixture
def demo_published(demo_decided):
    round_services.change_phase(find_user(OFFICER), demo_decided, "published")
    db.session.commit()
    return demo_decided


def test_the_pinned_demo_story_is_the_report_dicts(demo_published):
    report = round_report(demo_published, panel=True)
    titles = {a["reference"]: a["title"] for a in report["applications"]}
    for g, voice in report["groups"].items():
        assert [titles[ref] for ref in voice["funded_because"]] == BROUGHT_IN[g]
        assert [titles[ref] for ref in voice["displaced_by"]] == KEPT_OUT[g]


@pytest.mark.parametrize(("email", "group"), [(LIVED[0], "lived_experience"),
                                              (LIVED[3], "lived_experience"),
                                              (ACADEMICS[0], "academic")])
def test_each_reader_reads_the_projects_their_own_group_changed(demo_published, app, mailbox,
                                                                email, group):
    html = plain_page(app, mailbox, email, DEMO_SLUG)
    text = main_text(html, keep_own_words=True).splitlines()
    said = [line for line in text if line.startswith("Without your group's scores, ")]
    assert said == ([f"Without your group's scores, {t} would not have been funded."
                     for t in BROUGHT_IN[group]] +
                    [f"Without your group's scores, {t} would have been funded instead."
                     for t in KEPT_OUT[group]])
    assert_plain(html, f"demo round, {email} ({group})")


def test_the_demo_meeting_in_plain_words(demo_published, app, mailbox):
    text = main_text(plain_page(app, mailbox, LIVED[1], DEMO_SLUG), keep_own_words=True)
    assert "There was £400,000 to share." in text
    assert "In the end, 11 projects were funded. Together they get £415,550." in text
    assert "That is £15,550 more than there was to share." in text
    # Two academics on six items and Amira on two revised their scores (demo.py).
    assert "After that, 3 people changed a score." in text.splitlines()
    assert ("The panel chose to fund Splash sessions for disabled swimmers, though its "
            "scores were too low.") in text
    assert ("The panel chose not to fund Walking football for the over-fifties, though its "
            "scores were high enough.") in text
    assert "The reason they gave: CANARY-DONOTFUND: already funded by another programme" in text


def test_the_officer_previews_every_groups_part_before_it_is_published(demo_decided, officer):
    html = officer.get(f"/rounds/{DEMO_SLUG}/report/for-panel").get_data(as_text=True)
    text = main_text(html, keep_own_words=True).splitlines()
    assert "The round is not over yet, so this can still change." in " ".join(text)
    assert "What each group's scores changed" in text
    assert "The Academic group" in text and "The Lived experience group" in text
    assert ("Without the Lived experience group's scores, Walking football for the "
            "over-fifties would not have been funded.") in text
    assert_plain(html, "the officer's preview of the demo round")


def test_panellists_cannot_open_it_before_it_is_published(demo_decided, app, mailbox):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, LIVED[0])
    assert client.get(f"/rounds/{DEMO_SLUG}/report/for-panel").status_code == 404
    assert "See what happened" not in client.get("/my-rounds").get_data(as_text=True)


# The ways to the page -----------------------------------------------------------------------------

def test_the_panel_finds_it_from_my_rounds_and_the_full_report(demo_published, app, mailbox):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, LIVED[0])
    plain = f'href="/rounds/{DEMO_SLUG}/report/for-panel"'
    assert f"{plain}>See what happened" in client.get("/my-rounds").get_data(as_text=True)
    report = client.get(f"/rounds/{DEMO_SLUG}/report").get_data(as_text=True)
    assert f"{plain}>Read what happened, in plain words</a>" in report
    # …at the top: under the report's heading, before the result.
    assert (report.index("Community voice report</h1>") < report.index(plain)
            < report.index('id="headline-heading"'))


def test_the_chair_reads_it_from_the_meeting_on(demo_decided, app, mailbox):
    html = plain_page(app, mailbox, CHAIR, DEMO_SLUG)
    assert "What the meeting changed" in html
