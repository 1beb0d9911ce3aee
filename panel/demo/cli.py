"""``flask demo``: the demo's two rounds (one to score, one decided and published) and
their sign-ins."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from panel.rounds.queries import round_by_slug
from panel.transactions import change

group = AppGroup("demo", help=_l("The demo rounds."))


@group.command("seed", help=_l(
    "Create the demo's people, its round to score and its decided, published round (does "
    "nothing when they exist)."))
def seed_command() -> None:
    # The demo's builders (pandas, the bundle's checks) only when a demo command runs: each
    # flask command's start-up imports this module (issue 17).
    from panel.demo import seed as demo
    from panel.demo import story

    if not current_app.config.get("DEMO_ALLOWED"):
        raise click.ClickException(
            _("The demo is switched off here (DEMO_ALLOWED is not set)."))
    started = time.perf_counter()
    with change():
        made_round = demo.seed(current_app.config["DEMO_STAFF_PASSWORD"])
        decided = story.seed_decided_round()
    if not made_round and decided is None:
        click.echo(_("Demo rounds already there; nothing changed."))
        return
    if made_round:
        click.echo(_("Demo round created: %(title)s (scoring), with its staff and panel.",
                     title=demo.demo_spec()["title"]))
    if decided is not None:
        click.echo(_("Demo round created: %(title)s (scored, met, decided and published).",
                     title=decided.title))
    click.echo(_("Seeded in %(seconds)s s.", seconds=f"{time.perf_counter() - started:.1f}"))


@group.command("sign-ins", help=_l(
    "Print the demo's rounds and who can sign in to them, and how."))
def sign_ins_command() -> None:
    from panel.demo import seed as demo
    from panel.demo import story

    base = current_app.config["BASE_URL"]
    password = current_app.config["DEMO_STAFF_PASSWORD"]
    click.echo()
    click.echo(_("FairPanel demo: %(url)s", url=base))
    click.echo()
    scoring, decided = demo.demo_spec()["slug"], story.DECIDED_SLUG
    for slug in (scoring, decided):
        round_ = round_by_slug(slug)
        if round_ is not None:
            click.echo(f"  {round_.title}: {round_.phase}")
    click.echo()
    # A sentence over two lines is one message, its line break in it.
    click.echo(_("Look first at the decided round's report: %(report)s\n"
                 "  and its public summary: %(summary)s",
                 report=f"{base}/rounds/{decided}/report",
                 summary=f"{base}/rounds/{decided}/report/summary"))
    click.echo(_("Panellists score the other round at %(url)s",
                 url=f"{base}/my-rounds/{scoring}"))
    click.echo()
    click.echo(_("Staff sign in at %(url)s with password: %(password)s",
                 url=f"{base}/sign-in/staff", password=password))
    for staff in demo.STAFF:
        click.echo(f"  {staff.role:<9} {staff.email}")
    click.echo()
    click.echo(_("Panellists sign in at %(url)s with just their e-mail address;\n"
                 "the sign-in link is printed in this console (and saved in instance/outbox/).",
                 url=f"{base}/sign-in"))
    click.echo(_("Each is on the panel of both rounds."))
    for row in demo.panellists().to_dict("records"):
        click.echo(f"  {row['role']:<9} {row['email']:<28} {row['group']}")
    click.echo("")
