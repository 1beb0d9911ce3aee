"""Measuring time from the member's own requests, without touching the pages that
answer them: after a request to one of their application's scoring pages, or to the
meeting's pages while it runs, :func:`after_request` adds the gap since their last one
(panel/payments/rules.py). It works without JavaScript: every page a panellist opens is
a request. The measurement is its own small transaction after the page's; if it fails,
the page is still answered and nothing else changes."""
from __future__ import annotations

import logging

from flask import Response, request
from flask_login import current_user

from panel.extensions import db
from panel.payments import services
from panel.payments.rules import MEETING_WRITE_SECONDS

log = logging.getLogger(__name__)

# A member's application's pages (the officer's assisted scoring is not their time).
SHEET_PAGES = frozenset({
    "scoring.overview", "scoring.connection", "scoring.connection_kind",
    "scoring.application", "scoring.question", "scoring.whole_sheet", "scoring.comment",
    "scoring.check", "scoring.pass_on", "scoring.save"})
# Following the meeting: its page (and live.js asking for it again), and revising.
MEETING_PAGES = frozenset({"meeting.follow", "meeting.revise", "meeting.revise_question",
                           "meeting.revise_check"})


def after_request(response: Response) -> Response:
    endpoint = request.endpoint
    if endpoint not in SHEET_PAGES and endpoint not in MEETING_PAGES:
        return response
    if response.status_code >= 400 or not current_user.is_authenticated:
        return response
    args = request.view_args or {}
    try:
        if endpoint in SHEET_PAGES:
            services.sheet_seen(current_user.id, args["slug"], args["reference"])
        else:
            services.meeting_seen(current_user.id, args["slug"],
                                  every=MEETING_WRITE_SECONDS)
        db.session.commit()
    except Exception:  # a measurement never breaks the page it follows
        db.session.rollback()
        log.exception("time not recorded for %s", endpoint)
    return response
