"""The invitation a new panel member gets when a round's panel is imported names the
round and says what they are told about it: the funder, the deadline, about how long an
application takes, what their group is paid and whom to ask (issue 20). How many
applications they have is said when scoring opens."""
from __future__ import annotations

from panel.bundle import import_bundle
from panel.extensions import db
from tests.builders.bundles import demo_bundle, with_settings

GROUPS = [{"key": "academic", "label": "Academic", "weight": 1},
          {"key": "lived_experience", "label": "Lived experience", "weight": 1,
           "pay": {"hourly": 25, "meeting_fee": 75}}]


def invited(app, mailbox, tmp_path, **settings):
    folder = with_settings(demo_bundle(tmp_path), **settings)
    import_bundle(None, folder, invite=True, system="tests")
    db.session.commit()
    found = {message["To"]: mailbox.body(message) for message in mailbox.messages}
    return found


def test_a_lived_experience_member_is_told_the_round_the_deadline_the_time_and_the_pay(
        app, mailbox, tmp_path):
    bodies = invited(app, mailbox, tmp_path, funder="Greenfield Community Trust",
                     help_contact="Sam Patel, 0161 496 0000", minutes_per_application=30,
                     scoring_deadline="2026-06-30", groups=GROUPS)
    amira = bodies["amira@panel.example"]
    assert (
        "You are on the panel for Community assets and health inequalities 2026, funded by "
        "Greenfield Community Trust.\n"
        "Scores are due by 23:59 BST on Tuesday 30 June 2026. Each application takes about 30 minutes "
        "to read and score. When scoring opens, we will e-mail you to say how many "
        "applications you have.\n\n"
        "You are paid for your time: £25 an hour and £75 for the meeting. Some benefits rules treat payment as income. You can choose not to be "
        "paid; this does not change anything about your place on the panel.\n\n"
        "If you need help, ask Sam Patel, 0161 496 0000.\n\n"
        "Open this link to get started:") in amira


def test_an_unpaid_academic_is_told_the_round_but_not_pay(app, mailbox, tmp_path):
    bodies = invited(app, mailbox, tmp_path, groups=GROUPS, minutes_per_application=1)
    okafor = bodies["prof.okafor@panel.example"]
    assert ("You are on the panel for Community assets and health inequalities 2026.\n"
            "Each application takes about 1 minute to read and score. When scoring opens, "
            "we will e-mail you to say how many applications you have.\n\n"
            "Open this link to get started:") in okafor
    assert "paid" not in okafor


def test_without_welcome_details_the_invitation_still_names_the_round(app, mailbox, tmp_path):
    bodies = invited(app, mailbox, tmp_path)
    amira = bodies["amira@panel.example"]
    assert ("You are on the panel for Community assets and health inequalities 2026.\n"
            "When scoring opens, we will e-mail you to say how many applications you have.\n\n"
            "Open this link to get started:") in amira
    assert "help" not in amira
