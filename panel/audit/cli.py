"""``flask audit``: checking the decision trail."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from panel.audit.queries import verify_chain

group = AppGroup("audit", help="The decision trail.")


@group.command("verify")
def verify_command() -> None:
    """Recompute the hash chain; exit 1 naming the first bad event."""
    report = verify_chain()
    if report.ok:
        click.echo(f"Audit chain intact: {report.events} events, head {report.head_hash}")
        return
    click.echo(f"Audit chain broken at event {report.bad_event_id} ({report.bad_action}): "
               f"{report.problem}", err=True)
    click.echo(f"The {report.events} events before it are intact.", err=True)
    sys.exit(1)
