"""The access world: round R with every kind of panel member, staff on no panel and a
member of another round, moved through the real services to any phase, every
identifying field and every name a canary. The access matrix and the blind-leak crawl
call every route in it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from panel.accounts import services as accounts
from panel.accounts.models import User
from panel.conflicts import services as conflicts
from panel.conflicts import suggestions
from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.jobs.models import Job
from panel.moderation import meeting as meetings
from panel.moderation import services as meeting_services
from panel.payments import services as payments
from panel.rounds import services as rounds
from panel.rounds.models import PHASES, Application, PanelMember, Round
from panel.scoring import queries
from panel.scoring import services as scoring
from tests.builders import people
from tests.builders.jobs import prepared_download

SLUG = "canary-round"


OTHER_SLUG = "other-round"


SPEC = {
    "title": "Community assets round", "slug": SLUG, "scale": {"min": 1, "max": 5},
    "budget": 100, "funding_rule": "strict", "weighting": "equal_groups",
    "identifying_columns": ["lead_contact_phone"],
    "groups": [
        {"key": "academic", "label": "Academic", "weight": 1},
        {"key": "lived_experience", "label": "Lived experience", "weight": 1},
        # Never joined by anyone: the officer's "remove group" post may take it away.
        {"key": "spare", "label": "Spare group", "weight": 1},
    ],
    "criteria": [
        {"key": "q", "name": "Quality", "weight": 3, "guidance": "", "descriptors": {}},
        {"key": "n", "name": "Need", "weight": 1, "guidance": "", "descriptors": {}},
        # Never scored: the officer's "remove criterion" post may take it away.
        {"key": "extra", "name": "Extra thoughts", "weight": 1, "guidance": "",
         "descriptors": {}},
    ],
}


AMOUNTS = {"A1": 60, "A2": 50, "A3": 40}


def identifying(reference: str) -> dict[str, str]:
    """Every identifying field of application ``reference``, each a canary."""
    return {"applicant_name": f"CANARY-APPLICANT-{reference} Jo Bloggs",
            "organisation": f"CANARY-ORG-{reference} Marigold Gardens Trust",
            "contact_email": f"canary-{reference.lower()}@leak.example",
            "lead_contact_phone": f"CANARY-PHONE-{reference} 07700 900123"}


def canary_values() -> list[str]:
    """Every identifying value of every application of both rounds."""
    return [value for ref in (*AMOUNTS, "B1") for value in identifying(ref).values()]


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    group: str | None = None
    role: str = "panellist"


# Panel members' names are canaries too: no other panellist's name may reach them.
PANEL = {
    "academic": Person("ada@panel.example", "CANARY-NAME-Ada", "academic"),
    "academic_2": Person("sam@panel.example", "CANARY-NAME-Sam", "academic"),
    "lived_experience": Person("lee@panel.example", "CANARY-NAME-Lee", "lived_experience"),
    "lived_experience_2": Person("kim@panel.example", "CANARY-NAME-Kim", "lived_experience"),
    "chair": Person("cam@panel.example", "CANARY-NAME-Cam", None, "chair"),
}


OTHER_MEMBER = Person("otto@other.example", "CANARY-NAME-Otto", "lived_experience")


STAFF = {"officer": ("olu@staff.example", "Olu Officer"),
         "auditor": ("aud@staff.example", "Audrey Auditor"),
         "admin": ("adm@staff.example", "Adam Admin")}


TARGET = Person("pat@people.example", "Pat Target")  # an account the admin pages act on


@dataclass
class World:
    round: Round
    other_round: Round
    users: dict[str, User] = field(default_factory=dict)
    members: dict[str, PanelMember] = field(default_factory=dict)
    target: User | None = None
    pending_conflict: Conflict | None = None  # for the officer's review pages
    job: Job | None = None  # a download the officer had prepared (its page, its file)

    @property
    def phase(self) -> str:
        db.session.refresh(self.round)
        return self.round.phase

    def current_reference(self) -> str:
        meeting = meetings.meeting_of(self.round)
        if meeting is None:
            return ""
        db.session.refresh(meeting)
        return meeting.current_application.reference if meeting.current_application else ""


def build_world(phase: str) -> World:
    """Round R (and the other round) moved, through the real services, to ``phase``:

    - draft: applications, panel, assignments; Sam stepped out of A1 by the officer; Kim's
      connections match A1 and A2 (suggestions): the officer keeps A1's as a *declared*
      connection, A2's stays pending;
    - scoring: sheets submitted (Ada A1 A2, Sam A2 A3, Lee A1 A2, Kim A1); Ada's and
      Lee's A3 are drafts; Kim declared a connection to A3;
    - moderation: the chair started the meeting, A1 is open, Ada revised her A1 score;
    - decided: outcomes for A1 (fund) and A2 (keep);
    - published: the report is out.

    Opening scoring and publishing e-mail the panel, as an officer's click would."""
    assert phase in PHASES
    world = _draft_world()
    steps = {"scoring": _open_scoring, "moderation": _hold_meeting, "decided": _decide,
             "published": _publish}
    for step in PHASES[1:PHASES.index(phase) + 1]:
        steps[step](world)
        db.session.commit()
    assert world.phase == phase
    return world


def _draft_world() -> World:
    users = {role: people.staff(email, role, name=name)
             for role, (email, name) in STAFF.items()}
    round_ = rounds.create_round(None, SPEC, system="tests")
    for reference, amount in AMOUNTS.items():
        rounds.add_application(None, round_, {
            "reference": reference, "title": f"Project {reference}",
            "lay_summary": f"What project {reference} will do for the estate.",
            "requested_amount": amount, "area": "Northside", **identifying(reference)},
            system="tests")
    world = World(round=round_, other_round=_other_round(users), users=users)
    for role, person in PANEL.items():
        user = accounts.create_account(None, email=person.email, name=person.name,
                                       system="tests")
        world.users[role] = user
        world.members[role] = rounds.add_member(None, round_, user, group_key=person.group,
                                                role=person.role, system="tests")
    world.target = accounts.create_account(None, email=TARGET.email, name=TARGET.name,
                                           system="tests")
    rounds.assign_everyone(None, round_, system="tests")
    officer, a1, a2 = users["officer"], _application(round_, "A1"), _application(round_, "A2")
    conflicts.add_conflict(officer, round_, world.members["academic_2"], a1, "family_or_friend",
                           f"Her brother runs {identifying('A1')['organisation']}", "step_out")
    kim = world.members["lived_experience_2"]
    suggestions.save_connections(kim.user, [kim], [identifying("A1")["organisation"],
                                                   identifying("A2")["organisation"]])
    suggested = {c.application.reference: c for c in db.session.scalars(
        select(Conflict).where(Conflict.member_id == kim.id, Conflict.source == "suggested"))}
    assert set(suggested) == {"A1", "A2"}, "Kim's connections match A1 and A2"
    conflicts.change_level(officer, suggested["A1"], "declared")  # settles it, too
    world.pending_conflict = suggested["A2"]
    assert a2.id == world.pending_conflict.application_id
    world.job = prepared_download(officer, round_)
    # Lived experience is paid for its time, academics are not (docs/payments.md).
    lived = next(g for g in round_.groups if g.key == "lived_experience")
    payments.set_rate(officer, lived, hourly=2500, per_application=None, meeting_fee=7500)
    db.session.commit()
    return world



def _other_round(users: dict[str, User]) -> Round:
    """A second round in scoring, with its own member, application B1 and assignment."""
    other = rounds.create_round(None, {**SPEC, "slug": OTHER_SLUG, "title": "Another round"},
                                system="tests")
    rounds.add_application(None, other, {
        "reference": "B1", "title": "Project B1", "lay_summary": "Another project.",
        "requested_amount": 10, **identifying("B1")}, system="tests")
    user = accounts.create_account(None, email=OTHER_MEMBER.email, name=OTHER_MEMBER.name,
                                   system="tests")
    users["other_member"] = user
    rounds.add_member(None, other, user, group_key=OTHER_MEMBER.group, system="tests")
    rounds.assign_everyone(None, other, system="tests")
    rounds.change_phase(None, other, "scoring", system="tests")
    return other


def _application(round_: Round, reference: str) -> Application:
    return db.session.scalar(select(Application).where(
        Application.round_id == round_.id, Application.reference == reference))


SHEETS = {  # (member, reference): (quality, need, submitted)
    ("academic", "A1"): ("5", "4", True), ("academic", "A2"): ("3", "3", True),
    ("academic", "A3"): ("4", None, False),
    ("academic_2", "A2"): ("4", "4", True), ("academic_2", "A3"): ("2", "3", True),
    ("lived_experience", "A1"): ("1", "2", True), ("lived_experience", "A2"): ("5", "5", True),
    ("lived_experience", "A3"): ("3", None, False),
    ("lived_experience_2", "A1"): ("2", "1", True),
}


def _open_scoring(world: World) -> None:
    rounds.change_phase(None, world.round, "scoring", system="tests", notify=True)
    for (who, reference), (quality, need, submit) in SHEETS.items():
        member = world.members[who]
        assignment = queries.assignment_for(member, reference)
        scoring.answer_no_connection(member.user, assignment)
        scores = {"q": quality, **({"n": need} if need else {})}
        sheet = scoring.save_sheet(member.user, assignment, 0, scores=scores,
                                   comment=f"Thoughts on {reference}")
        if submit:
            scoring.submit_sheet(member.user, assignment, sheet.version)
    kim = world.members["lived_experience_2"]
    scoring.declare_connection(kim.user, queries.assignment_for(kim, "A3"), "uses_services",
                               "I go to their lunch club")


def _hold_meeting(world: World) -> None:
    rounds.change_phase(None, world.round, "moderation", system="tests")
    chair = world.users["chair"]
    meeting = meeting_services.start_meeting(chair, world.round)
    if world.current_reference() != "A1":
        meeting_services.open_item(chair, meeting, "A1")
    ada = world.members["academic"]
    meeting_services.revise_sheet(ada.user, ada, meeting, 0,
                                  {"q": "4", "n": "4", "extra": scoring.UNABLE},
                                  "The lived experience members explained the need")


def _decide(world: World) -> None:
    chair = world.users["chair"]
    meeting = meetings.meeting_of(world.round)
    meeting_services.record_outcome(chair, meeting, "fund", "Strong community support")
    meeting_services.open_item(chair, meeting, "A2")
    meeting_services.record_outcome(chair, meeting, "keep", "")
    # Funding A1 may take the funded set over the budget: deciding then needs a reason
    # (docs/rules.md, "Deciding over budget"); within it, the reason is not used.
    rounds.change_phase(None, world.round, "decided", system="tests",
                        over_budget_reason="The trust covers the difference")


def _publish(world: World) -> None:
    rounds.change_phase(None, world.round, "published", system="tests", notify=True)


# Which application, criterion or group a route is called about.
REFERENCES = {"scoring": "A3", "scoring.assisted": "A3"}


KEYS = {"round_setup.group": "spare", "round_setup.remove_group": "spare",
        "payments.rate": "lived_experience"}


def path_for(rule, world: World) -> str:
    blueprint = rule.endpoint.partition(".")[0]
    values = {
        "slug": SLUG,
        "reference": REFERENCES.get(rule.endpoint, REFERENCES.get(blueprint, "A1")),
        "member_id": world.members["academic"].id,
        "conflict_id": world.pending_conflict.id,
        "user_id": world.target.id,
        "job_id": world.job.id,
        "key": KEYS.get(rule.endpoint, "extra"),
        "direction": "down", "action": "disable", "number": 1, "file_format": "csv",
        "token": "no-such-token", "letter": "A",
    }
    missing = set(rule.arguments) - set(values)
    assert not missing, f"give {rule.endpoint} a value for {missing} in path_for"
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(values[m.group(1)]), rule.rule)
