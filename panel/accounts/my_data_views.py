"""A person's own data (:mod:`panel.accounts.my_data`): a page in plain words and the
same as JSON to download. Anyone signed in, for themselves only. Their URLs join the
``accounts`` blueprint (:mod:`panel.accounts.blueprint`)."""
from __future__ import annotations

import json
from datetime import datetime

from flask import Response, render_template
from flask_login import current_user

from panel import access
from panel.accounts.my_data import my_data
from panel.audit.services import record
from panel.transactions import change


@access.signed_in
def page():
    return render_template("accounts/my_data.html", data=my_data(current_user), when=in_words)


def in_words(moment: str | None) -> str:
    """"2026-12-05T15:23:07Z" as "5 December 2026 at 15:23 UTC"; "" for none."""
    if not moment:
        return ""
    return datetime.fromisoformat(moment.removesuffix("Z")).strftime("%-d %B %Y at %H:%M UTC")


@access.signed_in
def download():
    body = json.dumps(my_data(current_user), ensure_ascii=False, indent=2)
    with change():  # a copy of personal data left the system: on the trail
        record("user.data_downloaded", actor=current_user, target=current_user,
               after={"format": "json"})
    return Response(body, content_type="application/json; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="my-fairpanel-data.json"'})
