"""A grant round and what it is made of: groups, criteria, applications, the panel
and who reviews what (DESIGN.md §2, §3, §8)."""
from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    column,
    exists,
    or_,
    table,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from panel.extensions import db, utcnow
from panel.rounds.rules_time_zones import deadline_day, local_time

if TYPE_CHECKING:
    from panel.accounts.models import User



class Phase(StrEnum):
    """A round's phases, in order (DESIGN.md §2). Equal to the strings stored."""

    DRAFT = "draft"
    SCORING = "scoring"
    MODERATION = "moderation"
    DECIDED = "decided"
    PUBLISHED = "published"


# A phase as a sentence names it ("the round is decided"), in the reader's language: the
# templates' ``phase_words`` filter (panel/web.py). Files and the trail keep the codes.
PHASE_WORDS = {Phase.DRAFT: _l("draft"), Phase.SCORING: _l("scoring"),
               Phase.MODERATION: _l("moderation"), Phase.DECIDED: _l("decided"),
               Phase.PUBLISHED: _l("published")}


class MemberRole(StrEnum):
    """What a person does on one round's panel."""

    PANELLIST = "panellist"
    CHAIR = "chair"


PHASES = tuple(phase.value for phase in Phase)
FUNDING_RULES = ("strict", "fill", "lottery")  # lottery: DESIGN.md §3a
WEIGHTINGS = ("equal_groups", "equal_people")
# Whether a round runs the rank model (DESIGN.md §3a): "auto" runs it from
# RANK_MODEL_FROM applications up; "on" and "off" whatever the round's size.
RANK_MODEL_CHOICES = ("auto", "on", "off")
RANK_MODEL_FROM = 10
MEMBER_ROLES = tuple(role.value for role in MemberRole)
# The smallest and largest min_group_size an officer may choose (DESIGN.md §4).
MIN_GROUP_SIZES = (2, 20)
# Words taken by pages under /rounds/ (create a round, import a bundle): never a slug.
RESERVED_SLUGS = frozenset({"new", "import"})
# Columns of applications.csv that always identify the applicant (DESIGN.md §4).
IDENTIFYING_FIELDS = ("applicant_name", "organisation", "contact_email")


class Round(db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    phase: Mapped[str] = mapped_column(String(20), default=Phase.DRAFT.value)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    # {"1": "Poor", ...}: a plain-language descriptor for each level of the scale.
    scale_descriptors: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The same in Welsh, for panellists reading in Welsh (issue 21); levels may be missing.
    scale_descriptors_cy: Mapped[dict[str, str] | None] = mapped_column(JSON, default=dict)
    budget: Mapped[Decimal] = mapped_column(Numeric(14, 2), default=Decimal(0))
    funding_rule: Mapped[str] = mapped_column(String(10), default="strict")
    weighting: Mapped[str] = mapped_column(String(20), default="equal_groups")
    identifying_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    show_group_labels: Mapped[bool] = mapped_column(default=True)
    # On by default; it prompts only in a round with a lived-experience group (§6).
    lived_experience_first: Mapped[bool] = mapped_column(default=True)
    # A group's label or score reaches panellists and the public only when at least this
    # many of its members have a counting sheet on the item (DESIGN.md §4).
    min_group_size: Mapped[int] = mapped_column(default=2, server_default="2")
    scoring_deadline: Mapped[datetime | None]  # UTC: the end of a day in ``time_zone``
    time_zone: Mapped[str] = mapped_column(String(64), default="Europe/London",
                                           server_default="Europe/London")
    # Decided with the funded set over the budget: the officer's reason, and when (§3).
    over_budget_reason: Mapped[str | None] = mapped_column(Text)
    over_budget_acknowledged_at: Mapped[datetime | None]
    # Application columns the funder publishes (e.g. organisation), shown once published.
    public_columns: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # When the round was first published, and how many months after that its panel's
    # personal data is erased (None: kept until someone asks); when that was done
    # (panel/accounts/retention.py).
    published_at: Mapped[datetime | None]
    retention_months: Mapped[int | None]
    retention_applied_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # What panellists are told when scoring opens and on the round's page (issue 20): who
    # funds the round, whom to ask for help, about how long one application takes
    # (minutes; None when the officer has not said).
    funder: Mapped[str] = mapped_column(String(200), default="", server_default="")
    help_contact: Mapped[str] = mapped_column(String(300), default="", server_default="")
    minutes_per_application: Mapped[int | None]
    # How sure the ranking is (DESIGN.md §3a; panel/scoring/rank_model.py): one of
    # RANK_MODEL_CHOICES.
    rank_model: Mapped[str] = mapped_column(String(4), default="auto", server_default="auto")

    groups: Mapped[list[Group]] = relationship(
        back_populates="round", order_by="Group.position", cascade="all, delete-orphan"
    )
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="round", order_by="Criterion.position", cascade="all, delete-orphan"
    )
    applications: Mapped[list[Application]] = relationship(
        back_populates="round", order_by="Application.reference", cascade="all, delete-orphan"
    )
    members: Mapped[list[PanelMember]] = relationship(
        back_populates="round", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(
            "phase IN ('draft', 'scoring', 'moderation', 'decided', 'published')", name="phase_known"
        ),
        CheckConstraint("funding_rule IN ('strict', 'fill', 'lottery')",
                        name="funding_rule_known"),
        CheckConstraint("weighting IN ('equal_groups', 'equal_people')", name="weighting_known"),
        CheckConstraint("rank_model IN ('auto', 'on', 'off')", name="rank_model_known"),
        CheckConstraint("scale_min < scale_max", name="scale_ordered"),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
    )

    def __repr__(self) -> str:
        return f"<Round {self.slug} {self.phase}>"

    # Where the round is, in the words pages use (:mod:`panel.policy` says who may do
    # what in each phase).
    @property
    def in_setup(self) -> bool:
        return self.phase == Phase.DRAFT

    @property
    def scoring_open(self) -> bool:
        return self.phase == Phase.SCORING

    @property
    def in_moderation(self) -> bool:
        return self.phase == Phase.MODERATION

    @property
    def before_meeting(self) -> bool:
        return self.phase in (Phase.DRAFT, Phase.SCORING)

    @property
    def meeting_over(self) -> bool:
        return self.phase in (Phase.DECIDED, Phase.PUBLISHED)

    @property
    def is_decided(self) -> bool:
        return self.phase == Phase.DECIDED

    @property
    def is_published(self) -> bool:
        return self.phase == Phase.PUBLISHED

    @property
    def retention_due_at(self) -> datetime | None:
        """When the panel's personal data is to be erased: ``retention_months`` calendar
        months after first publication (the last day of a shorter month); None when the
        round keeps it, or is not published yet."""
        if self.retention_months is None or self.published_at is None:
            return None
        return months_after(self.published_at, self.retention_months)

    @property
    def scoring_deadline_day(self) -> date | None:
        """The day scores are due by, in the round's time zone (None when not set)."""
        return deadline_day(self.scoring_deadline, self.time_zone)

    @property
    def scoring_deadline_local(self) -> datetime | None:
        """The moment scores are due, as the time in the round's time zone."""
        if self.scoring_deadline is None:
            return None
        return local_time(self.scoring_deadline, self.time_zone)


class Group(db.Model):
    """A constituency of the panel (academic, lived experience…) with its weight."""

    __tablename__ = "round_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(100))
    weight: Mapped[float] = mapped_column(default=1.0)
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="groups")

    __table_args__ = (
        UniqueConstraint("round_id", "key"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )


class Criterion(db.Model):
    __tablename__ = "criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    key: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(default=1.0)
    guidance: Mapped[str] = mapped_column(Text, default="")
    # {"1": "No clear benefit", ...}: what each level means for this criterion.
    descriptors: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # Welsh round content (issue 21): optional; "" or a missing level means English only.
    name_cy: Mapped[str] = mapped_column(String(200), default="", server_default="")
    guidance_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    descriptors_cy: Mapped[dict[str, str] | None] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(default=0)

    round: Mapped[Round] = relationship(back_populates="criteria")

    __table_args__ = (
        UniqueConstraint("round_id", "key"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )


class Application(db.Model):
    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    reference: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    lay_summary: Mapped[str] = mapped_column(Text, default="")
    # Welsh round content (issue 21): optional; "" means English only.
    title_cy: Mapped[str] = mapped_column(String(300), default="", server_default="")
    lay_summary_cy: Mapped[str] = mapped_column(Text, default="", server_default="")
    requested_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    # Identifying fields: never shown to panellists or the chair (DESIGN.md §4).
    applicant_name: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    # Any other imported columns, kept in import order; identifying when the round says so.
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[Round] = relationship(back_populates="applications")

    __table_args__ = (
        UniqueConstraint("round_id", "reference"),
        CheckConstraint("requested_amount >= 0", name="amount_not_negative"),
    )


# The payments layer's table (panel/payments/models.py), named here as a plain table so
# that this layer does not import the one above it.
_PAY_RATES = table("pay_rates", column("group_id"), column("hourly_pence"),
                   column("per_application_pence"), column("meeting_fee_pence"))


class PanelMember(db.Model):
    """A person on one round's panel, as panellist or chair, in one group."""

    __tablename__ = "panel_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("round_groups.id"))
    role: Mapped[str] = mapped_column(String(20), default=MemberRole.PANELLIST.value)
    # Organisations and people the member is connected to, for conflict matching (§5).
    affiliations: Mapped[list[str]] = mapped_column(JSON, default=list)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Whether the member's group is paid for its time (docs/payments.md): loaded with the
    # member, so that the signed-in person's own statement tells the time measuring
    # (panel/payments/recording.py) when there is nothing to measure.
    group_paid: Mapped[bool] = column_property(exists().where(
        _PAY_RATES.c.group_id == group_id,
        or_(_PAY_RATES.c.hourly_pence.is_not(None),
            _PAY_RATES.c.per_application_pence.is_not(None),
            _PAY_RATES.c.meeting_fee_pence.is_not(None))))

    round: Mapped[Round] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="memberships")
    group: Mapped[Group | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("round_id", "user_id"),
        # Every signed-in request loads the person's memberships by user (issue 17).
        Index("ix_panel_members_user", "user_id"),
        CheckConstraint("role IN ('panellist', 'chair')", name="role_known"),
    )

    @property
    def is_chair(self) -> bool:
        """The chair moderates and never scores (DESIGN.md §4)."""
        return self.role == MemberRole.CHAIR


class Assignment(db.Model):
    """Member ``member`` is asked to review ``application``."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("panel_members.id"))
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The answer to "Do you have any connection to this project?": None until asked.
    connection_answer: Mapped[str | None] = mapped_column(String(10))
    answered_at: Mapped[datetime | None]
    # A pass is not a score: the member chose not to review, without a reason (§3).
    passed_at: Mapped[datetime | None]

    member: Mapped[PanelMember] = relationship(back_populates="assignments")
    application: Mapped[Application] = relationship()

    __table_args__ = (
        UniqueConstraint("member_id", "application_id"),
        CheckConstraint(
            "connection_answer IS NULL OR connection_answer IN ('none', 'connected')",
            name="connection_answer_known",
        ),
    )


def months_after(moment: datetime, months: int) -> datetime:
    """``moment`` plus whole calendar months: 31 January + 1 month is 28 (29) February."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))
