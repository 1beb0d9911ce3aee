"""Uploaded files waiting for the officer to confirm an import.

The preview page must not write anything, so the upload is parked in the instance
folder under a random token and read again (and checked again) on confirmation.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class PendingUpload:
    token: str
    kind: str
    filename: str
    data: bytes


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "pending-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def park(kind: str, round_slug: str, user_id: int, filename: str, data: bytes) -> str:
    """Keep an upload for later confirmation; returns its token."""
    _sweep()
    token = secrets.token_urlsafe(24)
    folder = _folder()
    (folder / f"{token}.bin").write_bytes(data)
    meta = {"kind": kind, "round": round_slug, "user": user_id, "filename": filename}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def claim(token: str, kind: str, round_slug: str, user_id: int) -> PendingUpload | None:
    """The parked upload, if it exists and belongs to this person, round and kind."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    folder = _folder()
    meta_path, data_path = folder / f"{token}.json", folder / f"{token}.bin"
    if not meta_path.exists() or not data_path.exists():
        return None
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if (meta["kind"], meta["round"], meta["user"]) != (kind, round_slug, user_id):
        return None
    return PendingUpload(token, kind, meta["filename"], data_path.read_bytes())


def discard(token: str) -> None:
    for suffix in (".json", ".bin"):
        (_folder() / f"{token}{suffix}").unlink(missing_ok=True)


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _folder().iterdir():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
