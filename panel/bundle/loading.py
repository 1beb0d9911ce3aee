"""Writing checked bundle rows to the database: each table in a few bulk INSERTs and one
audit event carrying its row count and SHA-256 (:mod:`panel.bundle.bulk`). Nothing here
commits: the view, job or command does.

The audit events are written after the rows. On PostgreSQL every writer of the trail
waits for one lock, held from a writer's first event until its commit
(:mod:`panel.audit.services`); writing the events last holds it for the last moment of
an import instead of all of it, so sign-ins and autosaves elsewhere do not wait."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from panel.accounts import services as accounts
from panel.accounts.models import User
from panel.audit.services import record
from panel.bundle.bulk import BATCH, Progress, Steps, insert_rows, load, table_summary
from panel.bundle.source import CheckedBundle, check_bundle, open_bundle
from panel.bundle.tables import BundleError
from panel.conflicts import suggestions
from panel.conflicts.models import Conflict
from panel.extensions import db, utcnow
from panel.moderation.models import Decision
from panel.payments.models import PayRate
from panel.rounds import columns, welcome
from panel.rounds import services as rounds
from panel.rounds.models import Application, PanelMember, Round
from panel.rounds.services import RoundError
from panel.scoring.models import CriterionScore, ScoreSheet
from panel.scoring.rules import sheet_score

# The last stage the progress callback is told of (benchmarks/import_round.py finds it).
TRAIL = _l("Writing the audit trail")
APPLICATION_FIELDS = ("reference", "title", "lay_summary", "requested_amount",
                      "applicant_name", "organisation", "contact_email",
                      "title_cy", "lay_summary_cy")


def add_applications(actor: User | None, round_: Round, rows: list[dict], *,
                     system: str | None = None,
                     progress: Progress | None = None) -> list[Application]:
    """Add rows from :func:`check_applications` to ``round_`` (flushed, audited as one
    ``applications.imported`` event). ``progress(stage, done, total)`` is told how far
    it has got every :data:`~panel.bundle.bulk.BATCH` rows."""
    loader = _Loader(actor, round_, system, progress)
    added = loader.applications(rows)
    loader.publish()
    return added


def add_panellists(actor: User | None, round_: Round, rows: list[dict], *, invite: bool,
                   system: str | None = None,
                   progress: Progress | None = None) -> list[PanelMember]:
    """Add rows from :func:`check_panellists` to the panel of ``round_`` (one
    ``members.imported`` event). People without an account get one (a ``user.created``
    event each): invited by e-mail (after the commit) when ``invite``, else created
    silently. An existing account keeps its name."""
    loader = _Loader(actor, round_, system, progress)
    added = loader.panellists(rows, invite=invite)
    loader.publish()
    return added


def import_bundle(actor: User | None, path: Path, *, invite: bool = False,
                  slug: str | None = None, system: str | None = None,
                  progress: Progress | None = None) -> Round:
    """Create a draft round from the bundle at ``path`` (a folder or a .zip).

    Every file is read and checked first; if anything is wrong, :class:`BundleError`
    lists every problem and nothing has been written. Otherwise the round and
    everything in it are added (flushed, audited, not committed): ``round.created``,
    an event per new account, one per table, the suggested conflicts, ``round.imported``.
    ``slug`` replaces round.json's slug, to import a copy of a round."""
    files, problems = open_bundle(Path(path))
    bundle, found = check_bundle(files, slug=slug) if not problems else (None, [])
    if problems or found:
        raise BundleError(problems + found)
    steps = Steps(progress)
    steps.tell(_("Creating the round"), 0, 1)
    round_ = rounds.build_round(bundle.settings)
    _pay_rates(round_, bundle.settings["groups"])
    loader = _Loader(actor, round_, system, progress, steps=steps)
    loader.later(lambda: rounds.record_round_created(actor, round_, bundle.settings,
                                                     system=system))
    loader.applications(bundle.applications, shown=bundle.settings.get("shown_columns", []))
    loader.panellists(bundle.panellists, invite=invite)
    loader.history(bundle)
    found = suggestions.find_for_round(round_, progress=progress)  # reads only
    steps.tell(str(TRAIL), 0, 1)
    loader.publish()
    suggestions.apply_findings(found)
    record("round.imported", actor=actor, target=round_, system=system,
           after={"files": sorted(files), **_counts(bundle)})
    return round_


def _pay_rates(round_: Round, groups: list[dict]) -> None:
    """Each group's pay from round.json (in pounds; kept in pence), audited with the round's
    settings in ``round.created``."""
    pay = {group["key"]: group["pay"] for group in groups if group.get("pay")}
    for group in round_.groups:
        if group.key in pay:
            pence = {kind: round(amount * 100) for kind, amount in pay[group.key].items()}
            db.session.add(PayRate(round_id=round_.id, group_id=group.id,
                                   hourly_pence=pence.get("hourly"),
                                   per_application_pence=pence.get("per_application"),
                                   meeting_fee_pence=pence.get("meeting_fee")))
    db.session.flush()


def _counts(bundle: CheckedBundle) -> dict[str, int]:
    return {"applications": len(bundle.applications), "panellists": len(bundle.panellists),
            "conflicts": len(bundle.conflicts), "sheets": len(bundle.sheets),
            "decisions": len(bundle.decisions)}


class _Loader:
    """Writes the tables of one round and keeps their audit events for :meth:`publish`."""

    def __init__(self, actor: User | None, round_: Round, system: str | None,
                 progress: Progress | None, *, steps: Steps | None = None) -> None:
        self.actor, self.round, self.system = actor, round_, system
        self.actor_id = getattr(actor, "id", None)
        self.steps = steps or Steps(progress)
        self.now = utcnow()
        self.events: list[Callable[[], None]] = []
        self.application_ids: dict[str, int] = {}
        self.member_ids: dict[str, int] = {}

    def later(self, event: Callable[[], None]) -> None:
        self.events.append(event)

    def publish(self) -> None:
        """Write the audit events kept so far, in order."""
        for event in self.events:
            event()
        self.events = []

    def _table_event(self, action: str, rows: list[dict], **more: Any) -> None:
        """One event for a whole table: its row count and SHA-256 (bulk.rows_digest)."""
        self.later(lambda: record(action, actor=self.actor, target=self.round,
                                  system=self.system, after={**table_summary(rows), **more}))

    def applications(self, rows: list[dict], *, shown: list[str] | tuple = ()) -> list[Application]:
        values = [self._application(row) for row in rows]
        # Columns the round has not seen are hidden from panellists until the officer
        # marks them safe to show (panel.rounds.columns); ``shown`` are a bundle's.
        hidden = columns.hide_new_columns(
            self.round, (key for value in values for key in value["extra"]), shown=shown)
        ids = insert_rows(Application.__table__, values, stage=_("Adding applications"),
                          steps=self.steps, key=("reference",))
        self.application_ids = {row["reference"]: i for row, i in zip(values, ids)}
        db.session.expire(self.round, ["applications"])
        self._table_event("applications.imported", rows,
                          **({"hidden_columns": hidden} if hidden else {}))
        return load(Application, ids)

    def _application(self, row: dict[str, Any]) -> dict[str, Any]:
        # Columns the round does not know are kept, in file order, in Application.extra.
        extra = {key: value for key, value in row.items()
                 if key not in APPLICATION_FIELDS and key != "extra"}
        return {"round_id": self.round.id, "reference": str(row["reference"]),
                "title": row["title"], "lay_summary": row.get("lay_summary", ""),
                "title_cy": row.get("title_cy", ""),
                "lay_summary_cy": row.get("lay_summary_cy", ""),
                "requested_amount": Decimal(str(row["requested_amount"])),
                "applicant_name": row.get("applicant_name", ""),
                "organisation": row.get("organisation", ""),
                "contact_email": row.get("contact_email", ""),
                "extra": {**extra, **row.get("extra", {})}, "created_at": self.now}

    def panellists(self, rows: list[dict], *, invite: bool) -> list[PanelMember]:
        users = self._accounts(rows, invite)
        groups = {group.key: group.id for group in self.round.groups}
        values = []
        for row in rows:
            if row["group"] and row["group"] not in groups:
                raise RoundError(_("%(round)s has no group called %(group)s",
                                   round=self.round.title, group=row["group"]))
            values.append({"round_id": self.round.id, "user_id": users[row["email"]].id,
                           "group_id": groups.get(row["group"]) if row["group"] else None,
                           "role": row["role"], "affiliations": list(row["affiliations"]),
                           "joined_at": self.now})
        ids = insert_rows(PanelMember.__table__, values, stage=_("Adding panel members"),
                          steps=self.steps, key=("user_id",))
        self.member_ids = {row["email"]: i for row, i in zip(rows, ids)}
        db.session.expire(self.round, ["members"])
        self._table_event("members.imported", rows)
        return load(PanelMember, ids)

    def _accounts(self, rows: list[dict], invite: bool) -> dict[str, User]:
        """Every row's account by e-mail; those not yet known are created (and their
        events, with the invitation, kept for :meth:`publish`)."""
        emails = [accounts.normalise_email(row["email"]) for row in rows]
        users: dict[str, User] = {}
        for start in range(0, len(emails), BATCH):
            users.update((u.email, u) for u in db.session.scalars(
                select(User).where(User.email.in_(emails[start:start + BATCH]))))
        # A new account starts in the language the officer gave (issue 21); a person who
        # already has one keeps their own choice.
        new = [{"email": email, "name": row["name"].strip(), "password_hash": None,
                "active": True, "session_version": 1, "created_at": self.now,
                "language": row.get("language")}
               for email, row in zip(emails, rows) if email not in users]
        ids = insert_rows(User.__table__, new, stage=_("Creating accounts"), steps=self.steps,
                          key=("email",))
        created = load(User, ids)
        users.update((user.email, user) for user in created)
        self.later(lambda: self._account_events(created, invite))
        return users

    def _account_events(self, created: list[User], invite: bool) -> None:
        # The invitation names the round, and what the person's group is told about it.
        pay = welcome.pay_rates(self.round) if invite and created else {}
        groups = {m.user_id: m.group_id for m in self.round.members} if invite else {}
        for user in created:
            accounts.record_created(self.actor, user, system=self.system)
            if invite:
                accounts.send_invitation(
                    self.actor, user, system=self.system,
                    welcome=welcome.welcome(self.round, groups.get(user.id), 0, pay,
                                            user.language))

    def history(self, bundle: CheckedBundle) -> None:
        """Conflicts, submitted sheets and decisions of an imported round."""
        self._conflicts(bundle.conflicts)
        self._sheets(bundle.sheets)
        self._decisions(bundle.decisions)

    def _conflicts(self, rows: list[dict]) -> None:
        values = [{"member_id": self.member_ids[row["email"]],
                   "application_id": self.application_ids[row["reference"]],
                   "kind": row["kind"], "details": row["details"], "level": row["level"],
                   "source": "imported", "status": "confirmed", "review_reason": "",
                   "reviewed_by_id": self.actor_id, "reviewed_at": self.now,
                   "created_at": self.now} for row in rows]
        insert_rows(Conflict.__table__, values, stage=_("Adding conflicts"), steps=self.steps)
        if rows:
            self._table_event("conflicts.imported", rows)

    def _sheets(self, rows: list[dict]) -> None:
        criteria = [(c.id, c.key) for c in self.round.criteria]
        weights = {c.key: c.weight for c in self.round.criteria}
        low, high = self.round.scale_min, self.round.scale_max
        values = [{"member_id": self.member_ids[row["email"]],
                   "application_id": self.application_ids[row["reference"]],
                   "stage": row["stage"], "revision": row["revision"], "status": "submitted",
                   "comment": row["comment"], "comment_for_chair": False,
                   "reason": row["reason"], "assisted_by_id": self.actor_id, "version": 1,
                   "created_at": self.now, "updated_at": self.now, "submitted_at": self.now,
                   # S stored as the ORM stores it (panel.scoring.models), which never
                   # sees these rows
                   "score": sheet_score([(weights[key], value)
                                         for key, value in row["values"].items()
                                         if value is not None], low, high)}
                  for row in rows]
        ids = insert_rows(ScoreSheet.__table__, values, stage=_("Adding score sheets"),
                          steps=self.steps, key=("member_id", "application_id", "revision"))
        scores = [{"sheet_id": sheet_id, "criterion_id": criterion_id,
                   "value": row["values"].get(key)}
                  for row, sheet_id in zip(rows, ids) for criterion_id, key in criteria]
        insert_rows(CriterionScore.__table__, scores, stage=_("Adding scores"), steps=self.steps)
        if rows:
            self._table_event("sheets.imported", rows)

    def _decisions(self, rows: list[dict]) -> None:
        values = [{"application_id": self.application_ids[row["reference"]],
                   "outcome": row["outcome"], "rationale": row["rationale"],
                   "recorded_by_id": self.actor_id, "recorded_at": self.now} for row in rows]
        insert_rows(Decision.__table__, values, stage=_("Adding decisions"), steps=self.steps)
        if rows:
            self._table_event("decisions.imported", rows)
