"""E-mails telling staff that the way into their account changed: a new password, two-step
sign-in switched on or reset, recovery codes made or used (OWASP ASVS 2.2.3, 2.5.5,
2.8.5). If it was not them, they hear of it at once and know whom to tell."""
from __future__ import annotations

from panel import mail
from panel.accounts.models import User
from panel.extensions import utcnow

NOTICES = {
    "password_changed": ("Your FairPanel password was changed",
                         "Your FairPanel password was changed. Anywhere else you were "
                         "signed in, you have been signed out."),
    "two_step_on": ("Two-step sign-in is on for your FairPanel account",
                    "Two-step sign-in was switched on for your FairPanel account, with an "
                    "authenticator app and ten recovery codes."),
    "recovery_codes_replaced": ("New recovery codes for your FairPanel account",
                                "New recovery codes were made for your FairPanel account. "
                                "The old ones no longer work."),
    "recovery_code_used": ("A recovery code was used to sign in to FairPanel",
                           "A recovery code was used to sign in to your FairPanel account. "
                           "You have {left} left."),
    "two_step_reset": ("Two-step sign-in was reset on your FairPanel account",
                       "Two-step sign-in was reset on your FairPanel account: your "
                       "authenticator app and recovery codes were removed, and you were "
                       "signed out everywhere. You will set it up again when you next sign "
                       "in."),
}


def notify(user: User, kind: str, **values) -> None:
    """Queue the notice ``kind`` for ``user`` (sent once the change is committed)."""
    subject, what = NOTICES[kind]
    mail.queue(user.email, subject, "security_notice", user=user,
               what=what.format(**values), when=utcnow().strftime("%-d %B %Y at %H:%M UTC"))
