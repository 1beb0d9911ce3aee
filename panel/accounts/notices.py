"""E-mails telling staff that the way into their account changed: a new password, two-step
sign-in switched on or reset, recovery codes made or used (OWASP ASVS 2.2.3, 2.5.5,
2.8.5). If it was not them, they hear of it at once and know whom to tell. Each is
written in the recipient's language (issue 21)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString

from panel import mail
from panel.accounts.models import User
from panel.extensions import utcnow

# kind → (subject, what happened: words made when the e-mail is written, in its language)
NOTICES = {
    "password_changed": (
        _l("Your FairPanel password was changed"),
        lambda: _("Your FairPanel password was changed. Anywhere else you were signed in, "
                  "you have been signed out.")),
    "two_step_on": (
        _l("Two-step sign-in is on for your FairPanel account"),
        lambda: _("Two-step sign-in was switched on for your FairPanel account, with an "
                  "authenticator app and ten recovery codes.")),
    "recovery_codes_replaced": (
        _l("New recovery codes for your FairPanel account"),
        lambda: _("New recovery codes were made for your FairPanel account. The old ones no "
                  "longer work.")),
    "recovery_code_used": (
        _l("A recovery code was used to sign in to FairPanel"),
        lambda left: ngettext(
            "A recovery code was used to sign in to your FairPanel account. You have "
            "%(num)d left.",
            "A recovery code was used to sign in to your FairPanel account. You have "
            "%(num)d left.", left)),
    "two_step_reset": (
        _l("Two-step sign-in was reset on your FairPanel account"),
        lambda: _("Two-step sign-in was reset on your FairPanel account: your authenticator "
                  "app and recovery codes were removed, and you were signed out everywhere. "
                  "You will set it up again when you next sign in.")),
}


def notify(user: User, kind: str, **values) -> None:
    """Queue the notice ``kind`` for ``user`` (sent once the change is committed)."""
    subject, what = NOTICES[kind]
    mail.queue(user.email, subject, "security_notice", language=user.language, user=user,
               what=LazyString(what, **values),
               when=utcnow().strftime("%-d %B %Y at %H:%M UTC"))
