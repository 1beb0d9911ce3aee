"""``flask accounts``: bootstrapping people from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from panel.accounts import erasure, retention, second_factor, services
from panel.accounts.models import STAFF_ROLES
from panel.transactions import change

group = AppGroup("accounts", help=_l("People and their roles."))


@group.command("invite", help=_l(
    "Invite someone by e-mail, for example the first admin of a new installation."))
@click.argument("email")
@click.option("--name", required=True, help=_l("The person's full name."))
@click.option("--role", "roles", multiple=True, type=click.Choice(STAFF_ROLES),
              help=_l("A staff role (repeat for several). None: a panellist."))
def invite_command(email: str, name: str, roles: tuple[str, ...]) -> None:
    with change(services.AccountError) as done:
        services.invite(None, email=email, name=name, roles=set(roles),
                        system="flask accounts invite")
    if done.refused:
        raise click.ClickException(done.refusal) from done.error
    click.echo(_("Invitation e-mailed to %(email)s.", email=services.normalise_email(email)))


@group.command("resend-invitation", help=_l(
    "E-mail someone's invitation again, for example the first admin's when the first "
    "e-mail never arrived or its link expired. The earlier link stops working."))
@click.argument("email")
def resend_invitation_command(email: str) -> None:
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(_(
            "No account for %(email)s. Invite them with: accounts invite EMAIL --name NAME",
            email=services.normalise_email(email)))
    if not user.active:
        raise click.ClickException(_("%(email)s cannot sign in (their account is disabled).",
                                     email=user.email))
    with change():
        services.send_invitation(None, user, system="flask accounts resend-invitation")
    click.echo(_("Invitation e-mailed again to %(email)s.", email=user.email))


@group.command("reset-two-step", help=_l(
    "Remove someone's authenticator app and recovery codes, for example an only admin "
    "who has lost their phone. They set it up again at their next sign-in."))
@click.argument("email")
def reset_two_step_command(email: str) -> None:
    user = _user_or_fail(email)
    with change():
        reset = second_factor.reset(None, user, system="flask accounts reset-two-step")
    if not reset:
        click.echo(_("%(email)s has no two-step sign-in; nothing changed.", email=user.email))
        return
    click.echo(_("Two-step sign-in reset for %(email)s.", email=user.email))


@group.command("reseal-two-step", help=_l(
    "After setting TOTP_ENCRYPTION_KEY: seal every authenticator-app secret with it, so "
    "that SECRET_KEY may then change without locking staff out of the second step."))
def reseal_two_step_command() -> None:
    with change():
        moved = second_factor.reseal_all()
    # English keeps "secret(s)" for every count; the plural lets a language say each form.
    click.echo(ngettext(
        "%(num)d authenticator-app secret(s) sealed with TOTP_ENCRYPTION_KEY.",
        "%(num)d authenticator-app secret(s) sealed with TOTP_ENCRYPTION_KEY.", moved))


people = AppGroup("people", help=_l("A person's personal data: erasing it on request."))


@people.command("erase", help=_l(
    "Erase someone's personal data: name, e-mail, their words and the trail's sealed "
    "values about them. Their scores, the decisions and every event stay and still verify; "
    "pages then call them \"Erased panellist N\"."))
@click.argument("email")
@click.option("--reason", required=True,
              help=_l("Why, for the decision trail, e.g. \"Asked to be forgotten, 3 March\"."))
@click.option("--force", is_flag=True,
              help=_l("Erase even though they are on the panel of a round still open."))
def erase_command(email: str, reason: str, force: bool) -> None:
    user = _user_or_fail(email)
    with change(erasure.ErasureError) as done:
        erased = erasure.erase(None, user, reason=reason, force=force,
                               system="flask people erase")
    if done.refused:
        raise click.ClickException(done.refusal) from done.error
    # Two counts in one sentence: each with its own plural, the sentence whole around them.
    click.echo(_("Erased: now “%(pseudonym)s”. %(sealed)s, %(texts)s.",
                 pseudonym=erased.pseudonym,
                 sealed=ngettext("%(num)d sealed value(s) deleted from the trail",
                                 "%(num)d sealed value(s) deleted from the trail",
                                 erased.sealed_values),
                 texts=ngettext("%(num)d text(s) emptied or edited",
                                "%(num)d text(s) emptied or edited", erased.texts)))
    if erased.format_1_events:
        click.echo(ngettext(
            "Note: %(num)d event(s) written before the trail sealed personal data still hold "
            "their e-mail address in their hash; they cannot be changed without breaking the "
            "chain (docs/privacy.md).",
            "Note: %(num)d event(s) written before the trail sealed personal data still hold "
            "their e-mail address in their hash; they cannot be changed without breaking the "
            "chain (docs/privacy.md).", erased.format_1_events))


@people.command("apply-retention", help=_l(
    "Erase the panel's personal data of every round whose keeping time (set on the "
    "round's set-up page) has run out since its publication. deploy/ has a systemd timer "
    "that runs this every day: it hands the work to the job worker (the Jobs page shows "
    "it); --now does it here."))
@click.option("--now", "at_once", is_flag=True,
              help=_l("Do it in this command instead of handing it to the job worker."))
def apply_retention_command(at_once: bool) -> None:
    if not at_once:
        with change():
            queued = retention.retention_job.enqueue()
        click.echo(_("Handed to the job worker (job %(job)s); the admin's Jobs page shows how "
                     "it went.", job=queued.id))
        return
    with change():
        done = retention.apply_retention()
    if not done:
        click.echo(_("No round's keeping time has run out."))
    for applied in done:
        click.echo(_("%(round)s: %(erased)s, %(kept)s.", round=applied.round_slug,
                     erased=ngettext("%(num)d panel member(s) erased",
                                     "%(num)d panel member(s) erased", applied.erased),
                     kept=ngettext("%(num)d kept for a round that keeps them longer",
                                   "%(num)d kept for a round that keeps them longer",
                                   applied.kept)))


def _user_or_fail(email: str):
    """The account of ``email``, or a clear message that there is none."""
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(_("No account for %(email)s.",
                                     email=services.normalise_email(email)))
    return user
