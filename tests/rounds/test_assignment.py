"""Who reviews what: the pure assignment plan (panel/rounds/assignment.py), by hand-worked
examples and by properties that must hold for any panel."""
from __future__ import annotations

import html as html_lib
import itertools
import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from panel.accounts.models import User
from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.conflicts.models import Conflict
from panel.extensions import db, utcnow
from panel.rounds import services
from panel.rounds.assignment import Panellist, everyone, set_number
from panel.rounds.models import Application, Assignment, PanelMember
from panel.rounds.services import RoundError
from panel.scoring.models import ScoreSheet
from tests.builders import rounds as round_builders
from tests.support.web import submit

GROUPS = {"academic": "Academic", "lived": "Lived experience"}
APPS = ["A1", "A2", "A3", "A4", "A5", "A6"]


def loads(plan, panellists) -> dict:
    counts = Counter(member for member, _ in plan.pairs)
    return {p.id: counts.get(p.id, 0) for p in panellists}


def reviewers(plan) -> dict:
    found: dict = {}
    for member, application in plan.pairs:
        found.setdefault(application, []).append(member)
    return found


# --- Hand-worked examples -------------------------------------------------------------

def test_two_academics_four_lived_experience_two_reviewers_each():
    # Each application needs one academic and one lived-experience panellist, so the two
    # academics take three each; the four others share six: 2, 2, 1, 1.
    panel = [Panellist("ac1", "academic"), Panellist("ac2", "academic"),
             *(Panellist(f"le{i}", "lived") for i in range(1, 5))]
    plan = set_number(panel, APPS, 2)
    assert reviewers(plan) == {
        "A1": ["ac1", "le1"], "A2": ["ac2", "le2"], "A3": ["ac1", "le3"],
        "A4": ["ac2", "le4"], "A5": ["ac1", "le1"], "A6": ["ac2", "le2"],
    }
    assert loads(plan, panel) == {"ac1": 3, "ac2": 3, "le1": 2, "le2": 2, "le3": 1, "le4": 1}
    assert plan.warnings == []


def test_one_group_no_conflicts_workloads_differ_by_at_most_one():
    panel = [Panellist(f"p{i}", "academic") for i in range(4)]
    plan = set_number(panel, APPS, 3)  # 18 reviews over 4 people: 5, 5, 4, 4
    assert sorted(loads(plan, panel).values()) == [4, 4, 5, 5]
    assert all(len(r) == 3 for r in reviewers(plan).values())


def test_stepped_out_member_is_never_assigned_and_the_other_academic_covers():
    panel = [Panellist("ac1", "academic"), Panellist("ac2", "academic"),
             Panellist("le1", "lived"), Panellist("le2", "lived")]
    plan = set_number(panel, ["A1", "A2"], 2, forbidden={("ac1", "A2")})
    assert ("ac1", "A2") not in plan.pairs
    # A2 has fewer people able to review it, so it is filled first.
    assert reviewers(plan) == {"A1": ["ac1", "le2"], "A2": ["ac2", "le1"]}


def test_group_whose_only_member_stepped_out_is_named_in_a_warning():
    panel = [Panellist("ac1", "academic"), Panellist("ac2", "academic"),
             Panellist("le1", "lived")]
    plan = set_number(panel, ["A1", "A2"], 2, forbidden={("le1", "A1")},
                      names={"A1": "CA-001", "A2": "CA-002"}, group_names=GROUPS)
    assert reviewers(plan)["A1"] == ["ac1", "ac2"]
    assert plan.warnings == [
        "No Lived experience panellist can review CA-001: they have all stepped out because "
        "of a conflict of interest."
    ]


def test_one_reviewer_cannot_cover_two_groups_and_says_where():
    panel = [Panellist("ac1", "academic"), Panellist("le1", "lived")]
    plan = set_number(panel, ["A1", "A2", "A3"], 1, group_names=GROUPS)
    assert reviewers(plan) == {"A1": ["ac1"], "A2": ["le1"], "A3": ["ac1"]}
    assert plan.warnings == [
        "No Academic panellist reviews A2: 1 reviewer is not enough for one from every group.",
        "No Lived experience panellist reviews A1 and A3: 1 reviewer is not enough for one "
        "from every group.",
    ]


def test_asking_for_more_reviewers_than_can_review_gives_everyone_and_warns():
    panel = [Panellist("ac1", "academic"), Panellist("le1", "lived"), Panellist("le2", "lived")]
    plan = set_number(panel, ["A1", "A2"], 3, forbidden={("le2", "A2")})
    assert reviewers(plan) == {"A1": ["ac1", "le1", "le2"], "A2": ["ac1", "le1"]}
    assert plan.warnings == [
        "Fewer than 3 panellists can review A2 (2), because of conflicts of interest or too "
        "few panellists. Each gets everyone who can."
    ]


def test_fixed_pairs_are_kept_and_count_toward_the_number():
    panel = [Panellist("ac1", "academic"), Panellist("ac2", "academic"),
             Panellist("le1", "lived"), Panellist("le2", "lived")]
    plan = set_number(panel, ["A1", "A2"], 2, fixed={("ac2", "A1"), ("le2", "A1")})
    assert reviewers(plan) == {"A1": ["ac2", "le2"], "A2": ["ac1", "le1"]}


def test_a_swap_evens_out_what_the_greedy_pass_left_uneven():
    # The greedy pass gives both applications to ac1 (A2's other choice, "guest", has no
    # group); moving A1 to ac2 leaves everyone with at most one.
    panel = [Panellist("guest", None), Panellist("ac1", "academic"),
             Panellist("ac2", "academic")]
    plan = set_number(panel, ["A1", "A2"], 1, forbidden={("guest", "A1"), ("ac2", "A2")})
    assert reviewers(plan) == {"A1": ["ac2"], "A2": ["ac1"]}


def test_everyone_reviews_every_application_except_where_they_stepped_out():
    panel = [Panellist("ac1", "academic"), Panellist("le1", "lived")]
    plan = everyone(panel, ["A1", "A2"], forbidden={("le1", "A2")})
    assert plan.pairs == [("ac1", "A1"), ("le1", "A1"), ("ac1", "A2")]


def test_no_applications_or_no_panellists_plan_nothing():
    assert set_number([], APPS, 2).pairs == []
    assert set_number([Panellist("p", "academic")], [], 2).pairs == []


# --- Properties -------------------------------------------------------------------------

@st.composite
def panels(draw, max_members: int = 7, max_apps: int = 9):
    size = draw(st.integers(1, max_members))
    groups = draw(st.lists(st.sampled_from(["academic", "lived", "carer", None]),
                           min_size=size, max_size=size))
    panel = [Panellist(f"p{i}", g) for i, g in enumerate(groups)]
    apps = [f"A{i}" for i in range(1, draw(st.integers(1, max_apps)) + 1)]
    forbidden = draw(st.sets(st.tuples(st.sampled_from([p.id for p in panel]),
                                       st.sampled_from(apps)), max_size=size * len(apps) // 2))
    k = draw(st.integers(1, size + 1))
    return panel, apps, forbidden, k


def eligible(panel, application, forbidden):
    return [p for p in panel if (p.id, application) not in forbidden]


@settings(max_examples=300, deadline=None)
@given(panels())
def test_property_never_a_forbidden_pair_and_no_duplicates(case):
    panel, apps, forbidden, k = case
    plan = set_number(panel, apps, k, forbidden=forbidden)
    assert not set(plan.pairs) & forbidden
    assert len(plan.pairs) == len(set(plan.pairs))


@settings(max_examples=300, deadline=None)
@given(panels())
def test_property_each_application_gets_k_or_everyone_eligible(case):
    panel, apps, forbidden, k = case
    plan = set_number(panel, apps, k, forbidden=forbidden)
    got = reviewers(plan)
    for application in apps:
        assert len(got.get(application, [])) == min(k, len(eligible(panel, application,
                                                                     forbidden)))


@settings(max_examples=300, deadline=None)
@given(panels())
def test_property_every_group_with_an_eligible_member_is_covered_when_k_allows(case):
    panel, apps, forbidden, k = case
    plan = set_number(panel, apps, k, forbidden=forbidden)
    group = {p.id: p.group for p in panel}
    got = reviewers(plan)
    for application in apps:
        able = eligible(panel, application, forbidden)
        groups_able = {p.group for p in able} - {None}
        covered = {group[m] for m in got.get(application, [])} - {None}
        assert len(covered) == min(len(groups_able), min(k, len(able)))
        if k >= len(groups_able):
            assert covered == groups_able


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 20), st.integers(1, 12), st.booleans())
def test_property_spread_at_most_one_with_one_group_and_no_conflicts(size, n_apps, k, grouped):
    panel = [Panellist(f"p{i}", "academic" if grouped else None) for i in range(size)]
    plan = set_number(panel, [f"A{i}" for i in range(n_apps)], k)
    spread = loads(plan, panel)
    assert max(spread.values()) - min(spread.values()) <= 1


def best_spread(panel, apps, forbidden, k):
    """The smallest workload spread any valid plan reaches, by trying them all."""
    options = []
    for application in apps:
        able = eligible(panel, application, forbidden)
        groups_able = {p.group for p in able} - {None}
        size = min(k, len(able))
        options.append([
            [p.id for p in chosen] for chosen in itertools.combinations(able, size)
            if {p.group for p in chosen} - {None} == groups_able
        ])
    best = None
    for choice in itertools.product(*options):
        counts = Counter(m for chosen in choice for m in chosen)
        values = [counts.get(p.id, 0) for p in panel]
        spread = max(values) - min(values)
        best = spread if best is None else min(best, spread)
    return best


@settings(max_examples=300, deadline=None)
@given(panels(max_members=4, max_apps=4))
def test_property_workloads_are_as_even_as_any_valid_plan_could_make_them(case):
    panel, apps, forbidden, k = case
    groups_needed = max(len({p.group for p in eligible(panel, a, forbidden)} - {None})
                        for a in apps)
    if k < groups_needed:
        return  # covering every group is impossible; the plan only promises its best
    plan = set_number(panel, apps, k, forbidden=forbidden)
    spread = loads(plan, panel)
    assert max(spread.values()) - min(spread.values()) == best_spread(panel, apps,
                                                                      forbidden, k)


@settings(max_examples=100, deadline=None)
@given(panels(), st.data())
def test_property_fixed_pairs_stay_and_the_plan_is_deterministic(case, data):
    panel, apps, forbidden, k = case
    allowed = [(p.id, a) for p in panel for a in apps if (p.id, a) not in forbidden]
    fixed = data.draw(st.sets(st.sampled_from(allowed), max_size=3)) if allowed else set()
    plan = set_number(panel, apps, k, forbidden=forbidden, fixed=fixed)
    assert fixed <= set(plan.pairs)
    assert set_number(panel, apps, k, forbidden=forbidden, fixed=fixed) == plan


@settings(max_examples=100, deadline=None)
@given(panels())
def test_property_everyone_is_every_pair_but_the_forbidden(case):
    panel, apps, forbidden, _ = case
    plan = everyone(panel, apps, forbidden=forbidden)
    assert set(plan.pairs) == {(p.id, a) for p in panel for a in apps} - forbidden


# --- The assignment pages -----------------------------------------------------------------

ASSIGNMENTS = "/rounds/test-round/assignments"


def hidden_fields(page: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        if 'type="hidden"' in tag:
            name = re.search(r'name="([^"]*)"', tag).group(1)
            fields[name] = html_lib.unescape(re.search(r'value="([^"]*)"', tag).group(1))
    return fields


def text_of(page: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def preview(client, data: dict):
    page = submit(client, ASSIGNMENTS, data).get_data(as_text=True)
    assert "Check the assignments" in page, text_of(page)[:2000]
    return page


def apply(client, preview_page: str):
    return client.post(ASSIGNMENTS, data={**hidden_fields(preview_page), "apply": "1"})


def stored_pairs(round_) -> set[tuple[str, str]]:
    rows = db.session.execute(
        select(User.email, Application.reference).select_from(Assignment)
        .join(PanelMember, Assignment.member_id == PanelMember.id)
        .join(User, PanelMember.user_id == User.id)
        .join(Application, Assignment.application_id == Application.id)
        .where(PanelMember.round_id == round_.id)).all()
    return {(email.split("@")[0], reference) for email, reference in rows}


def audit(action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


@pytest.fixture
def panel_round(app):
    """Ac1, Ac2 (academic), Le1, Le2 (lived experience) and a chair; A1–A3; Le1 has
    stepped out of A2."""
    round_ = round_builders.draft_round()
    apps = round_builders.applications(round_, 60, 50, 40)
    members = {email: round_builders.member(round_, f"{email}@example.org", group)
               for email, group in (("ac1", "academic"), ("ac2", "academic"),
                                    ("le1", "lived_experience"), ("le2", "lived_experience"))}
    round_builders.member(round_, "chair@example.org", "academic", role="chair")
    db.session.add(Conflict(member=members["le1"], application=apps[1], level="step_out",
                            status="confirmed"))
    db.session.commit()
    return round_


def test_everyone_is_previewed_then_applied_without_the_chair_or_stepped_out(officer,
                                                                           panel_round):
    page = officer.get(ASSIGNMENTS).get_data(as_text=True)
    assert 'checked class="fp-radios__input" id="mode" name="mode"' in page

    page = preview(officer, {"mode": "everyone"})
    text = text_of(page)
    assert "Everyone reviews every application." in text
    assert "Assignments now 0 To add 11 To remove 0 Assignments after 11" in text
    assert "Ac1 Academic 3 Ac2 Academic 3 Le1 Lived experience 2 Le2 Lived experience 3" in text
    assert "Chair" not in text.split("Applications for each panellist")[1]
    assert "Reviewers Applications Which 3 1 A2 4 2 A1, A3" in text
    assert stored_pairs(panel_round) == set()  # a preview changes nothing

    response = apply(officer, page)
    assert response.status_code == 302
    assert "Assignments saved: 11 added, 0 removed." in officer.get(
        response.headers["Location"]).get_data(as_text=True)
    everyone = {(m, a) for m in ("ac1", "ac2", "le1", "le2") for a in ("A1", "A2", "A3")}
    assert stored_pairs(panel_round) == everyone - {("le1", "A2")}
    (event,) = audit("assignments.created")
    assert opened(event).who == "officer@example.org" and event.round_id == panel_round.id
    assert event.before == {"count": 0}
    assert opened(event).after == {
        "mode": "everyone", "reviewers": None, "count": 11,
        # Someone given every application is written "all applications" (a small event).
        "added": {"ac1@example.org": "all applications", "ac2@example.org": "all applications",
                  "le1@example.org": ["A1", "A3"], "le2@example.org": "all applications"},
        "removed": {}, "kept": {}, "warnings": [],
    }


def test_a_set_number_replaces_assignments_but_keeps_started_ones(officer, panel_round):
    services.assign_everyone(None, panel_round, system="tests")
    members = {m.user.email.split("@")[0]: m for m in panel_round.members}
    a1, _, a3 = panel_round.applications
    db.session.add(ScoreSheet(member=members["le2"], application=a1, status="draft"))
    db.session.scalar(select(Assignment).where(
        Assignment.member_id == members["ac2"].id, Assignment.application_id == a3.id)
    ).passed_at = utcnow()
    db.session.commit()

    page = preview(officer, {"mode": "set_number", "reviewers": "2"})
    text = text_of(page)
    assert "2 reviewers for each application." in text
    assert "Assignments now 11 To add 0 To remove 4 Assignments after 7" in text
    assert "so they stay: Ac2, A3: has passed on it" in text
    assert "Ac1 Academic 2 Ac2 Academic 1 Le1 Lived experience 1 Le2 Lived experience 2" in text

    response = apply(officer, page)
    assert "Assignments saved: 0 added, 4 removed. 1 kept because the panellist had " \
           "already started on them." in officer.get(response.headers["Location"]).get_data(
               as_text=True)
    # Hand-worked: A2 and A3 (three eligible each) are filled before A1; Le2 keeps A1.
    assert stored_pairs(panel_round) == {
        ("ac2", "A1"), ("le2", "A1"), ("ac1", "A2"), ("le2", "A2"),
        ("ac1", "A3"), ("le1", "A3"), ("ac2", "A3"),
    }
    event = audit("assignments.changed")[-1]
    assert event.before == {"count": 11}
    assert opened(event).after == {
        "mode": "set_number", "reviewers": 2, "count": 7, "added": {},
        "removed": {"ac1@example.org": ["A1"], "ac2@example.org": ["A2"],
                    "le1@example.org": ["A1"], "le2@example.org": ["A3"]},
        "kept": {"ac2@example.org": ["A3"]}, "warnings": [],
    }


def test_applying_after_the_round_changed_shows_the_new_preview(officer, panel_round):
    page = preview(officer, {"mode": "everyone"})
    members = {m.user.email.split("@")[0]: m for m in panel_round.members}
    db.session.add(Conflict(member=members["ac1"], application=panel_round.applications[0],
                            level="step_out", status="pending"))
    db.session.commit()
    response = apply(officer, page)
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    assert "There is a problem The round has changed since the preview." in text
    assert "To add 10" in text
    assert stored_pairs(panel_round) == set() and audit("assignments.created") == []


@pytest.mark.parametrize("reviewers,message", [
    ("", "Enter how many panellists should review each application"),
    ("two", "Enter the number of reviewers as a whole number, like 3"),
    ("0", "The number of reviewers must be between 1 and 1,000"),
])
def test_a_bad_number_of_reviewers_is_explained_and_changes_nothing(officer, panel_round,
                                                                   reviewers, message):
    response = submit(officer, ASSIGNMENTS, {"mode": "set_number", "reviewers": reviewers})
    page = response.get_data(as_text=True)
    assert f'<a href="#reviewers">{message}</a>' in page
    assert "<title>Error: Assignments" in page
    assert stored_pairs(panel_round) == set()


def test_warnings_name_the_applications_in_the_preview(officer, panel_round):
    page = preview(officer, {"mode": "set_number", "reviewers": "1"})
    assert "No Academic panellist reviews" in text_of(page)


def test_one_application_reviewers_are_ticked_and_saved(officer, panel_round):
    services.assign_everyone(None, panel_round, system="tests")
    db.session.commit()
    page = officer.get(ASSIGNMENTS + "/A2").get_data(as_text=True)
    members = {m.user.email.split("@")[0]: m for m in panel_round.members}
    le1 = members["le1"].id
    assert re.search(rf'id="members-{le1}" disabled aria-describedby', page)
    assert "Stepped out: conflict of interest" in page
    assert "Chair" not in text_of(page).split("Panellists reviewing this application")[1]

    ticks = {"members": [str(members["ac1"].id), str(members["le2"].id)]}
    response = submit(officer, ASSIGNMENTS + "/A2", ticks)
    assert response.status_code == 302
    assert "Reviewers of A2 saved: 0 added, 1 removed." in officer.get(
        response.headers["Location"]).get_data(as_text=True)
    assert {a for a in stored_pairs(panel_round) if a[1] == "A2"} == {("ac1", "A2"),
                                                                       ("le2", "A2")}
    event = audit("assignments.changed")[-1]
    assert event.object_type == "applications" and event.round_id == panel_round.id
    assert opened(event).before == {"reference": "A2", "reviewers": ["ac1@example.org",
                                                             "ac2@example.org",
                                                             "le2@example.org"]}
    assert opened(event).after == {"reference": "A2", "count": 2,
                           "reviewers": ["ac1@example.org", "le2@example.org"],
                           "added": [], "removed": ["ac2@example.org"]}


def test_a_started_reviewer_stays_and_a_stepped_out_one_cannot_be_added(officer, panel_round):
    services.assign_everyone(None, panel_round, system="tests")
    members = {m.user.email.split("@")[0]: m for m in panel_round.members}
    a1, a2, _ = panel_round.applications
    db.session.add(ScoreSheet(member=members["ac2"], application=a1, status="draft"))
    db.session.commit()
    page = officer.get(ASSIGNMENTS + "/A1").get_data(as_text=True)
    assert "Has a score sheet, so stays assigned" in page
    submit(officer, ASSIGNMENTS + "/A1", {"members": [str(members["ac1"].id)]})
    assert {a for a in stored_pairs(panel_round) if a[1] == "A1"} == {("ac1", "A1"),
                                                                       ("ac2", "A1")}
    with pytest.raises(RoundError, match="Le1 has stepped out of A2 because of a conflict"):
        services.set_reviewers(None, panel_round, a2, {members["le1"].id})
    with pytest.raises(RoundError, match="Ac2 has a score sheet for A1, so stays assigned"):
        services.set_reviewers(None, panel_round, a1, set())
    chair = next(m for m in panel_round.members if m.role == "chair")
    with pytest.raises(RoundError, match="Choose panellists from the list"):
        services.set_reviewers(None, panel_round, a1, {chair.id})


def test_assignments_only_in_draft_or_scoring(officer, panel_round):
    panel_round.phase = "moderation"
    db.session.commit()
    assert officer.get(ASSIGNMENTS).status_code == 409
    assert officer.get(ASSIGNMENTS + "/A1").status_code == 409
    assert officer.get(ASSIGNMENTS + "/NOPE").status_code == 409
    panel_round.phase = "draft"
    db.session.commit()
    assert officer.get(ASSIGNMENTS + "/NOPE").status_code == 404


def test_a_suggested_conflict_still_to_review_is_left_out_and_named(officer, panel_round):
    """Ac2 was matched to A3 by profile; until the officer reviews the suggestion the
    plan leaves the pair out (issue 20), and says so. Ac1 covers A3 for the academics."""
    ac2 = next(m for m in panel_round.members if m.user.email == "ac2@example.org")
    a3 = next(a for a in panel_round.applications if a.reference == "A3")
    db.session.add(Conflict(member=ac2, application=a3, level="step_out", status="pending",
                            source="suggested", kind="other"))
    db.session.commit()
    text = text_of(preview(officer, {"mode": "set_number", "reviewers": "2"}))
    assert ("1 pair is not planned because a suggested conflict is waiting for review: "
            "Ac2 on A3. Review them under Conflicts, then plan again.") in text
    apply(officer, preview(officer, {"mode": "set_number", "reviewers": "2"}))
    pairs = stored_pairs(panel_round)
    assert ("ac2", "A3") not in pairs
    assert {m for m, a in pairs if a == "A3"} == {"ac1", "le1"} or \
        {m for m, a in pairs if a == "A3"} == {"ac1", "le2"}


def test_in_scoring_a_suggestion_takes_no_application_a_panellist_already_has(officer,
                                                                               panel_round):
    """Once scoring is open Ac2 can see A3 on their list: a suggestion still to review
    must not take it away when the officer plans again (DESIGN.md §5: a suggestion
    changes nothing a panellist can notice until it is confirmed). A pair not yet
    assigned is still left out."""
    services.assign_everyone(None, panel_round, system="tests")
    panel_round.phase = "scoring"
    ac2 = next(m for m in panel_round.members if m.user.email == "ac2@example.org")
    le2 = next(m for m in panel_round.members if m.user.email == "le2@example.org")
    a3 = next(a for a in panel_round.applications if a.reference == "A3")
    db.session.execute(delete(Assignment).where(Assignment.member_id == le2.id,
                                                   Assignment.application_id == a3.id))
    for member in (ac2, le2):
        db.session.add(Conflict(member=member, application=a3, level="step_out",
                                status="pending", source="suggested", kind="other"))
    db.session.commit()
    text = text_of(preview(officer, {"mode": "everyone"}))
    assert ("1 pair is not planned because a suggested conflict is waiting for review: "
            "Le2 on A3.") in text
    apply(officer, preview(officer, {"mode": "everyone"}))
    pairs = stored_pairs(panel_round)
    assert ("ac2", "A3") in pairs and ("le2", "A3") not in pairs
