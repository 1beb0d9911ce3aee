"""Imports every domain's models so that SQLAlchemy and Alembic see all tables."""
from panel.accounts.models import AccountToken, User, UserRole
from panel.audit.models import AuditAnchor, AuditEvent
from panel.bundle.models import ParkedUpload
from panel.conflicts.models import Conflict
from panel.jobs.models import Job
from panel.mail.models import OutboxMessage
from panel.moderation.models import AgendaItem, Decision, Meeting
from panel.payments.models import MemberPay, PayRate, TimeRecord
from panel.rounds.models import (
    Application,
    Assignment,
    Criterion,
    Group,
    PanelMember,
    Round,
)
from panel.scoring.models import CriterionScore, ScoreSheet

__all__ = [
    "AccountToken",
    "AgendaItem",
    "Application",
    "Assignment",
    "AuditAnchor",
    "AuditEvent",
    "Conflict",
    "Criterion",
    "CriterionScore",
    "Decision",
    "Group",
    "Job",
    "Meeting",
    "MemberPay",
    "OutboxMessage",
    "PanelMember",
    "ParkedUpload",
    "PayRate",
    "Round",
    "ScoreSheet",
    "TimeRecord",
    "User",
    "UserRole",
]
