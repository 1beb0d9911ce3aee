"""`flask accounts invite` and `resend-invitation`: the first admin of a new installation
is invited from the command line, and when that e-mail never arrives (or its link
expires) it can be sent again, the earlier link no longer working."""
from __future__ import annotations

import sqlalchemy as sa

from panel.accounts import services
from panel.audit.models import AuditEvent
from panel.extensions import db
from tests.builders import people
from tests.support.web import submit

ADMIN = "you@example.org"


def test_the_first_admin_s_invitation_can_be_sent_again(app, runner, mailbox):
    invited = runner.invoke(args=["accounts", "invite", ADMIN, "--name", "Your Name",
                                  "--role", "admin"])
    assert invited.exit_code == 0, invited.output
    first = mailbox.last_link(ADMIN, "/invitation/")

    again = runner.invoke(args=["accounts", "resend-invitation", "You@Example.org"])
    assert again.exit_code == 0, again.output
    assert f"Invitation e-mailed again to {ADMIN}." in again.output
    second = mailbox.last_link(ADMIN, "/invitation/")
    assert len(mailbox.to(ADMIN)) == 2 and second != first

    client = app.test_client()
    assert client.get(first).status_code == 410
    assert submit(client, second, {"password": "a long pass phrase",
                                   "confirm": "a long pass phrase"}).status_code == 302
    assert client.get("/admin/people").status_code == 200
    actors = db.session.scalars(sa.select(AuditEvent.actor).where(
        AuditEvent.action == "user.invitation_sent").order_by(AuditEvent.id)).all()
    assert actors == ["system: flask accounts invite",
                      "system: flask accounts resend-invitation"]


def test_resending_to_an_unknown_or_disabled_account_says_so_and_sends_nothing(
        app, runner, mailbox):
    unknown = runner.invoke(args=["accounts", "resend-invitation", "nobody@example.org"])
    assert unknown.exit_code == 1
    assert "No account for nobody@example.org. Invite them with" in unknown.output

    people.staff("admin@example.org", "admin", name="Ada Admin")
    amira = people.panellist()
    services.set_active(people.user_named("admin@example.org"), amira, False)
    db.session.commit()
    disabled = runner.invoke(args=["accounts", "resend-invitation", "amira@example.org"])
    assert disabled.exit_code == 1
    assert "amira@example.org cannot sign in (their account is disabled)." in disabled.output
    assert [m for m in mailbox.messages if m["Subject"] == "You're invited to FairPanel"] == []
