"""The number of SQL statements a page makes does not grow with the rows it lists
(issue 8): the officer's ranking, dashboard, conflicts queue and matrix, the meeting's
chair page and agenda, the report, and the auditor's trail, each on a small round and on
a large one.

Two rounds of the same shape sit side by side in one database:

=========  ============  =========================  ===============================
round      applications  panellists                 besides
=========  ============  =========================  ===============================
small      3             2 (1 academic, 1 lived)    a chair, every sheet submitted,
large      40            12 (6 academic, 6 lived)   a confirmed step-out and a pending
                                                    declared conflict per panellist,
                                                    the meeting started, one outcome
=========  ============  =========================  ===============================

Each page is asked twice in a row: the first time with nothing kept from before for its
round (the meeting's figures are kept per round version in ``current_app.extensions``),
the second time with whatever the first kept. Both counts must be the same for the two
rounds.

While a page is measured, a lazy load of the same relationship twice in one request
raises (:class:`PerRowLazyLoad`): that is a page loading one row at a time. One lazy load
of, say, the round's criteria is fine.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from panel.accounts.models import User
from panel.bundle import import_bundle
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.moderation import meeting as meetings
from panel.moderation import services as moderation
from panel.rounds import services as rounds
from panel.rounds.models import Assignment, PanelMember, Round
from tests.builders import people
from tests.support.statements import PerRowLazyLoad, counted_statements

SIZES = {"small": (3, 1), "large": (40, 6)}  # applications, panellists in each group
CHAIR = "chair@panel.example"
PAGES = {
    "ranking": ("officer", "/rounds/{slug}/ranking"),
    "dashboard": ("officer", "/rounds/{slug}/"),
    "conflicts queue": ("officer", "/rounds/{slug}/conflicts"),
    "conflicts matrix": ("officer", "/rounds/{slug}/conflicts/matrix"),
    "chair's page": ("chair", "/rounds/{slug}/meeting"),
    "agenda": ("chair", "/rounds/{slug}/meeting/agenda"),
    "report": ("officer", "/rounds/{slug}/report"),
    "trail": ("auditor", "/audit/trail?round={slug}"),
}


# Two rounds of the same shape -----------------------------------------------------------------

def bundle(folder: Path, slug: str, applications: int, per_group: int) -> Path:
    panellists = [(f"{slug}-{group[:3]}{n}@panel.example", f"{group.title()} {n}", group)
                  for group in ("academic", "lived_experience") for n in range(1, per_group + 1)]
    references = [f"A{n}" for n in range(1, applications + 1)]
    files = {
        "round.json": json.dumps({
            "title": f"Round {slug}", "slug": slug, "scale": {"min": 1, "max": 5},
            "budget": 25 * applications, "funding_rule": "strict", "weighting": "equal_groups",
            "groups": [{"key": "academic", "label": "Academic", "weight": 1},
                       {"key": "lived_experience", "label": "Lived experience", "weight": 1}],
            "criteria": [
                {"key": "q", "name": "Quality", "weight": 3, "guidance": "", "descriptors": {}},
                {"key": "n", "name": "Need", "weight": 1, "guidance": "", "descriptors": {}}],
        }),
        "applications.csv": "reference,title,lay_summary,requested_amount,applicant_name,"
                            "organisation,contact_email\n" + "".join(
            f"{ref},Project {ref},What {ref} does,{10 + n % 7 * 5},Applicant {n},Org {n},"
            f"a{n}@org.example\n" for n, ref in enumerate(references, start=1)),
        "panellists.csv": "email,name,group,role\n" + "".join(
            f"{email},{name},{group},panellist\n" for email, name, group in panellists)
            + f"{slug}-{CHAIR},Chair of {slug},,chair\n",
        "scores.csv": "email,reference,stage,q,n,comment\n" + "".join(
            f"{email},{ref},initial,{1 + (i + n) % 5},{1 + (i * n) % 5},Comment {n}\n"
            for i, (email, _, _) in enumerate(panellists)
            for n, ref in enumerate(references, start=1)
            if (i, n) != (0, 1)),  # the first panellist stepped out of A1: no sheet
        "conflicts.csv": "email,reference,kind,details\n"
                         f"{panellists[0][0]},A1,family_or_friend,My sister runs it\n",
        "decisions.csv": "reference,outcome,rationale\n",
    }
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build_round(tmp_path: Path, slug: str, applications: int, per_group: int) -> Round:
    round_ = import_bundle(None, bundle(tmp_path / slug, slug, applications, per_group),
                           system="tests")
    db.session.commit()
    rounds.assign_everyone(None, round_, system="tests")
    members = db.session.scalars(sa.select(PanelMember).where(
        PanelMember.round_id == round_.id, PanelMember.role == "panellist")).all()
    for n, member in enumerate(members):  # one pending declared conflict each
        application = round_.applications[(n + 1) % len(round_.applications)]
        db.session.add(Conflict(member=member, application=application, level="declared",
                                status="pending", kind="local", source="declared",
                                details=f"Lives near {application.reference}"))
    round_.phase = "moderation"
    db.session.commit()
    chair = db.session.scalar(sa.select(User).where(User.email == f"{slug}-{CHAIR}"))
    meeting = moderation.start_meeting(chair, round_)
    db.session.commit()
    moderation.record_outcome(chair, meeting, "fund", "Reaches people no one else does")
    moderation.next_item(chair, meeting)
    db.session.commit()
    return round_


@pytest.fixture
def two_rounds(app, mailbox, tmp_path):
    for slug, (applications, per_group) in SIZES.items():
        build_round(tmp_path, slug, applications, per_group)
    clients = {}
    for who, role in (("officer", "officer"), ("auditor", "auditor")):
        people.staff(f"{who}@example.org", role, name=who.title())
        clients[who] = app.test_client()
        people.sign_in_staff(clients[who], f"{who}@example.org")
    for slug in SIZES:
        chair = clients[f"chair {slug}"] = app.test_client()
        people.sign_in_by_link(chair, mailbox, f"{slug}-{CHAIR}")
    return clients


# Counting ----------------------------------------------------------------------------------------


def statements_for(client, url: str) -> int:
    with counted_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(statements)


def page_counts(clients, slug: str) -> dict[str, tuple[int, int]]:
    """(first time, second time) for each page of the round ``slug``."""
    counts = {}
    for page, (who, url) in PAGES.items():
        client = clients[f"chair {slug}" if who == "chair" else who]
        url = url.format(slug=slug)
        counts[page] = (statements_for(client, url), statements_for(client, url))
    return counts


def test_pages_make_the_same_number_of_queries_for_a_small_and_a_large_round(app, two_rounds):
    for client in two_rounds.values():
        client.get("/")  # anything done once per process is done before counting
    # The first request for each round must do the meeting's sums, as in a fresh worker.
    app.extensions.pop("fairpanel_meeting_figures", None)
    small, large = (page_counts(two_rounds, slug) for slug in SIZES)
    print("statements per page (first, second):", small)
    differ = {page: (small[page], large[page]) for page in PAGES if small[page] != large[page]}
    assert not differ, f"small != large: {differ}"


def test_the_guard_catches_a_page_loading_row_by_row(app, two_rounds):
    """The check above is not vacuous: reading each assignment's member one at a time is
    what it stops."""
    db.session.expire_all()
    assignments = db.session.scalars(sa.select(Assignment).order_by(Assignment.id)).all()
    with pytest.raises(PerRowLazyLoad, match="Assignment.member"):
        with counted_statements():
            for assignment in assignments:
                assignment.member.user_id


def test_the_rounds_really_differ_in_size(app, two_rounds):
    sizes = {slug: (len(round_.applications), len(round_.members))
             for slug in SIZES for round_ in [db.session.scalar(
                 sa.select(Round).where(Round.slug == slug))]}
    assert sizes == {"small": (3, 3), "large": (40, 13)}
    large = db.session.scalar(sa.select(Round).where(Round.slug == "large"))
    assert meetings.meeting_of(large).current_application.reference != \
        meetings.meeting_of(large).items[0].application.reference
