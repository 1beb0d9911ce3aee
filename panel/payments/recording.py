"""Measuring time from the member's own requests, without touching the pages that
answer them: before a request to one of their application's scoring pages, or to the
meeting's pages while it runs, :func:`before_request` adds the gap since their last one
(panel/payments/rules.py), in the request's own transaction (one statement when nothing
changes; none for a person whose group is paid in no round, which their own statement
says: ``PanelMember.group_paid``), and :func:`after_request` commits it if the page did not. It works without
JavaScript: every page a panellist opens is a request. If measuring fails, the page is
still answered and nothing else changes; a page that is refused and rolls back takes
its measurement with it (the next request counts the gap)."""
from __future__ import annotations

import logging

from flask import Response, g, request
from flask_login import current_user

from panel import transactions
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
# The pages whose POST can send a sheet or pass on it: the record is finished straight
# after, in a transaction of its own (a read-only page's GET runs without one, where
# the trail's lock would not hold, so it never finishes a record).
SENDING_PAGES = frozenset({"scoring.check", "scoring.pass_on", "scoring.whole_sheet"})
_CHANGED = "fp_time_measured"


def before_request() -> None:
    endpoint = request.endpoint
    if endpoint not in SHEET_PAGES and endpoint not in MEETING_PAGES:
        return
    if not current_user.is_authenticated:
        return
    if not any(member.group_paid for member in current_user.memberships):
        return  # not paid in any round: nothing to measure, and no statement to ask
    args = request.view_args or {}
    try:
        if endpoint in SHEET_PAGES:
            changed = services.sheet_seen(current_user.id, args["slug"], args["reference"],
                                          finish=not transactions.reads_only())
        else:
            changed = services.meeting_seen(current_user.id, args["slug"],
                                            every=MEETING_WRITE_SECONDS)
    except Exception:  # a measurement never breaks the page it comes with
        db.session.rollback()
        log.exception("time not recorded for %s", endpoint)
        return
    setattr(g, _CHANGED, changed)


def after_request(response: Response) -> Response:
    if (request.method == "POST" and request.endpoint in SENDING_PAGES
            and response.status_code < 400  # a refused request changes nothing
            and current_user.is_authenticated
            and any(member.group_paid for member in current_user.memberships)):
        args = request.view_args or {}
        try:  # sent (or passed on) just now: the record is finished, with its event
            if services.sheet_seen(current_user.id, args["slug"], args["reference"]):
                setattr(g, _CHANGED, True)
        except Exception:
            db.session.rollback()
            log.exception("time not recorded for %s", request.endpoint)
    if not g.pop(_CHANGED, False):
        return response
    try:
        db.session.commit()  # nothing left to commit when the page committed already
    except Exception:
        db.session.rollback()
        log.exception("time not recorded for %s", request.endpoint)
    return response
