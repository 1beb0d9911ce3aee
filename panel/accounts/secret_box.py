"""Authenticator-app secrets are kept sealed (AES-256-GCM) with a key that is not in the
database (OWASP ASVS 2.8.2): a copy of the database or of a backup alone does not give
anyone's sign-in codes.

The key is derived (HKDF-SHA256) from ``TOTP_ENCRYPTION_KEY``, or from ``SECRET_KEY`` when
that is not set. Each sealed secret is bound to its person's id, so a sealed value copied
onto another account does not open. Changing the key makes every stored secret
unreadable: those staff then need ``flask accounts reset-two-step``."""
from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

PREFIX = "v1:"
_NONCE_BYTES = 12


class SecretUnreadable(ValueError):
    """The stored secret cannot be opened with this server's key."""


def seal(secret: str, user_id: int) -> str:
    """``secret`` sealed for the person ``user_id``, as text for the database."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(_key()).encrypt(nonce, secret.encode("ascii"), _bound_to(user_id))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(stored: str, user_id: int) -> str:
    """The secret :func:`seal` made for ``user_id``; :class:`SecretUnreadable` when it was
    sealed with another key, for another person, or not sealed at all."""
    if not stored.startswith(PREFIX):
        raise SecretUnreadable("not sealed")
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX):].encode("ascii"))
        nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
        return AESGCM(_key()).decrypt(nonce, sealed, _bound_to(user_id)).decode("ascii")
    except (InvalidTag, ValueError) as error:
        raise SecretUnreadable("cannot be opened with this key") from error


def _key() -> bytes:
    material = (current_app.config.get("TOTP_ENCRYPTION_KEY")
                or current_app.config["SECRET_KEY"]).encode("utf-8")
    return HKDF(algorithm=SHA256(), length=32, salt=None,
                info=b"fairpanel: authenticator app secrets, v1").derive(material)


def _bound_to(user_id: int) -> bytes:
    return f"second_factors.user_id={user_id}".encode("ascii")
