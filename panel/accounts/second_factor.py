"""Two-step sign-in for staff: a code from an authenticator app (TOTP, RFC 6238: 30-second
steps, 6 digits, one step either side accepted for a phone's clock drift), or one of ten
single-use recovery codes.

Like :mod:`panel.accounts.services`, each change flushes and records an audit event and
the caller commits. The secret and the codes never go into an audit event, a log line or
a page after setting up.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import delete, func, or_, select, update

from panel.accounts.models import RecoveryCode, SecondFactor, User
from panel.accounts.notices import notify
from panel.accounts.secret_box import SecretUnreadable, reseal, seal, unseal
from panel.accounts.services import AccountError
from panel.audit.services import record
from panel.extensions import db, utcnow

ISSUER = "FairPanel"
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
# Crockford's base 32: no i, l, o or u, so a code read aloud or copied by hand survives.
_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_RECOVERY_LENGTH = 16  # 80 random bits
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]")

# Made in the language of the request they are raised in (str() of the lazy string).
UNREADABLE = _l("Your two-step sign-in cannot be read on this server. Ask an administrator "
                "to reset it, then set it up again with your authenticator app")
WRONG_CODE = _l("That code is not right. Enter the code your authenticator app shows now")
USED_CODE = _l("That code has been used already. Wait for your app to show a new code, "
               "then enter it")
WRONG_RECOVERY_CODE = _l("That recovery code is not right, or it has been used already. "
                         "Check it and try again, or try another of your codes")


class CodeRejected(AccountError):
    """A code that does not sign anyone in; the message says what to do."""


def must_set_up(user: User) -> bool:
    """Staff without an authenticator app, where ``TOTP_REQUIRED`` is on: they may use
    nothing but the page that sets one up."""
    return (current_app.config["TOTP_REQUIRED"] and user.is_staff
            and not user.has_second_factor)


def start_setting_up(user: User) -> SecondFactor:
    """The not-yet-confirmed secret to show on the set-up page; the same one on every
    visit until a code confirms it, so a reload does not undo a scan."""
    if user.has_second_factor:
        raise AccountError(_("You have set up two-step sign-in already."))
    if user.second_factor is None or not _readable(user.second_factor):
        if user.second_factor is not None:  # sealed under a key this server no longer has
            db.session.delete(user.second_factor)
            db.session.flush()
        user.second_factor = SecondFactor(user_id=user.id,
                                          secret=seal(pyotp.random_base32(), user.id))
        db.session.flush()
    return user.second_factor


def plain_secret(factor: SecondFactor) -> str:
    """The base-32 secret an authenticator app takes, unsealed (never stored like this)."""
    return unseal(factor.secret, factor.user_id)


def _readable(factor: SecondFactor) -> bool:
    try:
        plain_secret(factor)
    except SecretUnreadable:
        return False
    return True


def _step_for(factor: SecondFactor, code: str) -> int | None:
    try:
        return _matching_step(plain_secret(factor), code)
    except SecretUnreadable:
        raise CodeRejected(str(UNREADABLE)) from None


def confirm_setting_up(user: User, code: str) -> list[str]:
    """Check the first code from the app and switch two-step sign-in on. Returns the
    ten recovery codes, to be shown once and never again."""
    factor = user.second_factor
    if factor is None or factor.confirmed_at is not None:
        raise AccountError(_("Start setting up two-step sign-in again."))
    step = _step_for(factor, code)
    if step is None:
        raise CodeRejected(str(WRONG_CODE))
    factor.confirmed_at = utcnow()
    factor.last_used_step = step
    codes = _new_recovery_codes(user)
    record("user.second_factor_enrolled", actor=user, target=user,
           after={"method": "authenticator app", "recovery_codes": len(codes)})
    notify(user, "two_step_on")
    return codes


def check_code(user: User, code: str) -> None:
    """Accept a code from the app once; raise :class:`CodeRejected` otherwise. Two
    requests racing with the same code: only one of them gets through."""
    factor = user.second_factor
    if not user.has_second_factor:
        raise CodeRejected(str(WRONG_CODE))
    step = _step_for(factor, code)
    if step is None:
        raise CodeRejected(str(WRONG_CODE))
    taken = db.session.execute(
        update(SecondFactor)
        .where(SecondFactor.user_id == user.id,
               or_(SecondFactor.last_used_step.is_(None), SecondFactor.last_used_step < step))
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        raise CodeRejected(str(USED_CODE))
    db.session.refresh(factor)
    _move_to_current_key(factor)


def reseal_all() -> int:
    """Seal again with ``TOTP_ENCRYPTION_KEY`` every secret still sealed with the key
    derived from ``SECRET_KEY``, so that ``SECRET_KEY`` may then change. Returns how
    many were moved; secrets no key opens are left for ``reset``."""
    moved = sum(_move_to_current_key(factor)
                for factor in db.session.scalars(select(SecondFactor)))
    if moved:
        record("user.second_factors_resealed", system="flask accounts reseal-two-step",
               after={"resealed": moved})
    return moved


def _move_to_current_key(factor: SecondFactor) -> bool:
    try:
        fresh = reseal(factor.secret, factor.user_id)
    except SecretUnreadable:
        return False
    if fresh is None:
        return False
    factor.secret = fresh
    db.session.flush()
    return True


def use_recovery_code(user: User, code: str) -> int:
    """Spend one recovery code (once, even under a race). Returns how many are left."""
    if not user.has_second_factor:
        raise CodeRejected(str(WRONG_RECOVERY_CODE))
    now = utcnow()
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
               RecoveryCode.code_hash == _digest(code))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not spent:
        raise CodeRejected(str(WRONG_RECOVERY_CODE))
    left = recovery_codes_left(user)
    record("user.recovery_code_used", actor=user, target=user, after={"left": left})
    notify(user, "recovery_code_used", left=left)
    return left


def replace_recovery_codes(user: User, code: str) -> list[str]:
    """Ten new recovery codes, confirmed with a code from the app; the old ones stop
    working."""
    check_code(user, code)
    codes = _new_recovery_codes(user)
    record("user.recovery_codes_replaced", actor=user, target=user,
           after={"recovery_codes": len(codes)})
    notify(user, "recovery_codes_replaced")
    return codes


def reset(actor: User | None, user: User, *, system: str | None = None) -> bool:
    """Remove a person's authenticator app and recovery codes (a lost phone) and end their
    sessions. They set it up again at their next sign-in when it is required. Returns
    False when there was nothing to remove."""
    had = user.has_second_factor
    if user.second_factor is None:
        return False
    user.second_factor = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_version += 1
    db.session.flush()
    record("user.second_factor_reset", actor=actor, target=user, system=system,
           before={"second_factor": had}, after={"second_factor": False})
    notify(user, "two_step_reset")
    return True


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def qr_code_svg(factor: SecondFactor) -> Markup:
    """The set-up link as an inline SVG QR code (no script, no style: fits the CSP)."""
    import segno  # here: every page's sign-in checks import this module (issue 17)

    label = _("QR code to scan with your authenticator app")
    svg = segno.make(_provisioning_uri(factor), error="m").svg_inline(
        scale=4, dark="#000", light="#fff", title=label)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def key_for_typing(factor: SecondFactor) -> str:
    """The secret in groups of four, for people who cannot scan the QR code."""
    secret = plain_secret(factor)
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _provisioning_uri(factor: SecondFactor) -> str:
    return pyotp.TOTP(plain_secret(factor)).provisioning_uri(name=factor.user.email,
                                                            issuer_name=ISSUER)


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (now, or one either side) whose code is ``code``."""
    code = re.sub(r"\s", "", code or "")
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = int(time.time()) // STEP_SECONDS
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(_RECOVERY_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(code)) for code in codes)
    db.session.flush()
    return ["-".join(code[i:i + 4] for i in range(0, len(code), 4)) for code in codes]


def _digest(code: str) -> str:
    """SHA-256 of the code as typed, less case, spaces, dashes and look-alike letters."""
    plain = _NOT_ALPHANUMERIC.sub("", (code or "").lower())
    plain = plain.translate(str.maketrans("ilo", "110"))
    return hashlib.sha256(plain.encode("ascii", "ignore")).hexdigest()
