"""Every change to accounts: invitations, sign-in links, sign-in and out, passwords
and roles. Each function flushes, records an audit event and queues mail; the caller
(a view or a command) commits."""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from panel import mail
from panel.accounts import passwords
from panel.accounts.auth import check_password, hash_password
from panel.accounts.models import STAFF_ROLES, AccountToken, Role, User, UserRole
from panel.accounts.notices import notify
from panel.audit.services import record
from panel.extensions import db, utcnow
from panel.forms import one_line_problem
from panel.i18n import is_language
from panel.jobs.queue import job


class AccountError(ValueError):
    """A rule about accounts was broken; the message is written for the person acting."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_account(actor: User | None, *, email: str, name: str,
                   roles: set[str] = frozenset(), password: str | None = None,
                   system: str | None = None) -> User:
    """A new account, without e-mailing anyone (see :func:`invite` for that)."""
    email = normalise_email(email)
    if problem := one_line_problem(name.strip()) or one_line_problem(email):
        raise AccountError(_("The name or e-mail address is not one plain line: %(problem)s",
                             problem=problem))
    if find_user(email) is not None:
        raise AccountError(_("%(email)s already has an account. Change their roles instead.",
                             email=email))
    unknown = set(roles) - set(STAFF_ROLES)
    if unknown:
        raise AccountError(_("Unknown role: %(roles)s", roles=", ".join(sorted(unknown))))
    if password:
        _check_password_rules(password, email=email, name=name)
    user = User(email=email, name=name.strip(),
                password_hash=hash_password(password) if password else None)
    user.roles = [UserRole(role=role) for role in sorted(roles)]
    db.session.add(user)
    db.session.flush()
    record_created(actor, user, roles, system=system)
    return user


def record_created(actor: User | None, user: User, roles: Iterable[str] = (), *,
                   system: str | None = None) -> None:
    """The ``user.created`` event of a new account (also written for the accounts a
    panellists import adds in bulk)."""
    record("user.created", actor=actor, target=user, system=system,
           after={"email": user.email, "name": user.name, "roles": sorted(roles)})


def invite(actor: User | None, *, email: str, name: str, roles: set[str] = frozenset(),
           system: str | None = None) -> User:
    """Create an account and e-mail an invitation. Staff (any role) choose a password
    from the invitation; panellists sign in with the link."""
    user = create_account(actor, email=email, name=name, roles=roles, system=system)
    send_invitation(actor, user, system=system)
    return user


def send_invitation(actor: User | None, user: User, *, system: str | None = None,
                    welcome: Any = None) -> None:
    """(Re)send an invitation; any earlier unused invitation link stops working.
    ``welcome`` (panel.rounds.welcome.Welcome) names the round a panellist is invited to
    and what they are told about it (issue 20)."""
    _expire_tokens(user, "invitation")
    token = _issue_token(user, "invitation", timedelta(days=current_app.config["INVITATION_DAYS"]))
    user.invited_at = utcnow()
    record("user.invitation_sent", actor=actor, target=user, system=system)
    mail.queue(
        user.email,
        _l("You're invited to FairPanel"),
        "invitation",
        language=user.language,
        user=user,
        link=mail.external_url("accounts.invitation", token=token),
        days=current_app.config["INVITATION_DAYS"],
        inviter=actor,
        welcome=welcome,
    )


def request_sign_in_link(email: str, language: str | None = None) -> None:
    """E-mail a one-time sign-in link. Says nothing to the caller about whether the
    address is registered, not even by how long it takes: the request only queues a job,
    the same for every address, and the job looks the address up. ``language``: the one
    the sign-in page was read in, for an account that has not chosen one."""
    send_sign_in_link.enqueue(email=email, language=language)


@job("accounts.sign_in_link", _l("Sign-in link"), queue="mail")
def send_sign_in_link(row, email: str, language: str | None = None) -> None:
    """The job behind :func:`request_sign_in_link`: unknown addresses are silently
    ignored; staff are told to use their password (a link must not bypass it). Only the
    newest link works: sending one ends the person's older unused links (issue 22). The
    e-mail is in the account's language, else in the one the link was asked for in."""
    user = find_user(email)
    if user is None or not user.active:
        return
    if user.is_staff:
        mail.queue(user.email, _l("Signing in to FairPanel"), "staff_use_password", user=user,
                   link=mail.external_url("accounts.staff_sign_in"))
        return
    minutes = current_app.config["SIGN_IN_LINK_MINUTES"]
    _expire_tokens(user, "sign_in")
    token = _issue_token(user, "sign_in", timedelta(minutes=minutes))
    record("user.sign_in_link_sent", target=user, system="sign-in page")
    mail.queue(user.email, _l("Your FairPanel sign-in link"), "sign_in_link",
               language=user.language or language, user=user,
               link=mail.external_url("accounts.sign_in_with_link", token=token),
               minutes=minutes)


def peek_token(raw: str, purpose: str) -> User | None:
    """The user a still-valid token belongs to, without using it up."""
    token = db.session.scalar(select(AccountToken).where(
        AccountToken.token_hash == _digest(raw), AccountToken.purpose == purpose,
        AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow()))
    return token.user if token is not None and token.user.active else None


def use_token(raw: str, purpose: str) -> User | None:
    """Spend a token: succeeds once, atomically, even if two requests race for it."""
    now = utcnow()
    result = db.session.execute(
        update(AccountToken)
        .where(AccountToken.token_hash == _digest(raw), AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None), AccountToken.expires_at > now)
        .values(used_at=now)
        .returning(AccountToken.user_id)
    ).first()
    if result is None:
        return None
    user = db.session.get(User, result.user_id)
    return user if user is not None and user.active else None


def authenticate(email: str, password: str) -> User | None:
    """The active staff user with this e-mail and password, else None (same time either way)."""
    user = find_user(email)
    if not check_password(user, password) or not user.active or not user.is_staff:
        return None
    return user


def signed_in(user: User, method: str, language: str | None = None) -> None:
    """``language``: the one chosen in this browser before signing in; it becomes the
    account's when the account has none yet (a choice made on the account wins)."""
    user.last_sign_in_at = utcnow()
    if user.language is None and is_language(language):
        user.language = language
    record("user.signed_in", actor=user, target=user, after={"method": method})


def choose_language(user: User, language: str) -> None:
    """The language ``user`` reads FairPanel and their e-mails in (issue 21)."""
    if not is_language(language):
        raise AccountError(_("FairPanel is in English and in Welsh: choose English or "
                             "Cymraeg. Nothing has been changed."))
    user.language = language
    db.session.flush()


def signed_out(user: User) -> None:
    """End every session of this user, including copies of the cookie kept elsewhere."""
    user.session_version += 1
    record("user.signed_out", actor=user, target=user)


def set_password(user: User, password: str) -> None:
    """A new password (checked against :mod:`panel.accounts.passwords`); every other
    session of this user ends."""
    _check_password_rules(password, email=user.email, name=user.name)
    changed = user.password_hash is not None  # not the first one, chosen on invitation
    user.password_hash = hash_password(password)
    user.session_version += 1
    record("user.password_set", actor=user, target=user)
    if changed:
        notify(user, "password_changed")


def set_roles(actor: User, user: User, roles: set[str]) -> None:
    unknown = set(roles) - set(STAFF_ROLES)
    if unknown:
        raise AccountError(_("Unknown role: %(roles)s", roles=", ".join(sorted(unknown))))
    before = sorted(user.role_names)
    if before == sorted(roles):
        return
    if "admin" in before and "admin" not in roles and _admin_count() <= 1:
        raise AccountError(_("FairPanel needs at least one admin. Make someone else an admin "
                             "first."))
    user.roles = [grant for grant in user.roles if grant.role in roles] + [
        UserRole(role=role) for role in sorted(set(roles) - set(before))
    ]
    # New rights take effect from the next sign-in; lost rights at once.
    user.session_version += 1
    record("user.roles_changed", actor=actor, target=user,
           before={"roles": before}, after={"roles": sorted(roles)})
    if roles and user.password_hash is None:
        # Staff sign in with a password: e-mail them a link to choose one.
        send_invitation(actor, user)


def set_active(actor: User, user: User, active: bool) -> None:
    if user.active == active:
        return
    if not active and user.has_role(Role.ADMIN) and _admin_count() <= 1:
        raise AccountError(_("You cannot disable the only admin."))
    user.active = active
    user.session_version += 1
    record("user.enabled" if active else "user.disabled", actor=actor, target=user,
           before={"active": not active}, after={"active": active})


def _check_password_rules(password: str, *, email: str, name: str) -> None:
    found = passwords.problems(password, email=email, name=name)
    if found:
        raise AccountError(found[0])


def _admin_count() -> int:
    return len(db.session.scalars(
        select(UserRole.user_id).join(User).where(UserRole.role == "admin", User.active)
    ).all())


def _issue_token(user: User, purpose: str, lifetime: timedelta) -> str:
    raw = secrets.token_urlsafe(32)
    db.session.add(AccountToken(user=user, purpose=purpose, token_hash=_digest(raw),
                                expires_at=utcnow() + lifetime))
    db.session.flush()
    return raw


def _expire_tokens(user: User, purpose: str) -> None:
    db.session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == user.id, AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None))
        .values(expires_at=utcnow())
    )


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
