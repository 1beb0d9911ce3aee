"""Authenticator-app secrets are sealed at rest (OWASP ASVS 2.8.2; panel/accounts/
secret_box.py): the database holds only an AES-GCM box, bound to its person, that opens
with a key kept outside the database. A copy of the database is not a copy of anyone's
sign-in codes."""
from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from panel import create_app
from panel.accounts import second_factor
from panel.accounts.secret_box import SecretUnreadable, unseal
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
    app.config["TOTP_ENCRYPTION_KEY"] = "the key the secrets were sealed with"
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


# Rotating SECRET_KEY (issue 16): with TOTP_ENCRYPTION_KEY set, the second step survives ------

def signs_in_with_a_code(app, email: str = OFFICER) -> bool:
    client = app.test_client()
    people.sign_in_staff(client, email)
    submit(client, "/sign-in/code", {"code": next_code(email)})
    return client.get("/account").status_code == 200


def opens(email: str) -> bool:
    """The stored secret opens with the server's keys (a code can be checked)."""
    factor = db.session.get(second_factor.SecondFactor, user_named(email).id)
    db.session.refresh(factor)
    try:
        second_factor.plain_secret(factor)
    except SecretUnreadable:
        return False
    return True


def test_with_totp_encryption_key_set_secret_key_can_rotate(app):
    app.config["TOTP_ENCRYPTION_KEY"] = "kept apart, and kept"
    staff_with_two_step(app)
    app.config["SECRET_KEY"] = "a new secret key after a rotation"
    assert signs_in_with_a_code(app)


def test_setting_the_key_later_keeps_secrets_sealed_before_and_moves_them_to_it(app):
    staff_with_two_step(app)  # sealed with the key derived from SECRET_KEY
    before = stored_secret(OFFICER)
    app.config["TOTP_ENCRYPTION_KEY"] = "set after staff had set up their apps"
    assert signs_in_with_a_code(app)  # the old key still opens it...
    assert stored_secret(OFFICER) != before  # ...and the code moved it to the new key
    app.config["SECRET_KEY"] = "a new secret key after a rotation"
    assert opens(OFFICER)


def test_flask_accounts_reseal_two_step_moves_every_secret_before_a_rotation(app, runner):
    staff_with_two_step(app)
    staff_with_two_step(app, "auditor@example.org", "auditor", name="Aud Itor")
    app.config["TOTP_ENCRYPTION_KEY"] = "set after staff had set up their apps"
    result = runner.invoke(args=["accounts", "reseal-two-step"])
    assert result.exit_code == 0
    assert "2 authenticator-app secret(s) sealed with TOTP_ENCRYPTION_KEY." in result.output
    again = runner.invoke(args=["accounts", "reseal-two-step"])
    assert "0 authenticator-app secret(s)" in again.output
    app.config["SECRET_KEY"] = "a new secret key after a rotation"
    assert signs_in_with_a_code(app) and signs_in_with_a_code(app, "auditor@example.org")


def test_without_the_key_a_rotated_secret_key_locks_the_second_step(app):
    """Why TOTP_ENCRYPTION_KEY is set in production (README "Deploying")."""
    staff_with_two_step(app)
    app.config["SECRET_KEY"] = "a new secret key after a rotation"
    assert not opens(OFFICER)


def test_the_key_is_read_from_the_environment(monkeypatch):
    import importlib

    import config

    monkeypatch.setenv("TOTP_ENCRYPTION_KEY", "from the environment")
    try:
        importlib.reload(config)
        assert config.ProductionConfig.TOTP_ENCRYPTION_KEY == "from the environment"
    finally:
        monkeypatch.undo()
        importlib.reload(config)


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
