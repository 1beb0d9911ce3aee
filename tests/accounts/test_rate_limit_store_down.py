"""When the shared rate-limit store (Redis) is down, signing in still works and is still
limited (issue 16): Flask-Limiter's in-memory fallback counts in each worker's memory,
with the same limits, until Redis is back, instead of a 500 on every sign-in. The Redis
address is a real one where nothing listens."""
from __future__ import annotations

import json

from panel.extensions import db
from tests.builders import people
from tests.support.web import make_app, submit

OFFICER = "officer@example.org"


def test_sign_in_works_and_is_still_limited_while_redis_is_down(
        database_url, mailbox, tmp_path, dead_redis_url, capsys):
    app = make_app(database_url, mailbox, tmp_path, RATELIMIT_ENABLED=True,
                   RATELIMIT_STORAGE_URI=dead_redis_url, SIGN_IN_RATE_LIMIT="100 per minute",
                   SIGN_IN_PER_EMAIL_LIMIT="3 per minute")
    with app.app_context():
        people.staff(OFFICER, "officer")
        people.panellist("amira@example.org")
        client = app.test_client()
        capsys.readouterr()
        link = submit(client, "/sign-in", {"email": "amira@example.org"})
        wrong = [people.sign_in_staff(client, OFFICER, "guess") for _ in range(4)]
        output = capsys.readouterr().out
        db.session.remove()
        db.engine.dispose()
    assert link.status_code == 302 and link.location.endswith("/sign-in/check-email")
    assert [response.status_code for response in wrong] == [200, 200, 200, 429]
    assert "Your email address or password is not right" in wrong[0].get_data(as_text=True)
    assert "Too many attempts" in wrong[3].get_data(as_text=True)
    warnings = [line for line in map(json.loads, filter(None, output.splitlines()))
                if line["logger"] == "flask-limiter"]
    assert warnings and warnings[0]["level"] == "warning"
    assert "falling back to in-memory storage" in warnings[0]["message"]
