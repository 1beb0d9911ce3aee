"""Builders for rounds in tests: small, explicit, through the real services (audited)."""
from __future__ import annotations

from panel.accounts import services as accounts
from panel.extensions import db
from panel.rounds import services as rounds
from panel.rounds.models import Assignment, Round

SPEC = {
    "title": "Test round",
    "slug": "test-round",
    "scale": {"min": 1, "max": 5},
    "budget": 100,
    "funding_rule": "strict",
    "weighting": "equal_groups",
    "groups": [
        {"key": "academic", "label": "Academic", "weight": 1},
        {"key": "lived_experience", "label": "Lived experience", "weight": 1},
    ],
    "criteria": [
        {"key": "q", "name": "Quality", "weight": 3, "guidance": "", "descriptors": {}},
        {"key": "n", "name": "Need", "weight": 1, "guidance": "", "descriptors": {}},
    ],
}


def draft_round(**changes) -> Round:
    """The worked example's round of DESIGN.md §3 unless ``changes`` say otherwise."""
    round_ = rounds.create_round(None, {**SPEC, **changes}, system="tests")
    db.session.commit()
    return round_


def applications(round_: Round, *amounts: int, prefix: str = "A") -> list:
    """Applications A1, A2… requesting ``amounts``."""
    made = [
        rounds.add_application(None, round_, {
            "reference": f"{prefix}{n}", "title": f"Project {prefix}{n}",
            "lay_summary": f"What project {prefix}{n} will do.", "requested_amount": amount,
            "applicant_name": f"Applicant {n}", "organisation": f"Organisation {n} CIC",
            "contact_email": f"applicant{n}@org{n}.example",
        }, system="tests")
        for n, amount in enumerate(amounts, start=1)
    ]
    db.session.commit()
    return made


def member(round_: Round, email: str, group: str | None, role: str = "panellist"):
    user = accounts.find_user(email) or accounts.create_account(
        None, email=email, name=email.split("@")[0].title(), system="tests")
    made = rounds.add_member(None, round_, user, group_key=group, role=role, system="tests")
    db.session.commit()
    return made


CANARIES = ("CANARY-APPLICANT", "CANARY-ORG", "canary@leak.example", "CANARY-PHONE-0770")


def scoring_round(phase: str = "scoring", members=("amira@example.org",)):
    """A round in ``phase`` with applications A1 (whose identifying fields are canaries)
    and A2, and ``members`` (lived experience) each assigned A1 only."""
    round_ = draft_round(identifying_columns=["lead_contact_phone"])
    rounds.add_application(None, round_, {
        "reference": "A1", "title": "Growing food together", "lay_summary": "A shared garden.",
        "requested_amount": 60, "applicant_name": "CANARY-APPLICANT",
        "organisation": "CANARY-ORG", "contact_email": "canary@leak.example",
        "area": "a mill town", "lead_contact_phone": "CANARY-PHONE-0770"}, system="tests")
    rounds.add_application(None, round_, {
        "reference": "A2", "title": "Walks for older people", "lay_summary": "Gentle walks.",
        "requested_amount": 40, "applicant_name": "Second Applicant",
        "organisation": "Second Org", "contact_email": "second@org.example"}, system="tests")
    db.session.commit()
    made = [member(round_, email, "lived_experience") for email in members]
    for panellist in made:
        db.session.add(Assignment(member_id=panellist.id,
                                  application_id=round_.applications[0].id))
    if phase != "draft":
        rounds.change_phase(None, round_, "scoring", system="tests")
    if phase == "moderation":
        rounds.change_phase(None, round_, "moderation", system="tests")
    db.session.commit()
    return round_


def panellist_on_my_rounds(app, mailbox, email: str = "amira@example.org"):
    """A panellist of a round in scoring, signed in by an e-mailed link, with My rounds
    open: their test client."""
    from tests.builders import people

    scoring_round(members=(email,))
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    assert client.get("/my-rounds").status_code == 200
    return client
