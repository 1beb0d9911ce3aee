"""Static files a browser keeps: every ``url_for('static', ...)`` carries ``v``, a short
fingerprint of the file's bytes, and a request that names the current fingerprint is
answered with a year's ``Cache-Control: immutable``. A phone on patchy data then fetches
the stylesheet and scripts once per release instead of asking again on every page; a
changed file has a new fingerprint, so nobody keeps an old one."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request

YEAR = 365 * 24 * 3600


def init_app(app: Flask) -> None:
    folder = Path(app.static_folder)
    fingerprints: dict[str, str | None] = {}  # files do not change while the app runs

    def fingerprint(filename: str) -> str | None:
        if filename not in fingerprints:
            path = (folder / filename).resolve()
            fingerprints[filename] = (
                hashlib.sha256(path.read_bytes()).hexdigest()[:12]
                if path.is_relative_to(folder.resolve()) and path.is_file() else None)
        return fingerprints[filename]

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values:
            current = fingerprint(values.get("filename", ""))
            if current:
                values["v"] = current

    @app.after_request
    def keep_fingerprinted(response):
        if (request.endpoint == "static" and response.status_code in (200, 304)
                and request.args.get("v")
                and request.args["v"] == fingerprint(request.view_args["filename"])):
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
