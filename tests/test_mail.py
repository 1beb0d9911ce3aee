"""Mail leaves only after the change it reports is committed; without an SMTP server
(development) it is printed and kept in the outbox folder."""
from __future__ import annotations

from pathlib import Path

from panel.accounts import services
from panel.extensions import db
from tests.builders import people
from tests.support.jobs import run_jobs
from tests.support.web import csrf_token, submit


def test_mail_is_sent_only_after_commit(app, mailbox):
    services.invite(None, email="new@example.org", name="New Person", system="tests")
    assert mailbox.messages == []
    db.session.commit()
    assert [m["To"] for m in mailbox.messages] == ["new@example.org"]


def test_rolled_back_change_sends_nothing(app, mailbox):
    services.invite(None, email="new@example.org", name="New Person", system="tests")
    db.session.rollback()
    db.session.commit()
    assert mailbox.messages == []


def test_without_smtp_mail_goes_to_the_console_and_outbox(app, client, mailbox, capsys):
    app.config["MAIL_SERVER"] = ""
    people.panellist("amira@example.org", "Amira Hussain")
    submit(client, "/sign-in", {"email": "amira@example.org"})
    run_jobs(app)
    outbox = list(Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml"))
    assert len(outbox) == 1 and mailbox.messages == []
    saved = outbox[0].read_text()
    assert "Subject: Your FairPanel sign-in link" in saved
    printed = capsys.readouterr().err
    assert "--- e-mail to amira@example.org" in printed
    assert "http://127.0.0.1/sign-in/link/" in printed


def test_links_use_the_configured_address_not_the_host_header(app, client, mailbox):
    people.panellist("amira@example.org")
    evil = {"Host": "attacker.example"}
    page = client.get("/sign-in", headers=evil).get_data(as_text=True)
    response = client.post("/sign-in", headers=evil,
                           data={"csrf_token": csrf_token(page), "email": "amira@example.org"})
    assert response.status_code == 302
    body = mailbox.body(mailbox.to("amira@example.org")[0])
    assert "attacker.example" not in body and "http://127.0.0.1/sign-in/link/" in body


def test_first_admin_is_invited_from_the_command_line(app, runner, mailbox, client):
    result = runner.invoke(args=["accounts", "invite", "Root@Example.org", "--name", "Rita Root",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "Invitation e-mailed to root@example.org." in result.output
    link = mailbox.last_link("root@example.org", "/invitation/")
    submit(client, link, {"password": "twelve chars ok", "confirm": "twelve chars ok"})
    assert client.get("/admin/people").status_code == 200
    again = runner.invoke(args=["accounts", "invite", "root@example.org", "--name", "Rita"])
    assert again.exit_code != 0 and "already has an account" in again.output
