"""A page that follows the meeting, and its live region (DESIGN.md §6): with JavaScript,
static/js/live.js asks for the region again with ``?since=<version>`` every second or so
and gets 204 when nothing changed. Without JavaScript a reload shows the same state.
Polling needs nothing but the database, so it works behind gunicorn with any number of
workers."""
from __future__ import annotations

from flask import Response, render_template, request

from panel.moderation import meeting
from panel.rounds.models import Round


def live_page(round_: Round, page: str, fragment: str, build, status: int = 200):
    """The page, or with ``?since=N`` only its live region: 204 when the meeting's
    version is still N. ``build()`` makes the template's context only when it is needed.
    The version header tells live.js what it now has."""
    version = meeting.version(round_)
    since = request.args.get("since", type=int)
    headers = {"X-Live-Version": str(version)}
    if since is not None and since == version:
        return Response(status=204, headers=headers)
    template = fragment if since is not None else page
    return render_template(template, round=round_, version=version, **build()), status, headers
