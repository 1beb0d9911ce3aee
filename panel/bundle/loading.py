"""Writing checked bundle rows to the database, through the services so that every
row is on the audit trail. Nothing here commits: the view or command does."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from panel.accounts import services as accounts
from panel.accounts.models import User
from panel.audit.services import record
from panel.bundle.source import CheckedBundle, check_bundle, open_bundle
from panel.bundle.tables import BundleError
from panel.conflicts import suggestions
from panel.conflicts.models import Conflict
from panel.extensions import db, utcnow
from panel.moderation.models import Decision
from panel.rounds import services as rounds
from panel.rounds.models import Application, PanelMember, Round
from panel.scoring.models import CriterionScore, ScoreSheet


def add_applications(actor: User | None, round_: Round, rows: list[dict], *,
                     system: str | None = None) -> list[Application]:
    """Add rows from :func:`check_applications` to ``round_`` (flushed, audited)."""
    return [rounds.add_application(actor, round_, _fields(row), system=system) for row in rows]


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    # add_application keeps every key it does not know in Application.extra.
    fields = {key: value for key, value in row.items() if key != "extra"}
    return {**fields, **row.get("extra", {})}


def add_panellists(actor: User | None, round_: Round, rows: list[dict], *, invite: bool,
                   system: str | None = None) -> list[PanelMember]:
    """Add rows from :func:`check_panellists` to the panel of ``round_``. People without
    an account get one: invited by e-mail (after the commit) when ``invite``, else
    created silently. An existing account keeps its name."""
    members = []
    for row in rows:
        user = accounts.find_user(row["email"]) or _new_account(actor, row, invite, system)
        members.append(rounds.add_member(actor, round_, user, group_key=row["group"],
                                         role=row["role"], affiliations=row["affiliations"],
                                         system=system))
    return members


def _new_account(actor: User | None, row: dict[str, Any], invite: bool,
                 system: str | None) -> User:
    make = accounts.invite if invite else accounts.create_account
    return make(actor, email=row["email"], name=row["name"], system=system)


def import_bundle(actor: User | None, path: Path, *, invite: bool = False,
                  slug: str | None = None, system: str | None = None) -> Round:
    """Create a draft round from the bundle at ``path`` (a folder or a .zip).

    Every file is read and checked first; if anything is wrong, :class:`BundleError`
    lists every problem and nothing has been written. Otherwise the round and
    everything in it are added (flushed, audited, not committed). ``slug`` replaces
    round.json's slug, to import a copy of a round."""
    files, problems = open_bundle(Path(path))
    bundle, found = check_bundle(files, slug=slug) if not problems else (None, [])
    if problems or found:
        raise BundleError(problems + found)
    round_ = rounds.create_round(actor, bundle.settings, system=system)
    applications = add_applications(actor, round_, bundle.applications, system=system)
    members = add_panellists(actor, round_, bundle.panellists, invite=invite, system=system)
    _History(actor, round_, applications, members, system).write(bundle)
    suggestions.refresh_for_round(round_)
    record("round.imported", actor=actor, target=round_, system=system,
           after={"files": sorted(files), **_counts(bundle)})
    return round_


def _counts(bundle: CheckedBundle) -> dict[str, int]:
    return {"applications": len(bundle.applications), "panellists": len(bundle.panellists),
            "conflicts": len(bundle.conflicts), "sheets": len(bundle.sheets),
            "decisions": len(bundle.decisions)}


class _History:
    """Conflicts, submitted sheets and decisions of an imported round. No service
    records these from a file yet, so each is audited here as ``*.imported``."""

    def __init__(self, actor: User | None, round_: Round, applications: list[Application],
                 members: list[PanelMember], system: str | None) -> None:
        self.actor, self.round, self.system = actor, round_, system
        self.applications = {a.reference: a for a in applications}
        self.members = {m.user.email: m for m in members}
        self.now = utcnow()

    def write(self, bundle: CheckedBundle) -> None:
        for row in bundle.conflicts:
            self._conflict(row)
        for row in bundle.sheets:
            self._sheet(row)
        for row in bundle.decisions:
            self._decision(row)

    def _record(self, action: str, target: Any, after: dict[str, Any]) -> None:
        db.session.add(target)
        db.session.flush()
        record(action, actor=self.actor, target=target, round_id=self.round.id,
               system=self.system, after=after)

    def _conflict(self, row: dict[str, Any]) -> None:
        conflict = Conflict(member=self.members[row["email"]],
                            application=self.applications[row["reference"]],
                            kind=row["kind"], details=row["details"], level=row["level"],
                            source="imported", status="confirmed",
                            reviewed_by=self.actor, reviewed_at=self.now)
        self._record("conflict.imported", conflict, row)

    def _sheet(self, row: dict[str, Any]) -> None:
        criteria = self.round.criteria
        sheet = ScoreSheet(
            member=self.members[row["email"]], application=self.applications[row["reference"]],
            stage=row["stage"], revision=row["revision"], status="submitted",
            comment=row["comment"], reason=row["reason"], assisted_by=self.actor,
            submitted_at=self.now,
            scores=[CriterionScore(criterion=c, value=row["values"].get(c.key)) for c in criteria],
        )
        self._record("sheet.imported", sheet, row)

    def _decision(self, row: dict[str, Any]) -> None:
        decision = Decision(application=self.applications[row["reference"]],
                            outcome=row["outcome"], rationale=row["rationale"],
                            recorded_by=self.actor, recorded_at=self.now)
        self._record("decision.imported", decision, row)

