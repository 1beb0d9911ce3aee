"""A scored round of any size, written with bulk inserts (the services would audit every
row, which is slow at thousands): for tests of how the builders scale, not of the rules.

The worked example's settings (:data:`tests.builders.rounds.SPEC`: two groups, criteria
q weight 3 and n weight 1, scale 1–5) with ``size`` applications R0001…, each scored by
three of nine panellists (the first of them lived experience): every fifth sheet with
``n`` unscored, every seventh revised in the meeting, one step_out conflict, one draft,
and a ``do_not_fund`` decision on the first application. Deterministic."""
from __future__ import annotations

import sqlalchemy as sa

from panel.accounts.models import User
from panel.conflicts.models import Conflict
from panel.extensions import db, utcnow
from panel.moderation.models import Decision
from panel.rounds import services as rounds
from panel.rounds.models import Application, PanelMember, Round
from panel.scoring.models import CriterionScore, ScoreSheet, store_scores
from tests.builders.rounds import SPEC

PANELLISTS = 9
REVIEWERS = 3  # per application


def large_round(size: int, slug: str = "large-round") -> Round:
    """A round of ``size`` applications as above, in moderation, committed."""
    round_ = rounds.create_round(None, {**SPEC, "slug": slug, "budget": 1_000 * size},
                                 system="tests")
    db.session.flush()
    now = utcnow()
    groups = {g.key: g.id for g in round_.groups}
    criteria = {c.key: c.id for c in round_.criteria}
    db.session.execute(sa.insert(Application), [
        {"round_id": round_.id, "reference": f"R{n:04d}", "title": f"Project {n}",
         "lay_summary": "", "requested_amount": 500 + 250 * (n % 7), "extra": {},
         "created_at": now} for n in range(1, size + 1)])
    applications = db.session.execute(sa.select(Application.id).where(
        Application.round_id == round_.id).order_by(Application.reference)).scalars().all()
    db.session.execute(sa.insert(User), [
        {"email": f"{slug}-{m}@example.org", "name": f"Panellist {m}", "active": True,
         "session_version": 1, "created_at": now} for m in range(PANELLISTS)])
    db.session.execute(sa.insert(PanelMember), [
        {"round_id": round_.id, "user_id": user, "role": "panellist", "affiliations": [],
         "group_id": groups["lived_experience" if m % 3 == 0 else "academic"], "joined_at": now}
        for m, user in enumerate(db.session.execute(sa.select(User.id).where(
            User.email.like(f"{slug}-%")).order_by(User.id)).scalars())])
    members = db.session.execute(sa.select(PanelMember.id).where(
        PanelMember.round_id == round_.id).order_by(PanelMember.id)).scalars().all()
    sheets, scores = [], []
    for n, application in enumerate(applications):
        for k in range(REVIEWERS):
            member = members[(n + k * 3) % PANELLISTS]
            for revision in (0, 1) if len(sheets) % 7 == 0 else (0,):
                sheet = len(sheets) + 1
                draft = sheet == 2
                sheets.append({
                    "member_id": member, "application_id": application,
                    "stage": "revised" if revision else "initial", "revision": revision,
                    "status": "draft" if draft else "submitted", "comment": "", "reason": "",
                    "version": 1, "created_at": now, "updated_at": now,
                    "submitted_at": None if draft else now})
                scores += [{"sheet": sheet, "criterion_id": criteria["q"],
                            "value": 1 + (n * 7 + k * 3 + revision) % 5},
                           {"sheet": sheet, "criterion_id": criteria["n"],
                            "value": None if sheet % 5 == 0 else 1 + (n + k) % 5}]
    ids = _inserted(ScoreSheet, sheets)
    db.session.execute(sa.insert(CriterionScore), [
        {"sheet_id": ids[s["sheet"] - 1], "criterion_id": s["criterion_id"], "value": s["value"]}
        for s in scores])
    store_scores(round_.id)  # as submitting each sheet would
    if db.session.get_bind().dialect.name == "postgresql":
        # Fresh planner statistics, as a bulk import leaves them (panel/bundle/bulk.py)
        for table in ("applications", "panel_members", "score_sheets", "criterion_scores"):
            db.session.execute(sa.text(f"ANALYZE {table}"))
    db.session.add(Conflict(member_id=members[0], application_id=applications[-1],
                            kind="other", details="", level="step_out", source="officer",
                            status="confirmed", review_reason="", created_at=now))
    db.session.add(Decision(application_id=applications[0], outcome="do_not_fund",
                            rationale="Tests"))
    round_.phase = "moderation"
    db.session.commit()
    return round_


def _inserted(model, rows: list[dict]) -> list[int]:
    """Insert ``rows`` and return their ids in order (ascending ids as inserted)."""
    db.session.execute(sa.insert(model), rows)
    return db.session.execute(sa.select(model.id).order_by(model.id.desc())
                              .limit(len(rows))).scalars().all()[::-1]
