"""The programme officer's round set-up pages (DESIGN.md §2, §3): what the officer sees,
what is stored, and what goes on the decision trail. Bad input changes nothing."""
from __future__ import annotations

import html
import re
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.extensions import db
from panel.rounds import services as rounds
from panel.rounds import setup, times
from panel.rounds.models import Round
from panel.rounds.queries import round_by_slug
from panel.rounds.setup import unique_slug
from panel.scoring.models import CriterionScore, ScoreSheet
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.support.web import submit

SETUP = "/rounds/test-round/setup"
DRAFT_ONLY_PAGES = [
    "/details", "/scale", "/scale/descriptors", "/funding", "/blind", "/criteria",
    "/criteria/new", "/criteria/q", "/criteria/q/remove", "/groups", "/groups/new",
    "/groups/academic", "/groups/academic/remove",
]


@pytest.fixture
def officer(app, client):
    user = people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    return user


@pytest.fixture
def round_(app, officer):
    """The worked example of DESIGN.md §3 (criteria q 3 and n 1), with a budget of 0."""
    return round_builders.draft_round(budget=0)


def page_text(response) -> str:
    """The visible text of a page, tags removed and spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(body)).strip()


def error_summary(response) -> list[str]:
    found = re.search(r'fp-error-summary__list">(.*?)</ul>', response.get_data(as_text=True),
                      re.S)
    if not found:
        return []
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def stored(slug: str = "test-round") -> dict:
    """Everything the set-up pages can change, plus the length of the decision trail."""
    db.session.expire_all()
    r = round_by_slug(slug)
    fields = ("title", "description", "scoring_deadline", "scale_min", "scale_max",
              "scale_descriptors", "budget", "funding_rule", "weighting",
              "identifying_columns", "show_group_labels", "lived_experience_first",
              "time_zone", "min_group_size")
    return {
        **{f: getattr(r, f) for f in fields},
        "criteria": [(c.key, c.name, c.weight, c.guidance, c.descriptors, c.position)
                     for c in r.criteria],
        "groups": [(g.key, g.label, g.weight, g.position) for g in r.groups],
        "events": db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)),
    }


def table_rows(response) -> list[list[str]]:
    """The body rows of the page's table, each as its cells' visible text."""
    body = re.search(r"<tbody.*?</tbody>", response.get_data(as_text=True), re.S).group(0)
    return [[re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", cell))).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


# --- Creating a round -------------------------------------------------------------------

def test_officer_creates_a_draft_round_with_the_defaults(app, client, officer):
    response = submit(client, "/rounds/new", {"title": "Community Gardens 2026!",
                                              "description": "Green spaces."})
    assert response.status_code == 302
    assert response.headers["Location"] == "/rounds/community-gardens-2026/setup"
    r = round_by_slug("community-gardens-2026")
    assert (r.title, r.description, r.phase) == ("Community Gardens 2026!", "Green spaces.",
                                                 "draft")
    assert (r.scale_min, r.scale_max) == (1, 5)
    assert r.scale_descriptors == {"1": "Very weak", "2": "Weak", "3": "OK", "4": "Good",
                                   "5": "Excellent"}
    assert [(g.key, g.label, g.weight) for g in r.groups] == [
        ("academic", "Academic", 1.0), ("lived_experience", "Lived experience", 1.0)]
    assert (r.weighting, r.budget, r.funding_rule, r.criteria) == (
        "equal_groups", Decimal("0"), "strict", [])
    [created] = events("round.created")
    assert opened(created).who == "officer@example.org" and created.round_id == r.id
    assert created.after["slug"] == "community-gardens-2026"
    assert "Community Gardens 2026! created. Now set it up." in page_text(
        client.get(response.headers["Location"]))


def test_each_new_round_gets_a_slug_of_its_own(app, client, officer):
    for _ in range(3):
        submit(client, "/rounds/new", {"title": "Warm Spaces"})
    slugs = db.session.scalars(sa.select(Round.slug).order_by(Round.id)).all()
    assert slugs == ["warm-spaces", "warm-spaces-2", "warm-spaces-3"]
    assert unique_slug("Café & Co. — Round 1") == "cafe-co-round-1"
    assert unique_slug("New") == "new-2"  # /rounds/new is the create page
    assert unique_slug("!!!") == "round"


@pytest.mark.parametrize("title,message", [
    ("", "Enter a title for the round"),
    ("x" * 201, "The title can be up to 200 characters"),
])
def test_a_new_round_needs_a_title(app, client, officer, title, message):
    response = submit(client, "/rounds/new", {"title": title})
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Round)) == 0


def test_the_rounds_page_offers_to_create_a_round(app, client, officer, round_):
    page = client.get("/rounds/").get_data(as_text=True)
    assert 'href="/rounds/new">Create a round</a>' in page
    assert 'href="/rounds/test-round/">Test round</a>' in page


# --- The overview -----------------------------------------------------------------------

def test_overview_lists_the_answers_and_what_is_still_missing(app, client, round_):
    response = client.get(SETUP)
    text = page_text(response)
    assert ("Scoring cannot open yet: There are no applications. Import them first. There "
            "are no panellists. Import the panel first.") in text
    assert ("Check before scoring opens Describe every score on the scale (not yet "
            "described: 1, 2, 3, 4, 5). The budget is £0, so no application can be funded.") \
        in text
    assert "Quality: 75.0% Need: 25.0%" in text
    assert "Academic: 50.0% Lived experience: 50.0%" in text
    assert "Every group has an equal voice, whatever its size." in text
    assert "applicant_name, organisation, contact_email" in text
    page = response.get_data(as_text=True)
    assert ('href="/rounds/test-round/setup/funding">Change<span class="fp-visually-hidden">'
            " the budget</span></a>") in page
    assert 'aria-current="page">Set-up</a>' in page


def test_overview_of_a_new_round_asks_for_criteria(app, client, officer):
    submit(client, "/rounds/new", {"title": "Empty"})
    text = page_text(client.get("/rounds/empty/setup"))
    assert "There are no criteria. Add at least one to the rubric." in text
    assert "Describe every score" not in text  # a new round has plain descriptors


def open_scoring(round_: Round) -> None:
    """Straight to scoring, skipping the checks of a real phase change (not tested here)."""
    round_.phase = "scoring"
    db.session.commit()


def test_overview_is_read_only_once_scoring_opens(app, client, round_):
    open_scoring(round_)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "The round is in the scoring phase, so its set-up can no longer change." in \
        page_text(response)
    # Only how long the panel's personal data is kept may change in any phase, and
    # whether to work out how sure the ranking is until the round is decided.
    html = response.get_data(as_text=True)
    assert html.count(">Change<") == 2
    assert "/setup/retention\">Change<" in html
    assert "/setup/rank-model\">Change<" in html


# --- Details ----------------------------------------------------------------------------

def test_details_save_title_description_and_deadline(app, client, round_):
    response = submit(client, SETUP + "/details", {
        "title": "Test round 2026", "description": "", "scoring_deadline": "2026-06-30",
        "time_zone": "Europe/London"})
    assert response.headers["Location"] == SETUP
    after = stored()
    assert after["title"] == "Test round 2026"
    # The end of 30 June in London, in summer time, stored in UTC.
    assert after["scoring_deadline"] == datetime(2026, 6, 30, 22, 59, 59)
    [event] = events("round.details_changed")
    assert event.before == {"title": "Test round", "scoring_deadline": None}
    assert event.after == {"title": "Test round 2026",
                           "scoring_deadline": "2026-06-30T22:59:59.000000"}
    assert "30 June 2026" in page_text(client.get(SETUP))
    # The form shows the saved date back, and a typed day/month/year is understood too.
    assert 'value="2026-06-30"' in client.get(SETUP + "/details").get_data(as_text=True)
    submit(client, SETUP + "/details", {"title": "Test round 2026",
                                        "scoring_deadline": "1/7/2026",
                                        "time_zone": "Europe/London"})
    assert stored()["scoring_deadline"] == datetime(2026, 7, 1, 22, 59, 59)


def test_deadline_ends_at_midnight_in_the_rounds_time_zone(app, client, round_):
    submit(client, SETUP + "/details", {"title": "Test round", "scoring_deadline": "2026-06-30",
                                        "time_zone": "America/New_York"})
    after = stored()
    assert after["time_zone"] == "America/New_York"
    assert after["scoring_deadline"] == datetime(2026, 7, 1, 3, 59, 59)
    [event] = events("round.details_changed")
    assert event.before == {"scoring_deadline": None, "time_zone": "Europe/London"}
    assert event.after == {"scoring_deadline": "2026-07-01T03:59:59.000000",
                           "time_zone": "America/New_York"}
    overview = page_text(client.get(SETUP))
    assert "30 June 2026" in overview and "America/New_York" in overview
    assert 'value="2026-06-30"' in client.get(SETUP + "/details").get_data(as_text=True)
    # New York is on summer time (EDT, UTC-4) on 30 June.
    assert times.deadline_text(round_by_slug("test-round")) == (
        "23:59 EDT on Tuesday 30 June 2026")


def test_details_refuse_a_time_zone_fairpanel_does_not_know(app, client, round_):
    before = stored()
    response = submit(client, SETUP + "/details", {"title": "Test round",
                                                   "time_zone": "Europe/Londres"})
    assert error_summary(response) == [
        "'Europe/Londres' is not a time zone FairPanel knows: use a name like Europe/London"]
    assert stored() == before


@pytest.mark.parametrize("data,message", [
    ({"title": ""}, "Enter a title for the round"),
    ({"title": "T", "scoring_deadline": "2026-02-30"},
     "Enter the scoring deadline as a real date, like 30/06/2026"),
    ({"title": "T", "description": "x" * 5001}, "The description can be up to 5,000 characters"),
    ({"title": "T", "time_zone": ""}, "Enter the round's time zone, like Europe/London"),
])
def test_bad_details_change_nothing(app, client, round_, data, message):
    before = stored()
    response = submit(client, SETUP + "/details", {"time_zone": "Europe/London", **data})
    assert error_summary(response) == [message]
    assert "<title>Error: Round details" in response.get_data(as_text=True)
    assert stored() == before


def test_saving_the_same_answers_records_nothing(app, client, round_):
    before = stored()
    response = submit(client, SETUP + "/details", {"title": "Test round",
                                                   "time_zone": "Europe/London"},
                      follow_redirects=True)
    assert "Nothing was changed: the answers were the same as before." in page_text(response)
    assert stored() == before


# --- Scale ------------------------------------------------------------------------------

@pytest.mark.parametrize("low,high,message", [
    ("5", "1", "The lowest score must be less than the highest"),
    ("3", "3", "The lowest score must be less than the highest"),
    ("0", "11", "The scale can have at most 11 levels: make the highest score no more "
                "than 10 above the lowest"),
    ("one", "5", "Enter the lowest score as a whole number, like 1"),
    ("1", "4.5", "Enter the highest score as a whole number, like 1"),
    ("", "5", "Enter the lowest score, like 1"),
    ("1", "500", "The highest score must be from -100 to 100"),
])
def test_scale_range_is_checked(app, client, round_, low, high, message):
    before = stored()
    response = submit(client, SETUP + "/scale", {"scale_min": low, "scale_max": high})
    assert response.status_code == 200
    assert error_summary(response) == [message]
    assert stored() == before


def test_new_scale_asks_for_a_descriptor_for_every_level(app, client, round_):
    response = submit(client, SETUP + "/scale", {"scale_min": "0", "scale_max": "4"})
    assert response.headers["Location"] == SETUP + "/scale/descriptors?min=0&max=4"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.findall(r'<label class="fp-label" for="level_\d">([^<]+)</label>', page) == [
        "0 (lowest)", "1", "2", "3", "4 (highest)"]

    before = stored()
    response = submit(client, SETUP + "/scale/descriptors?min=0&max=4",
                      {"level_0": "None", "level_1": "Weak", "level_3": "Good"})
    assert error_summary(response) == ["Describe what a score of 2 means",
                                       "Describe what a score of 4 means"]
    assert stored() == before


def test_saving_the_scale_keeps_criteria_descriptors_on_the_scale(app, client, round_):
    submit(client, SETUP + "/criteria/q", {"name": "Quality", "weight": "3",
                                           "level_1": "Poor", "level_5": "Superb"})
    descriptors = {"level_0": "Nothing", "level_1": "Weak", "level_2": "OK",
                   "level_3": "Good", "level_4": "Great"}
    response = submit(client, SETUP + "/scale/descriptors?min=0&max=4", descriptors)
    assert response.headers["Location"] == SETUP
    after = stored()
    assert (after["scale_min"], after["scale_max"]) == (0, 4)
    assert after["scale_descriptors"] == {"0": "Nothing", "1": "Weak", "2": "OK", "3": "Good",
                                          "4": "Great"}
    assert after["criteria"][0][4] == {"1": "Poor"}
    [event] = events("round.scale_changed")
    assert event.before == {"scale_min": 1, "scale_max": 5, "scale_descriptors": {}}
    assert event.after == {"scale_min": 0, "scale_max": 4, "scale_descriptors": {
        "0": "Nothing", "1": "Weak", "2": "OK", "3": "Good", "4": "Great"}}
    assert events("criterion.changed")[-1].after == {"descriptors": {"1": "Poor"}}


def test_scale_cannot_shrink_below_scores_already_given(app, client, round_):
    [application] = round_builders.applications(round_, 60)
    member = round_builders.member(round_, "amira@example.org", "lived_experience")
    sheet = ScoreSheet(member=member, application=application)
    sheet.scores = [CriterionScore(criterion=round_.criteria[0], value=5)]
    db.session.add(sheet)
    db.session.commit()
    before = stored()
    response = submit(client, SETUP + "/scale/descriptors?min=1&max=4",
                      {f"level_{n}": f"L{n}" for n in range(1, 5)})
    assert error_summary(response) == [
        "1 score already given is outside 1 to 4. Keep the scale wide enough for it."]
    assert stored() == before
    response = submit(client, SETUP + "/criteria/q/remove")
    assert error_summary(response) == [
        "Quality has already been scored on 1 score sheet, so it cannot be removed. You can "
        "change its name, weight or guidance instead."]
    assert stored() == before


# --- Criteria ---------------------------------------------------------------------------

def test_criteria_show_each_weight_as_a_share(app, client, round_):
    rows = table_rows(client.get(SETUP + "/criteria"))
    assert [row[:3] for row in rows] == [["Quality Key: q", "3", "75.0%"],
                                         ["Need Key: n", "1", "25.0%"]]
    response = submit(client, SETUP + "/criteria/new", {"name": "Value for money",
                                                        "weight": "2", "key": ""})
    assert response.headers["Location"] == SETUP + "/criteria"
    rows = table_rows(client.get(SETUP + "/criteria"))
    assert [row[:3] for row in rows] == [["Quality Key: q", "3", "50.0%"],
                                         ["Need Key: n", "1", "16.7%"],
                                         ["Value for money Key: value_for_money", "2", "33.3%"]]
    [added] = events("criterion.added")
    assert added.after == {"key": "value_for_money", "name": "Value for money", "weight": 2.0,
                           "guidance": "", "descriptors": {}}


def test_a_criterion_can_describe_its_own_scores(app, client, round_):
    submit(client, SETUP + "/criteria/new", {
        "name": "Reach", "key": "Reach", "weight": "1.5", "guidance": "Who it helps.",
        "level_5": "Everyone who needs it"})
    criterion = round_by_slug("test-round").criteria[-1]
    assert (criterion.key, criterion.weight, criterion.guidance, criterion.descriptors) == (
        "reach", 1.5, "Who it helps.", {"5": "Everyone who needs it"})


@pytest.mark.parametrize("data,message", [
    ({"name": "", "weight": "1"}, "Enter a name for the criterion"),
    ({"name": "Reach", "weight": ""}, "Enter a weight for this criterion, like 1"),
    ({"name": "Reach", "weight": "0"}, "The weight must be more than 0"),
    ({"name": "Reach", "weight": "-2"}, "The weight must be more than 0"),
    ({"name": "Reach", "weight": "lots"}, "Enter the weight as a number, like 1 or 2.5"),
    ({"name": "Reach", "weight": "nan"}, "Enter the weight as a number, like 1 or 2.5"),
    ({"name": "Reach", "weight": "1", "key": "q"},
     "Another criterion already has the key q: choose another key"),
    ({"name": "Reach", "weight": "1", "key": "email"},
     "FairPanel uses email for something else: choose another key"),
    ({"name": "Reach", "weight": "1", "key": "9 lives"},
     "The key must start with a letter and use only letters, numbers and underscores (_)"),
])
def test_bad_criterion_changes_nothing(app, client, round_, data, message):
    before = stored()
    response = submit(client, SETUP + "/criteria/new", data)
    assert error_summary(response) == [message]
    assert stored() == before


def test_changing_a_criterion_keeps_its_key_and_is_audited(app, client, round_):
    response = submit(client, SETUP + "/criteria/q", {
        "name": "Quality", "weight": "2.5", "guidance": "How good is the plan?", "key": "x"})
    assert response.headers["Location"] == SETUP + "/criteria"
    assert stored()["criteria"][0] == ("q", "Quality", 2.5, "How good is the plan?", {}, 0)
    [event] = events("criterion.changed")
    assert event.before == {"weight": 3.0, "guidance": ""}
    assert event.after == {"weight": 2.5, "guidance": "How good is the plan?"}
    assert 'value="2.5"' in client.get(SETUP + "/criteria/q").get_data(as_text=True)


def test_removing_a_criterion_asks_first(app, client, round_):
    assert "Are you sure you want to remove the criterion Need?" in page_text(
        client.get(SETUP + "/criteria/n/remove"))
    response = submit(client, SETUP + "/criteria/n/remove", follow_redirects=True)
    assert "Criterion removed: Need." in page_text(response)
    assert [c[0] for c in stored()["criteria"]] == ["q"]
    [event] = events("criterion.removed")
    assert event.before == {"key": "n", "name": "Need", "weight": 1.0}


def test_criteria_move_up_and_down(app, client, round_):
    submit(client, SETUP + "/criteria", action=SETUP + "/criteria/q/move/down")
    assert [c[0] for c in stored()["criteria"]] == ["n", "q"]
    submit(client, SETUP + "/criteria", action=SETUP + "/criteria/q/move/up")
    assert [c[0] for c in stored()["criteria"]] == ["q", "n"]
    assert [(e.before, e.after) for e in events("criteria.reordered")] == [
        ({"order": ["q", "n"]}, {"order": ["n", "q"]}),
        ({"order": ["n", "q"]}, {"order": ["q", "n"]})]


# --- Groups -----------------------------------------------------------------------------

def test_groups_show_shares_and_new_groups_count(app, client, round_):
    response = submit(client, SETUP + "/groups/new", {"label": "Practitioners", "weight": "2"})
    assert response.headers["Location"] == SETUP + "/groups"
    rows = table_rows(client.get(SETUP + "/groups"))
    assert [row[:4] for row in rows] == [
        ["Academic Key: academic", "1", "25.0%", "0"],
        ["Lived experience Key: lived_experience", "1", "25.0%", "0"],
        ["Practitioners Key: practitioners", "2", "50.0%", "0"]]
    [event] = events("group.added")
    assert event.after == {"key": "practitioners", "label": "Practitioners", "weight": 2.0}


def test_changing_a_group_and_the_weighting(app, client, round_):
    submit(client, SETUP + "/groups/lived_experience",
           {"label": "Lived experience", "weight": "2"})
    submit(client, SETUP + "/groups", {"weighting": "equal_people"})
    after = stored()
    assert after["groups"][1] == ("lived_experience", "Lived experience", 2.0, 1)
    assert after["weighting"] == "equal_people"
    [event] = events("round.weighting_changed")
    assert (event.before, event.after) == ({"weighting": "equal_groups"},
                                           {"weighting": "equal_people"})
    page = page_text(client.get(SETUP + "/groups"))
    assert "Every panellist counts the same." in page


def test_a_group_with_members_cannot_be_removed(app, client, round_):
    round_builders.member(round_, "amira@example.org", "lived_experience")
    page = page_text(client.get(SETUP + "/groups/lived_experience/remove"))
    message = ("1 panel member is in Lived experience. Move them to another group or take "
               "them off the panel first, then remove the group.")
    assert message in page and "Remove group" not in page.split("Back to groups")[-1]
    before = stored()
    response = submit(client, SETUP + "/groups/academic/remove",
                      action=SETUP + "/groups/lived_experience/remove")
    assert error_summary(response) == [message]
    assert stored() == before


def test_the_last_group_stays(app, client, round_):
    submit(client, SETUP + "/groups/academic/remove")
    assert [g[0] for g in stored()["groups"]] == ["lived_experience"]
    [event] = events("group.removed")
    assert event.before == {"key": "academic", "label": "Academic", "weight": 1.0}
    before = stored()
    response = submit(client, SETUP + "/groups/lived_experience/remove")
    assert error_summary(response) == [
        "A round needs at least one group. Add another group before removing this one."]
    assert stored() == before


@pytest.mark.parametrize("data,message", [
    ({"label": "", "weight": "1"}, "Enter a name for the group"),
    ({"label": "Academics", "weight": "1", "key": "academic"},
     "Another group already has the key academic: choose another key"),
    ({"label": "Funders", "weight": "0.0"}, "The weight must be more than 0"),
])
def test_bad_group_changes_nothing(app, client, round_, data, message):
    before = stored()
    assert error_summary(submit(client, SETUP + "/groups/new", data)) == [message]
    assert stored() == before


# --- Funding ----------------------------------------------------------------------------

@pytest.mark.parametrize("typed,amount,audited", [
    ("400000", Decimal("400000"), "400000"),
    ("400,000", Decimal("400000"), "400000"),
    ("£400,000.50", Decimal("400000.50"), "400000.5"),
])
def test_budget_is_read_as_people_type_money(app, client, round_, typed, amount, audited):
    response = submit(client, SETUP + "/funding", {"budget": typed, "funding_rule": "fill"})
    assert response.headers["Location"] == SETUP
    assert (stored()["budget"], stored()["funding_rule"]) == (amount, "fill")
    [event] = events("round.funding_changed")
    assert event.before == {"budget": "0", "funding_rule": "strict"}
    assert event.after == {"budget": audited, "funding_rule": "fill"}


def test_budget_alone_is_audited_exactly(app, client, round_):
    submit(client, SETUP + "/funding", {"budget": "400000", "funding_rule": "strict"})
    [event] = events("round.funding_changed")
    assert (event.before, event.after) == ({"budget": "0"}, {"budget": "400000"})
    assert "£400,000" in page_text(client.get(SETUP))
    assert 'value="400,000"' in client.get(SETUP + "/funding").get_data(as_text=True)


@pytest.mark.parametrize("data,message", [
    ({"budget": "-5", "funding_rule": "strict"}, "The budget must be £0 or more"),
    ({"budget": "40,00", "funding_rule": "strict"},
     "Enter the budget in pounds, like 400000, 400,000 or £400,000.50"),
    ({"budget": "1.005", "funding_rule": "strict"},
     "Enter the budget in pounds, like 400000, 400,000 or £400,000.50"),
    ({"budget": "", "funding_rule": "strict"}, "Enter the budget, like 400,000"),
    ({"budget": "100"}, "Choose how to draw the funding line"),
    ({"budget": "100", "funding_rule": "random"}, "Choose how to draw the funding line"),
])
def test_bad_funding_changes_nothing(app, client, round_, data, message):
    before = stored()
    assert error_summary(submit(client, SETUP + "/funding", data)) == [message]
    assert stored() == before


# --- Blind review -----------------------------------------------------------------------

def test_officer_marks_extra_columns_safe_to_show(app, client, round_):
    rounds.add_application(None, round_, {
        "reference": "A1", "title": "Garden", "requested_amount": 10, "postcode": "LS6 1AA",
        "ward": "Hyde Park"}, system="tests")
    db.session.commit()
    page = client.get(SETUP + "/blind").get_data(as_text=True)
    assert re.findall(r'name="shown_columns" type="checkbox" value="(\w+)"', page) == [
        "postcode", "ward"]
    assert ("the applicant's name, organisation and contact email are always hidden from "
            "them") in page_text(client.get(SETUP + "/blind"))
    submit(client, SETUP + "/blind", {"shown_columns": ["ward"],
                                      "show_group_labels": "no",
                                      "lived_experience_first": "no",
                                      "min_group_size": "2"})
    after = stored()
    assert (after["identifying_columns"], after["show_group_labels"],
            after["lived_experience_first"]) == (["postcode"], False, False)
    [event] = events("round.blind_changed")
    # A new round invites lived experience to speak first unless the officer says not.
    assert event.before == {"identifying_columns": [], "show_group_labels": True,
                            "lived_experience_first": True}
    assert event.after == {"identifying_columns": ["postcode"], "show_group_labels": False,
                           "lived_experience_first": False}
    assert "applicant_name, organisation, contact_email, postcode" in page_text(
        client.get(SETUP))


def test_blind_settings_refuse_an_unknown_column(app, client, round_):
    before = stored()
    response = submit(client, SETUP + "/blind", {"shown_columns": ["nonsense"],
                                                 "show_group_labels": "yes",
                                                 "lived_experience_first": "no",
                                                 "min_group_size": "2"})
    assert error_summary(response) == ["Choose only from the columns listed"]
    assert stored() == before


def test_officer_sets_the_smallest_group_shown(app, client, round_):
    page = page_text(client.get(SETUP + "/blind"))
    assert ("A group's label or score is shown to the room only when at least this many of "
            "its members scored the application; below it the room sees letters only") in page
    submit(client, SETUP + "/blind", {"show_group_labels": "yes",
                                      "lived_experience_first": "yes",
                                      "min_group_size": "4"})
    assert stored()["min_group_size"] == 4
    [event] = events("round.blind_changed")
    assert (event.before, event.after) == ({"min_group_size": 2}, {"min_group_size": 4})
    assert "4 members" in page_text(client.get(SETUP))


@pytest.mark.parametrize("size", ["1", "21", "2.5", "two", "", "-3"])
def test_the_smallest_group_shown_is_a_whole_number_from_2_to_20(app, client, round_, size):
    before = stored()
    response = submit(client, SETUP + "/blind", {"show_group_labels": "yes",
                                                 "lived_experience_first": "yes",
                                                 "min_group_size": size})
    message = ("Enter the smallest group shown, like 2" if not size else
               "Enter the smallest group shown as a whole number from 2 to 20, like 2")
    assert error_summary(response) == [message]
    assert stored() == before


def test_the_service_refuses_a_group_size_outside_2_to_20(app, round_):
    with pytest.raises(setup.SetupError, match="from 2 to 20"):
        setup.set_blind(None, round_, identifying_columns=[], show_group_labels=True,
                        lived_experience_first=True, min_group_size=21)


# --- Who and when -----------------------------------------------------------------------

@pytest.mark.parametrize("path", DRAFT_ONLY_PAGES)
def test_set_up_changes_only_in_draft(app, client, round_, path):
    open_scoring(round_)
    response = client.get(SETUP + path)
    assert response.status_code == 409
    assert "You cannot do that now" in response.get_data(as_text=True)


def test_posting_to_a_round_in_scoring_changes_nothing(app, client, round_):
    token_page = client.get("/rounds/new").get_data(as_text=True)
    open_scoring(round_)
    before = stored()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', token_page).group(1)
    response = client.post(SETUP + "/funding", data={
        "csrf_token": token, "budget": "5", "funding_rule": "fill"})
    assert response.status_code == 409
    assert stored() == before


@pytest.mark.parametrize("role", ["auditor", "admin"])
def test_other_staff_cannot_set_up_rounds(app, client, role):
    round_builders.draft_round()
    people.staff(f"{role}@example.org", role)
    people.sign_in_staff(client, f"{role}@example.org")
    for path in ["/rounds/new", SETUP] + [SETUP + p for p in DRAFT_ONLY_PAGES]:
        assert client.get(path).status_code == 403, path


def test_panellists_and_strangers_cannot_set_up_rounds(app, client, mailbox):
    round_builders.draft_round()
    assert client.get(SETUP).status_code == 302
    assert client.get("/rounds/new").headers["Location"].startswith("/sign-in")
    people.panellist("amira@example.org")
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    assert client.get("/rounds/new").status_code == 403
    assert client.get(SETUP + "/funding").status_code == 403


@pytest.mark.parametrize("path", ["/rounds/nope/setup", SETUP + "/criteria/zz",
                                  SETUP + "/groups/zz/remove"])
def test_unknown_rounds_criteria_and_groups_are_404(app, client, round_, path):
    assert client.get(path).status_code == 404
