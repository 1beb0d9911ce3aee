"""A refusal a service raises is shown in the reader's language (issue 21): gettext runs
when the error is raised, inside the request. A panellist who reads Welsh is told in
Welsh what to fix on their payment record and on their connections; the English is
word for word what it was. Staff refusals have no Welsh yet, so they stay English even
for an officer who chose Welsh; and a `flask` command, which has no request, prints
English whatever the account it names chose. Each Welsh sentence is the catalogue's,
checked by hand."""
from __future__ import annotations

import html
import re

from panel.conflicts.models import Conflict
from panel.extensions import db
from panel.payments import services as payments
from tests.builders import people
from tests.builders.payments import LIVED, paid_round, time_of
from tests.builders.rounds import scoring_round
from tests.support.web import submit

MINE = "/my-time/test-round"
CORRECTION = f"{MINE}/sheets/A1"
CONNECTIONS = "/my-connections"


def text_of(response) -> str:
    """The page's words, tags and spacing aside."""
    page = response.get_data(as_text=True)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def reading(email: str, language: str) -> None:
    people.user_named(email).language = language
    db.session.commit()


def member_of(round_, email: str):
    return next(m for m in round_.members if m.user.email == email)


def signed_in(app, mailbox, email: str):
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, email)
    return client


def test_a_welsh_panellist_is_told_in_welsh_what_to_fix_on_their_payment_record(app, mailbox):
    round_ = paid_round()
    client = signed_in(app, mailbox, LIVED)
    reading(LIVED, "cy")
    refused = submit(client, CORRECTION, {"minutes": "40", "note": ""})
    page = text_of(refused)
    assert '<html lang="cy">' in refused.get_data(as_text=True)
    # The form's own check first (a note is needed), then the service's.
    assert "Gwall: Dywedwch mewn ychydig eiriau pam mae'r amser yn wahanol" in page
    assert "Say in a few words" not in page
    # Once the officer has approved the record, the refusal the service raises is Welsh.
    officer = people.staff("officer@example.org", "officer")
    payments.approve(officer, member_of(round_, LIVED))
    db.session.commit()
    refused = submit(client, CORRECTION, {"minutes": "90", "note": "Darllenais i ddwywaith"})
    assert ("Mae eich cofnod wedi'i gymeradwyo ar gyfer talu yn barod, felly does dim modd "
            "ei newid yma. Cysylltwch â swyddog y rhaglen, os gwelwch yn dda.") in text_of(refused)
    assert time_of(round_, LIVED, "A1") is None  # nothing was recorded
    # The same refusal in English, word for word as before.
    reading(LIVED, "en")
    refused = submit(client, CORRECTION, {"minutes": "90", "note": "I read it twice"})
    assert ("Your record has already been approved for payment, so it cannot be changed "
            "here. Please contact the programme officer.") in text_of(refused)
    assert time_of(round_, LIVED, "A1") is None


def test_a_welsh_panellist_is_told_in_welsh_what_to_fix_in_their_connections(app, mailbox):
    scoring_round(members=("amira@example.org",))
    client = signed_in(app, mailbox, "amira@example.org")
    reading("amira@example.org", "cy")
    too_long = {"connections": "Eastgate Food Club\n" + "x" * 201}
    page = text_of(submit(client, CONNECTIONS, too_long))
    assert "Mae problem" in page
    assert ("Mae llinell 2 yn rhy hir. Cadwch bob llinell i 200 llythyren neu lai."
            in page)
    reading("amira@example.org", "en")
    page = text_of(submit(client, CONNECTIONS, too_long))
    assert "Line 2 is too long. Keep each line to 200 letters or fewer." in page


def test_an_officer_s_conflict_refusal_stays_english_until_staff_pages_are_translated(
        app, officer):
    round_ = scoring_round(members=("amira@example.org",))
    reading("officer@example.org", "cy")
    made = Conflict(member_id=member_of(round_, "amira@example.org").id,
                    application_id=round_.applications[0].id, source="declared",
                    status="confirmed", level="step_out", kind="local")
    db.session.add(made)
    db.session.commit()
    queue = "/rounds/test-round/conflicts"
    response = submit(officer, queue, action=f"{queue}/{made.id}/confirm",
                      follow_redirects=True)
    assert '<html lang="cy">' in response.get_data(as_text=True)
    assert "This conflict is already confirmed." in text_of(response)


def test_a_command_prints_a_service_s_refusal_in_english(app, runner):
    """`flask accounts invite` for someone who has an account: the refusal the service
    raises has a Welsh translation, but a command has no request, so it is English."""
    people.panellist("amira@example.org")
    reading("amira@example.org", "cy")
    refused = runner.invoke(args=["accounts", "invite", "amira@example.org",
                                  "--name", "Amira Hussain"])
    assert refused.exit_code == 1
    assert ("amira@example.org already has an account. Change their roles instead."
            in refused.output)
    assert "Mae gan" not in refused.output
