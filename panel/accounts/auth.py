"""Sign-in plumbing: the Flask-Login loader and password hashing (who may open which
page is :mod:`panel.policy`, applied by :mod:`panel.access`)."""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from panel.accounts.models import User
from panel.accounts.passwords import normalise
from panel.extensions import db

# Argon2id with argon2-cffi's defaults (RFC 9106's low-memory choice: 3 passes over 64 MiB,
# 4 lanes); the test settings use the cheapest, so that a test signing in does not spend
# a third of a second on it.
PROFILES = {"default": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
_hashers: dict[str, tuple[PasswordHasher, str]] = {}


def _hashing() -> tuple[PasswordHasher, str]:
    """The hasher ``PASSWORD_HASHING`` names, and a hash of nothing to verify against when
    the e-mail is unknown, so that both answers take the same time."""
    name = current_app.config.get("PASSWORD_HASHING", "default")
    if name not in _hashers:
        hasher = PasswordHasher.from_parameters(PROFILES[name])
        _hashers[name] = (hasher, hasher.hash("not a real password"))
    return _hashers[name]


def init_login_manager(login_manager: LoginManager) -> None:
    login_manager.login_view = "accounts.sign_in"
    # Flask-Login flashes it: str() makes the lazy message text in the reader's language.
    login_manager.login_message = _l("Sign in to see that page.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


@cache
def _signed_in_person() -> Select:
    """One statement for every signed-in request: the person, their staff roles and their
    panel memberships (the navigation needs all three). Made once, not per request
    (issue 17)."""
    return (select(User).where(User.id == bindparam("id"))
            .options(joinedload(User.roles), joinedload(User.memberships)))


def load_user(session_token: str) -> User | None:
    """Only a session issued under the user's current session version is honoured:
    signing out, disabling the account or a new password kills every older cookie."""
    user_id, _, version = session_token.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.execute(_signed_in_person(), {"id": int(user_id)}).unique() \
        .scalar_one_or_none()
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user


def hash_password(password: str) -> str:
    """The hash of the NFKC form, so the same password typed on another keyboard matches."""
    return _hashing()[0].hash(normalise(password))


def check_password(user: User | None, password: str) -> bool:
    hasher, dummy = _hashing()
    stored = user.password_hash if user is not None and user.password_hash else dummy
    normalised = normalise(password)
    ok = _verify(stored, normalised)
    # A hash made before passwords were normalised: accept it once, then store the new form.
    legacy = not ok and normalised != password and _verify(stored, password)
    ok = ok or legacy
    if ok and user is not None and user.password_hash and (
            legacy or hasher.check_needs_rehash(stored)):
        user.password_hash = hash_password(password)
    return ok and user is not None and user.password_hash is not None


def _verify(stored: str, password: str) -> bool:
    try:
        return _hashing()[0].verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
