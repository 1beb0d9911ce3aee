"""``flask accounts``: bootstrapping people from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from panel.accounts import services
from panel.accounts.models import STAFF_ROLES
from panel.extensions import db

group = AppGroup("accounts", help="People and their roles.")


@group.command("invite")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, type=click.Choice(STAFF_ROLES),
              help="A staff role (repeat for several). None: a panellist.")
def invite_command(email: str, name: str, roles: tuple[str, ...]) -> None:
    """Invite someone by e-mail, for example the first admin of a new installation."""
    try:
        services.invite(None, email=email, name=name, roles=set(roles), system="flask accounts invite")
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Invitation e-mailed to {services.normalise_email(email)}.")
