"""``flask audit``: checking the decision trail."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from panel.audit.anchors import check_anchors
from panel.auditor.queries import verify_chain

group = AppGroup("audit", help="The decision trail.")


@group.command("verify")
def verify_command() -> None:
    """Recompute the hash chain and check it against every round's anchor; exit 1
    naming the first bad event or anchor."""
    report = verify_chain()
    anchors = check_anchors(report)
    if report.ok:
        # One chain per round and one for the site since trail format 4: the head is
        # then one fingerprint of every chain's head (docs/trail.md).
        click.echo(f"Audit chain intact: {report.events} events, head {report.head_hash}")
    else:
        click.echo(f"Audit chain broken at event {report.bad_event_id} ({report.bad_action}): "
                   f"{report.problem}", err=True)
        if report.legacy_only:
            click.echo(f"The {report.events} events before it are intact.", err=True)
        else:
            click.echo(f"{report.events} events are intact: those before it in its chain, "
                       "and those of the chains that do not break.", err=True)
    for anchor in anchors:
        if anchor.ok:
            click.echo(f"Anchor of {anchor.round_slug} holds: event {anchor.event_id}, "
                       f"{anchor.event_hash}")
        else:
            click.echo(f"Anchor of {anchor.round_slug} broken: {anchor.problem}", err=True)
    if not report.ok or not all(anchor.ok for anchor in anchors):
        sys.exit(1)
