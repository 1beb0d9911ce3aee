"""``flask demo``: the demo's two rounds (one to score, one decided and published) and
their sign-ins."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from panel.demo import seed as demo
from panel.demo import story
from panel.rounds.queries import round_by_slug
from panel.transactions import change

group = AppGroup("demo", help="The demo rounds.")


@group.command("seed")
def seed_command() -> None:
    """Create the demo's people, its round to score and its decided, published round
    (does nothing when they exist)."""
    if not current_app.config.get("DEMO_ALLOWED"):
        raise click.ClickException("The demo is switched off here (DEMO_ALLOWED is not set).")
    started = time.perf_counter()
    with change():
        made_round = demo.seed(current_app.config["DEMO_STAFF_PASSWORD"])
        decided = story.seed_decided_round()
    if not made_round and decided is None:
        click.echo("Demo rounds already there; nothing changed.")
        return
    if made_round:
        click.echo(f"Demo round created: {demo.demo_spec()['title']} (scoring), "
                   "with its staff and panel.")
    if decided is not None:
        click.echo(f"Demo round created: {decided.title} (scored, met, decided and "
                   "published).")
    click.echo(f"Seeded in {time.perf_counter() - started:.1f} s.")


@group.command("sign-ins")
def sign_ins_command() -> None:
    """Print the demo's rounds and who can sign in to them, and how."""
    base = current_app.config["BASE_URL"]
    password = current_app.config["DEMO_STAFF_PASSWORD"]
    click.echo(f"\nFairPanel demo: {base}\n")
    scoring, decided = demo.demo_spec()["slug"], story.DECIDED_SLUG
    for slug in (scoring, decided):
        round_ = round_by_slug(slug)
        if round_ is not None:
            click.echo(f"  {round_.title}: {round_.phase}")
    click.echo(f"\nLook first at the decided round's report: {base}/rounds/{decided}/report")
    click.echo(f"  and its public summary: {base}/rounds/{decided}/report/summary")
    click.echo(f"Panellists score the other round at {base}/my-rounds/{scoring}")
    click.echo(f"\nStaff sign in at {base}/sign-in/staff with password: {password}")
    for staff in demo.STAFF:
        click.echo(f"  {staff.role:<9} {staff.email}")
    click.echo(f"\nPanellists sign in at {base}/sign-in with just their e-mail address;")
    click.echo("the sign-in link is printed in this console (and saved in instance/outbox/).")
    click.echo("Each is on the panel of both rounds.")
    for row in demo.panellists().to_dict("records"):
        click.echo(f"  {row['role']:<9} {row['email']:<28} {row['group']}")
    click.echo("")
