"""Authenticator-app secrets are kept sealed (AES-256-GCM) with a key that is not in the
database (OWASP ASVS 2.8.2): a copy of the database or of a backup alone does not give
anyone's sign-in codes.

The key is derived (HKDF-SHA256) from ``TOTP_ENCRYPTION_KEY``, or from ``SECRET_KEY`` when
that is not set. Each sealed secret is bound to its person's id, so a sealed value copied
onto another account does not open.

Setting ``TOTP_ENCRYPTION_KEY`` on a server that sealed with ``SECRET_KEY`` loses nothing:
a secret that does not open with the new key is tried with the old one, and
:func:`reseal` moves it to the new key (at the person's next code, or for everyone with
``flask accounts reseal-two-step``). Once every secret is resealed, ``SECRET_KEY`` may
change. Changing ``TOTP_ENCRYPTION_KEY`` itself makes every stored secret unreadable:
those staff then need ``flask accounts reset-two-step``."""
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
    sealed = AESGCM(_keys()[0]).encrypt(nonce, secret.encode("ascii"), _bound_to(user_id))
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal(stored: str, user_id: int) -> str:
    """The secret :func:`seal` made for ``user_id``; :class:`SecretUnreadable` when it was
    sealed with another key, for another person, or not sealed at all."""
    return _open(stored, user_id)[0]


def reseal(stored: str, user_id: int) -> str | None:
    """``stored`` sealed again with the current key when it opens only with the old one
    (``SECRET_KEY``, from before ``TOTP_ENCRYPTION_KEY`` was set); else None."""
    secret, key_index = _open(stored, user_id)
    return seal(secret, user_id) if key_index else None


def _open(stored: str, user_id: int) -> tuple[str, int]:
    """The secret and which of :func:`_keys` opened it."""
    if not stored.startswith(PREFIX):
        raise SecretUnreadable("not sealed")
    try:
        raw = base64.urlsafe_b64decode(stored[len(PREFIX):].encode("ascii"))
    except ValueError as error:
        raise SecretUnreadable("not sealed") from error
    nonce, sealed = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    for index, key in enumerate(_keys()):
        try:
            return AESGCM(key).decrypt(nonce, sealed, _bound_to(user_id)).decode("ascii"), index
        except (InvalidTag, ValueError):
            continue
    raise SecretUnreadable("cannot be opened with this key")


def _keys() -> list[bytes]:
    """The key to seal with, then the one secrets were sealed with before
    ``TOTP_ENCRYPTION_KEY`` was set (derived from ``SECRET_KEY``)."""
    config = current_app.config
    materials = [config.get("TOTP_ENCRYPTION_KEY"), config["SECRET_KEY"]]
    return [_derive(material) for material in dict.fromkeys(filter(None, materials))]


def _derive(material: str) -> bytes:
    return HKDF(algorithm=SHA256(), length=32, salt=None,
                info=b"fairpanel: authenticator app secrets, v1").derive(material.encode("utf-8"))


def _bound_to(user_id: int) -> bytes:
    return f"second_factors.user_id={user_id}".encode("ascii")
