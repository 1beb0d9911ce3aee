"""People, their staff roles, the one-time tokens e-mailed to them, and the second
factor (authenticator app and recovery codes) that staff may be asked for."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from panel.extensions import db, utcnow

if TYPE_CHECKING:
    from panel.rounds.models import PanelMember



class Role(StrEnum):
    """Staff roles, held on the account across rounds (panel roles are per round:
    :class:`panel.rounds.models.MemberRole`)."""

    ADMIN = "admin"
    OFFICER = "officer"
    AUDITOR = "auditor"


STAFF_ROLES = tuple(role.value for role in Role)
ROLE_LABELS = {Role.ADMIN: _l("Admin"), Role.OFFICER: _l("Programme officer"),
               Role.AUDITOR: _l("Auditor")}
TOKEN_PURPOSES = ("sign_in", "invitation")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped on sign-out, password change or disabling: every older session dies.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    # The language the person reads FairPanel in ("en", "cy"); None until they choose
    # one, when the browser's preference decides (panel/i18n.py).
    language: Mapped[str | None] = mapped_column(String(8))

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    memberships: Mapped[list[PanelMember]] = relationship(back_populates="user")
    second_factor: Mapped[SecondFactor | None] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("email = lower(email)", name="email_lowercase"),)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        # The session carries the version it was issued under; see load_user().
        return f"{self.id}:{self.session_version}"

    @property
    def role_names(self) -> set[str]:
        return {grant.role for grant in self.roles}

    def has_role(self, role: str) -> bool:
        return role in self.role_names

    @property
    def is_staff(self) -> bool:
        """Staff sign in with a password; everyone else by e-mailed link."""
        return bool(self.role_names)

    @property
    def has_second_factor(self) -> bool:
        """An authenticator app set up and confirmed with a code."""
        return self.second_factor is not None and self.second_factor.confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")

    __table_args__ = (
        CheckConstraint("role IN ('admin', 'officer', 'auditor')", name="role_known"),
    )


class AccountToken(db.Model):
    """A single-use secret sent by e-mail. Only its SHA-256 is stored."""

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    __table_args__ = (
        CheckConstraint("purpose IN ('sign_in', 'invitation')", name="purpose_known"),
        Index("ix_account_tokens_user_purpose", "user_id", "purpose"),
    )


class SecondFactor(db.Model):
    """A staff member's authenticator app (TOTP, RFC 6238). The secret is shown only while
    it is being set up, and never goes into an audit event."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    # Sealed (panel/accounts/secret_box.py): "v1:" and the AES-GCM box of the base-32
    # secret authenticator apps take; never stored in the clear.
    secret: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]  # None: set up started, no code typed yet
    # The 30-second time step of the last code accepted: a code works once.
    last_used_step: Mapped[int | None]

    user: Mapped[User] = relationship(back_populates="second_factor")


class RecoveryCode(db.Model):
    """One of ten single-use codes for when the authenticator app is not to hand. Only the
    SHA-256 of the code is stored (80 random bits: no salt or slow hash needed)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
