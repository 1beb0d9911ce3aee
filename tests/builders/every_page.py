"""A world where every page with a form can be reached: a round in scoring, a draft round,
the worked example's meeting running, every kind of staff member signed in (one with
two-step sign-in, one half-way through it, one turned off), a panellist, a chair and a
follower, an unused sign-in link and invitation; and every row of the database, to show
that a refused request changed nothing."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from panel.accounts import services as accounts
from panel.accounts.models import User
from panel.bundle import import_bundle
from panel.extensions import db
from panel.moderation import services as moderation
from panel.payments import services as payments
from panel.rounds import services as rounds
from panel.rounds.queries import round_by_slug
from panel.scoring import queries as scoring_queries
from panel.scoring import services as scoring
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.jobs import prepared_download
from tests.builders.people import next_code, staff_with_two_step
from tests.builders.worked import PANELLISTS, worked_bundle
from tests.support.web import submit

if TYPE_CHECKING:
    from tests.web.test_csrf_everywhere import Post


SCORING, DRAFT = "test-round", "draft-round"


CHAIR, FOLLOWER = "chair@panel.example", "lived1@panel.example"


@dataclass
class World:
    clients: dict
    values: dict

    def urls(self, request: Post) -> list[str]:
        return [url.format(**self.values) for url in request.urls]

    def body(self, request: Post) -> dict:
        return {key: [v.format(**self.values) for v in value] if isinstance(value, list)
                else value.format(**self.values) for key, value in request.body.items()}


def _signed_in_staff(app, email: str, role: str, name: str):
    people.staff(email, role, name=name)
    client = app.test_client()
    people.sign_in_staff(client, email)
    return client


def _signed_in_by_link(app, mailbox, email: str):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    return client


def _scoring_round() -> dict:
    """Amira and Ben score A1 and A2; Ben has declared a connection to A2."""
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 60, 50)
    amira = round_builders.member(round_, "amira@example.org", "academic")
    ben = round_builders.member(round_, "ben@example.org", "lived_experience")
    rounds.assign_everyone(None, round_, system="tests")
    rounds.change_phase(None, round_, "scoring", system="tests")
    _pay(round_, "academic")  # Amira's own time and payment pages have something to show
    db.session.commit()
    conflict = scoring.declare_connection(ben.user, scoring_queries.assignment_for(ben, "A2"),
                                          "local", "My neighbour volunteers there")
    db.session.commit()
    return {"amira_member": str(amira.id), "ben_member": str(ben.id),
            "conflict_id": str(conflict.id)}


def _pay(round_, group_key: str) -> None:
    """The group is paid £20 an hour for its time (docs/payments.md)."""
    group = next(g for g in round_.groups if g.key == group_key)
    payments.set_rate(None, group, hourly=2000, per_application=None, meeting_fee=None)


def _meeting_round(tmp_path) -> str:
    """The worked example of DESIGN.md §3 in moderation, its meeting started by the chair;
    the lived-experience follower's panel place (its id)."""
    round_ = import_bundle(None, worked_bundle(
        tmp_path / "bundle",
        **{"panellists.csv": PANELLISTS + f"{CHAIR},Chair Person,,chair\n",
           "decisions.csv": "reference,outcome,rationale\n"}), system="tests")
    round_.phase = "moderation"
    _pay(round_, "lived_experience")  # the follower's meeting time can be corrected
    db.session.commit()
    chair = db.session.scalar(sa.select(User).where(User.email == CHAIR))
    moderation.start_meeting(chair, round_)
    db.session.commit()
    return str(next(m.id for m in round_.members if m.user.email == FOLLOWER))


def _links(mailbox) -> dict:
    """A panellist's unused sign-in link and a new auditor's unused invitation."""
    accounts.request_sign_in_link("ben@example.org")
    accounts.invite(None, email="new.auditor@example.org", name="New Auditor",
                    roles={"auditor"}, system="tests")
    db.session.commit()
    return {"sign_in_link": mailbox.last_link("ben@example.org", "/sign-in/link/")
            .rsplit("/", 1)[1],
            "invitation": mailbox.last_link("new.auditor@example.org", "/invitation/")
            .rsplit("/", 1)[1]}


@pytest.fixture
def world(app, mailbox, tmp_path) -> World:
    values = _scoring_round()
    round_builders.draft_round(slug=DRAFT, title="Draft round")
    values["follower_member"] = _meeting_round(tmp_path)
    clients = {
        "anonymous": app.test_client(),
        "officer": _signed_in_staff(app, "officer@example.org", "officer", "Olu Officer"),
        "admin": _signed_in_staff(app, "admin@example.org", "admin", "Ada Admin"),
        "auditor": _signed_in_staff(app, "auditor@example.org", "auditor", "Hannah Price"),
        "panellist": _signed_in_by_link(app, mailbox, "amira@example.org"),
        "chair": _signed_in_by_link(app, mailbox, CHAIR),
        "follower": _signed_in_by_link(app, mailbox, FOLLOWER),
    }
    staff_with_two_step(app, "two.step@example.org", "officer", name="Tess Twostep")
    two_step = clients["two_step"] = app.test_client()
    people.sign_in_staff(two_step, "two.step@example.org")
    submit(two_step, "/sign-in/code", {"code": next_code("two.step@example.org")})
    past_password = clients["past_password"] = app.test_client()
    assert people.sign_in_staff(past_password, "two.step@example.org").headers[
        "Location"] == "/sign-in/code"
    disabled = people.staff("gone@example.org", "auditor", name="Gus Gone")
    accounts.set_active(_user("admin@example.org"), disabled, False)
    db.session.commit()
    clients["anonymous"].get("/sign-in")  # an anonymous session, with its own token
    values.update(_links(mailbox))
    officer = _user("officer@example.org")
    job = prepared_download(officer, round_by_slug(SCORING))
    db.session.commit()
    values.update(officer_id=str(officer.id), job_id=str(job.id),
                  two_step_id=str(_user("two.step@example.org").id),
                  disabled_id=str(disabled.id))
    return World(clients, values)


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def database_rows() -> dict[str, list]:
    """Every row of every table, to compare before and after."""
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(sa.select(table)).all()))
            for table in db.metadata.sorted_tables}
