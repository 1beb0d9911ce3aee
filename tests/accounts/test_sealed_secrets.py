"""Authenticator-app secrets are sealed at rest (OWASP ASVS 2.8.2; panel/accounts/
secret_box.py): the database holds only an AES-GCM box, bound to its person, that opens
with a key kept outside the database. A copy of the database is not a copy of anyone's
sign-in codes."""
from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from panel import create_app
from panel.accounts import second_factor
from panel.accounts.secret_box import unseal
from panel.extensions import db
from tests.builders import people
from tests.builders.people import next_code, staff_with_two_step, user_named
from tests.support.web import submit

OFFICER = "officer@example.org"
PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # a base-32 secret, as apps take it


def stored_secret(email: str) -> str:
    return db.session.execute(sa.text("SELECT secret FROM second_factors WHERE user_id = :id"),
                              {"id": user_named(email).id}).scalar_one()


def test_the_database_holds_only_the_sealed_secret(app, officer):
    page = officer.get("/account/two-step-sign-in").get_data(as_text=True)
    stored = stored_secret(OFFICER)
    plain = second_factor.plain_secret(db.session.get(second_factor.SecondFactor,
                                                      user_named(OFFICER).id))
    typed = " ".join(plain[i:i + 4] for i in range(0, len(plain), 4))
    assert typed in page  # the person still sees the key to type into their app
    assert stored.startswith("v1:") and plain not in stored and len(stored) <= 128
    submit(officer, "/account/two-step-sign-in", {"code": next_code(OFFICER)})
    assert stored_secret(OFFICER) == stored  # confirming does not store it in the clear


def test_a_sealed_secret_copied_onto_another_account_does_not_open(app, client):
    staff_with_two_step(app)
    staff_with_two_step(app, "auditor@example.org", "auditor", name="Aud Itor")
    db.session.execute(sa.text("UPDATE second_factors SET secret = :secret WHERE user_id = :id"),
                       {"secret": stored_secret(OFFICER),
                        "id": user_named("auditor@example.org").id})
    db.session.commit()
    people.sign_in_staff(client, "auditor@example.org")
    page = submit(client, "/sign-in/code", {"code": "123456"}).get_data(as_text=True)
    assert "Your two-step sign-in cannot be read on this server." in page
    assert client.get("/audit/").status_code == 302  # not signed in


def test_with_another_key_staff_are_told_to_ask_for_a_reset_and_can_set_up_again(app, client):
    staff_with_two_step(app)
    people.staff("admin@example.org", "admin", name="Ada Admin")
    app.config["TOTP_ENCRYPTION_KEY"] = "a different key, as after a careless change"
    people.sign_in_staff(client, OFFICER)
    page = submit(client, "/sign-in/code", {"code": "123456"}).get_data(as_text=True)
    assert ("Your two-step sign-in cannot be read on this server. Ask an administrator to "
            "reset it, then set it up again with your authenticator app") in page
    assert client.get("/rounds/").status_code == 302

    admin = app.test_client()
    people.sign_in_staff(admin, "admin@example.org")  # no app set up: the password will do
    officer = user_named(OFFICER)
    submit(admin, f"/admin/people/{officer.id}",
           action=f"/admin/people/{officer.id}/reset-two-step-sign-in")
    fresh = app.test_client()
    people.sign_in_staff(fresh, OFFICER)
    fresh.get("/account/two-step-sign-in")
    response = submit(fresh, "/account/two-step-sign-in", {"code": next_code(OFFICER)})
    assert "Two-step sign-in is on." in response.get_data(as_text=True)


def test_the_migration_seals_secrets_kept_in_the_clear_and_back(databases):
    url = databases.create(migrated=False)
    try:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0004_totp")
            db.session.execute(sa.text(
                "INSERT INTO users (id, email, name, active, session_version, created_at) "
                "VALUES (7, 'old@example.org', 'Old Hand', true, 1, CURRENT_TIMESTAMP)"))
            db.session.execute(sa.text(
                "INSERT INTO second_factors (user_id, secret, created_at) "
                "VALUES (7, :secret, CURRENT_TIMESTAMP)"), {"secret": PLAIN})
            db.session.commit()
            upgrade()
            stored = db.session.execute(sa.text(
                "SELECT secret FROM second_factors WHERE user_id = 7")).scalar_one()
            assert stored.startswith("v1:") and unseal(stored, 7) == PLAIN
            db.session.remove()  # no open transaction for the downgrade's ALTER to wait on
            downgrade(revision="0004_totp")
            assert db.session.execute(sa.text(
                "SELECT secret FROM second_factors WHERE user_id = 7")).scalar_one() == PLAIN
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.drop(url)
