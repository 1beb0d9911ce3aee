"""``flask audit``: checking the decision trail."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

group = AppGroup("audit", help=_l("The decision trail."))


@group.command("verify", help=_l(
    "Recompute the hash chain and check it against every round's anchor; exit 1 naming the "
    "first bad event or anchor."))
def verify_command() -> None:
    # The chain's checks only when this command runs: every command's start-up imports
    # this module (issue 17).
    from panel.audit.anchors import check_anchors
    from panel.auditor.queries import verify_chain

    report = verify_chain()
    anchors = check_anchors(report)
    if report.ok:
        # One chain per round and one for the site since trail format 4: the head is
        # then one fingerprint of every chain's head (docs/trail.md).
        click.echo(ngettext("Audit chain intact: %(num)d events, head %(head)s",
                            "Audit chain intact: %(num)d events, head %(head)s",
                            report.events, head=report.head_hash))
    else:
        click.echo(_("Audit chain broken at event %(event)s (%(action)s): %(problem)s",
                     event=report.bad_event_id, action=report.bad_action,
                     problem=report.problem), err=True)
        if report.legacy_only:
            click.echo(ngettext("The %(num)d events before it are intact.",
                                "The %(num)d events before it are intact.", report.events),
                       err=True)
        else:
            click.echo(ngettext("%(num)d events are intact: those before it in its chain, and "
                                "those of the chains that do not break.",
                                "%(num)d events are intact: those before it in its chain, and "
                                "those of the chains that do not break.", report.events),
                       err=True)
    for anchor in anchors:
        if anchor.ok:
            click.echo(_("Anchor of %(round)s holds: event %(event)s, %(hash)s",
                         round=anchor.round_slug, event=anchor.event_id,
                         hash=anchor.event_hash))
        else:
            click.echo(_("Anchor of %(round)s broken: %(problem)s", round=anchor.round_slug,
                         problem=anchor.problem), err=True)
    if not report.ok or not all(anchor.ok for anchor in anchors):
        sys.exit(1)
