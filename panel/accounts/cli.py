"""``flask accounts``: bootstrapping people from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from panel.accounts import erasure, retention, second_factor, services
from panel.accounts.models import STAFF_ROLES
from panel.transactions import change

group = AppGroup("accounts", help="People and their roles.")


@group.command("invite")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", "roles", multiple=True, type=click.Choice(STAFF_ROLES),
              help="A staff role (repeat for several). None: a panellist.")
def invite_command(email: str, name: str, roles: tuple[str, ...]) -> None:
    """Invite someone by e-mail, for example the first admin of a new installation."""
    with change(services.AccountError) as done:
        services.invite(None, email=email, name=name, roles=set(roles),
                        system="flask accounts invite")
    if done.refused:
        raise click.ClickException(done.refusal) from done.error
    click.echo(f"Invitation e-mailed to {services.normalise_email(email)}.")


@group.command("resend-invitation")
@click.argument("email")
def resend_invitation_command(email: str) -> None:
    """E-mail someone's invitation again, for example the first admin's when the first
    e-mail never arrived or its link expired. The earlier link stops working."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No account for {services.normalise_email(email)}. "
                                   "Invite them with: accounts invite EMAIL --name NAME")
    if not user.active:
        raise click.ClickException(f"{user.email} cannot sign in (their account is disabled).")
    with change():
        services.send_invitation(None, user, system="flask accounts resend-invitation")
    click.echo(f"Invitation e-mailed again to {user.email}.")


@group.command("reset-two-step")
@click.argument("email")
def reset_two_step_command(email: str) -> None:
    """Remove someone's authenticator app and recovery codes, for example an only admin
    who has lost their phone. They set it up again at their next sign-in."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No account for {services.normalise_email(email)}.")
    with change():
        reset = second_factor.reset(None, user, system="flask accounts reset-two-step")
    if not reset:
        click.echo(f"{user.email} has no two-step sign-in; nothing changed.")
        return
    click.echo(f"Two-step sign-in reset for {user.email}.")


@group.command("reseal-two-step")
def reseal_two_step_command() -> None:
    """After setting TOTP_ENCRYPTION_KEY: seal every authenticator-app secret with it, so
    that SECRET_KEY may then change without locking staff out of the second step."""
    with change():
        moved = second_factor.reseal_all()
    click.echo(f"{moved} authenticator-app secret(s) sealed with TOTP_ENCRYPTION_KEY.")


people = AppGroup("people", help="A person's personal data: erasing it on request.")


@people.command("erase")
@click.argument("email")
@click.option("--reason", required=True,
              help="Why, for the decision trail, e.g. \"Asked to be forgotten, 3 March\".")
@click.option("--force", is_flag=True,
              help="Erase even though they are on the panel of a round still open.")
def erase_command(email: str, reason: str, force: bool) -> None:
    """Erase someone's personal data: name, e-mail, their words and the trail's sealed
    values about them. Their scores, the decisions and every event stay and still verify;
    pages then call them "Erased panellist N"."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No account for {services.normalise_email(email)}.")
    with change(erasure.ErasureError) as done:
        erased = erasure.erase(None, user, reason=reason, force=force,
                               system="flask people erase")
    if done.refused:
        raise click.ClickException(done.refusal) from done.error
    click.echo(f"Erased: now “{erased.pseudonym}”. {erased.sealed_values} sealed value(s) "
               f"deleted from the trail, {erased.texts} text(s) emptied or edited.")
    if erased.format_1_events:
        click.echo(f"Note: {erased.format_1_events} event(s) written before the trail sealed "
                   "personal data still hold their e-mail address in their hash; they "
                   "cannot be changed without breaking the chain (docs/privacy.md).")


@people.command("apply-retention")
@click.option("--now", "at_once", is_flag=True,
              help="Do it in this command instead of handing it to the job worker.")
def apply_retention_command(at_once: bool) -> None:
    """Erase the panel's personal data of every round whose keeping time (set on the
    round's set-up page) has run out since its publication. deploy/ has a systemd timer
    that runs this every day: it hands the work to the job worker (the Jobs page shows
    it); --now does it here."""
    if not at_once:
        with change():
            queued = retention.retention_job.enqueue()
        click.echo(f"Handed to the job worker (job {queued.id}); the admin's Jobs page "
                   "shows how it went.")
        return
    with change():
        done = retention.apply_retention()
    if not done:
        click.echo("No round's keeping time has run out.")
    for applied in done:
        click.echo(f"{applied.round_slug}: {applied.erased} panel member(s) erased, "
                   f"{applied.kept} kept for a round that keeps them longer.")
