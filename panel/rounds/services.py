"""Every change to a round's set-up and phase. Each function checks the rule, flushes
and records an audit event; the caller commits."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from panel.accounts.models import User
from panel.audit.services import record
from panel.extensions import db
from panel.rounds.models import (
    PHASES, Application, Assignment, Criterion, Group, PanelMember, Round,
)
from panel.scoring.models import ScoreSheet

# The only ways back (DESIGN.md §2); each needs a reason.
BACK_STEPS = {("scoring", "draft"), ("moderation", "scoring")}


class RoundError(ValueError):
    """A rule about rounds was broken; the message says what to fix."""


def create_round(actor: User | None, spec: dict[str, Any], *, system: str | None = None) -> Round:
    """A new draft round from a bundle-style ``spec`` (the keys of ``round.json``)."""
    scale = spec.get("scale", {})
    round_ = Round(
        slug=spec["slug"],
        title=spec["title"],
        description=spec.get("description", ""),
        scale_min=int(scale.get("min", 1)),
        scale_max=int(scale.get("max", 5)),
        scale_descriptors={str(k): v for k, v in scale.get("descriptors", {}).items()},
        budget=Decimal(str(spec.get("budget", 0))),
        funding_rule=spec.get("funding_rule", "strict"),
        weighting=spec.get("weighting", "equal_groups"),
        identifying_columns=list(spec.get("identifying_columns", [])),
    )
    round_.groups = [
        Group(key=g["key"], label=g.get("label", g["key"]), weight=float(g.get("weight", 1)),
              position=i)
        for i, g in enumerate(spec.get("groups") or DEFAULT_GROUPS)
    ]
    round_.criteria = [
        Criterion(key=c["key"], name=c["name"], weight=float(c.get("weight", 1)),
                  guidance=c.get("guidance", ""),
                  descriptors={str(k): v for k, v in c.get("descriptors", {}).items()},
                  position=i)
        for i, c in enumerate(spec.get("criteria", []))
    ]
    db.session.add(round_)
    db.session.flush()
    record("round.created", actor=actor, target=round_, system=system, after=spec)
    return round_


DEFAULT_GROUPS = [
    {"key": "academic", "label": "Academic", "weight": 1},
    {"key": "lived_experience", "label": "Lived experience", "weight": 1},
]


def add_application(actor: User | None, round_: Round, fields: dict[str, Any], *,
                    system: str | None = None) -> Application:
    known = {"reference", "title", "lay_summary", "requested_amount", "applicant_name",
             "organisation", "contact_email"}
    application = Application(
        round=round_,
        reference=str(fields["reference"]),
        title=fields["title"],
        lay_summary=fields.get("lay_summary", ""),
        requested_amount=Decimal(str(fields["requested_amount"])),
        applicant_name=fields.get("applicant_name", ""),
        organisation=fields.get("organisation", ""),
        contact_email=fields.get("contact_email", ""),
        extra={k: v for k, v in fields.items() if k not in known},
    )
    db.session.add(application)
    db.session.flush()
    record("application.added", actor=actor, target=application, system=system, after=fields)
    return application


def add_member(actor: User | None, round_: Round, user: User, *, group_key: str | None,
               role: str = "panellist", affiliations: list[str] | None = None,
               system: str | None = None) -> PanelMember:
    group = next((g for g in round_.groups if g.key == group_key), None)
    if group_key and group is None:
        raise RoundError(f"{round_.title} has no group called {group_key}")
    member = PanelMember(round=round_, user=user, group=group, role=role,
                         affiliations=list(affiliations or []))
    db.session.add(member)
    db.session.flush()
    record("member.added", actor=actor, target=member, system=system,
           after={"user": user.email, "group": group_key, "role": role,
                  "affiliations": member.affiliations})
    return member


def assign_everyone(actor: User | None, round_: Round, *, system: str | None = None) -> int:
    """Every panellist reviews every application (the default). Returns how many were new."""
    existing = set(db.session.execute(
        select(Assignment.member_id, Assignment.application_id)
        .join(PanelMember).where(PanelMember.round_id == round_.id)).all())
    panellists = [m for m in round_.members if m.role == "panellist"]
    new = [Assignment(member=m, application=a) for m in panellists for a in round_.applications
           if (m.id, a.id) not in existing]
    db.session.add_all(new)
    db.session.flush()
    if new:
        record("assignments.created", actor=actor, target=round_, system=system,
               after={"mode": "everyone", "count": len(new)})
    return len(new)


def change_phase(actor: User | None, round_: Round, to_phase: str, *, reason: str = "",
                 system: str | None = None) -> None:
    """Move one step forward, or back where DESIGN.md §2 allows it (with a reason)."""
    if to_phase not in PHASES:
        raise RoundError(f"Unknown phase: {to_phase}")
    here, there = PHASES.index(round_.phase), PHASES.index(to_phase)
    going_back = (round_.phase, to_phase) in BACK_STEPS
    if there != here + 1 and not going_back:
        raise RoundError(f"A round cannot move from {round_.phase} to {to_phase}.")
    if going_back:
        if not reason.strip():
            raise RoundError("Give a reason for moving the round back.")
        if to_phase == "draft" and _submitted_sheets(round_) > 0:
            raise RoundError("Scores have been submitted, so the round cannot go back to draft.")
    before = round_.phase
    round_.phase = to_phase
    record("round.phase_changed", actor=actor, target=round_, system=system,
           before={"phase": before}, after={"phase": to_phase, "reason": reason.strip()})


def _submitted_sheets(round_: Round) -> int:
    return db.session.scalar(
        select(func.count()).select_from(ScoreSheet).join(Application)
        .where(Application.round_id == round_.id, ScoreSheet.status == "submitted")
    ) or 0
