"""``flask demo``: the demo round and its sign-ins."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from panel.demo import seed as demo
from panel.transactions import change

group = AppGroup("demo", help="The demo round.")


@group.command("seed")
def seed_command() -> None:
    """Create the demo round and its people (does nothing when they exist)."""
    if not current_app.config.get("DEMO_ALLOWED"):
        raise click.ClickException("The demo is switched off here (DEMO_ALLOWED is not set).")
    with change():
        changed = demo.seed(current_app.config["DEMO_STAFF_PASSWORD"])
    click.echo("Demo round created." if changed else "Demo round already there; nothing changed.")


@group.command("sign-ins")
def sign_ins_command() -> None:
    """Print who can sign in to the demo, and how."""
    base = current_app.config["BASE_URL"]
    password = current_app.config["DEMO_STAFF_PASSWORD"]
    click.echo(f"\nFairPanel demo: {base}\n")
    click.echo(f"Staff sign in at {base}/sign-in/staff with password: {password}")
    for staff in demo.STAFF:
        click.echo(f"  {staff.role:<9} {staff.email}")
    click.echo(f"\nPanellists sign in at {base}/sign-in with just their e-mail address;")
    click.echo("the sign-in link is printed in this console (and saved in instance/outbox/).")
    for row in demo.panellists().to_dict("records"):
        click.echo(f"  {row['role']:<9} {row['email']:<28} {row['group']}")
    click.echo("")
