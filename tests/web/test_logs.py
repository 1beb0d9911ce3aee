"""The application log (issue 16, panel/logs.py): one JSON line on stdout per request,
with a request id the response echoes; the security events docs/security.md lists reach
it; the secret of an e-mailed link never does."""
from __future__ import annotations

import json

from panel.extensions import db
from tests.builders import people
from tests.builders.people import next_code, staff_with_two_step, user_named
from tests.support.gunicorn import Gunicorn
from tests.support.web import make_app, submit

PANELLIST = "amira@example.org"
OFFICER = "officer@example.org"


def logged(capsys) -> list[dict]:
    """The JSON lines written to stdout since the last call."""
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()
            if line.startswith("{")]


def requests(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "fairpanel.request"]


def events(lines: list[dict], event: str) -> list[dict]:
    return [line for line in lines if line.get("event") == event]


def test_each_request_is_one_line_with_the_id_the_response_carries(client, capsys):
    logged(capsys)
    response = client.get("/sign-in?next=/rounds/")
    [line] = requests(logged(capsys))
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert (line["method"], line["path"], line["status"], line["user_id"]) == (
        "GET", "/sign-in", 200, None)  # the query string is never logged
    assert line["duration_ms"] >= 0 and line["level"] == "info"


def test_a_signed_in_request_names_the_person_by_id(officer, capsys):
    logged(capsys)
    officer.get("/rounds/")
    [line] = requests(logged(capsys))
    assert line["user_id"] == user_named(OFFICER).id


def test_every_request_gets_its_own_id(client, capsys):
    logged(capsys)
    ids = {client.get("/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and {line["request_id"] for line in requests(logged(capsys))} == ids


def test_a_trusted_proxy_s_request_id_is_kept_and_a_strange_one_replaced(
        database_url, mailbox, tmp_path, client, capsys):
    sent = {"X-Request-ID": "a1b2c3d4-from-the-proxy"}
    assert client.get("/healthz", headers=sent).headers["X-Request-ID"] != sent["X-Request-ID"]
    proxied = make_app(database_url, mailbox, tmp_path, TRUSTED_PROXIES=1)
    with proxied.app_context():
        behind = proxied.test_client()
        assert behind.get("/healthz", headers=sent).headers["X-Request-ID"] == (
            "a1b2c3d4-from-the-proxy")
        for strange in ('x"}, {"forged": 1', "short", "a" * 200):
            kept = behind.get("/healthz", headers={"X-Request-ID": strange})
            assert kept.headers["X-Request-ID"] != strange
        db.session.remove()
        db.engine.dispose()
    assert "forged" not in json.dumps(logged(capsys))


def test_a_sign_in_link_s_secret_never_reaches_the_log(client, mailbox, capsys, caplog):
    people.panellist(PANELLIST)
    logged(capsys)
    submit(client, "/sign-in", {"email": PANELLIST})
    link = mailbox.last_link(PANELLIST, "/sign-in/link/")
    token = link.rsplit("/", 1)[1]
    submit(client, link)  # opens the link, then presses Continue
    client.get(link)  # spent: the expired page
    client.get(link + "/more")  # no such page
    output = capsys.readouterr().out
    assert token not in output
    assert all(token not in record.getMessage() for record in caplog.records)
    paths = [line["path"] for line in requests(
        [json.loads(line) for line in output.splitlines() if line.startswith("{")])]
    assert paths.count("/sign-in/link/<token>") == 4  # GET, POST, GET spent, GET /more


def test_an_invitation_s_secret_never_reaches_the_log(app, mailbox, capsys):
    link = people.invitation_link(app, mailbox)
    logged(capsys)
    app.test_client().get(link)
    output = capsys.readouterr().out
    assert link.rsplit("/", 1)[1] not in output and '"/invitation/<token>"' in output


def test_a_failed_staff_sign_in_is_logged_with_its_request(client, capsys):
    people.staff(OFFICER, "officer")
    logged(capsys)
    people.sign_in_staff(client, OFFICER, "not the password at all")
    lines = logged(capsys)
    [failed] = events(lines, "sign_in.failed")
    [post] = [line for line in requests(lines) if line["method"] == "POST"]
    assert failed["request_id"] == post["request_id"]
    assert OFFICER in failed["message"] and failed["client"] == "127.0.0.1"
    assert "not the password at all" not in json.dumps(lines)


def test_wrong_codes_are_logged_without_the_code(app, client, capsys):
    staff_with_two_step(app)
    people.sign_in_staff(client, OFFICER)
    wrong = f"{(int(next_code(OFFICER)) + 1) % 1_000_000:06d}"
    logged(capsys)
    submit(client, "/sign-in/code", {"code": wrong})
    submit(client, "/sign-in/recovery-code", {"code": "aaaa-bbbb-cccc-dddd"})
    lines = logged(capsys)
    [code] = events(lines, "sign_in.wrong_code")
    [recovery] = events(lines, "sign_in.wrong_recovery_code")
    assert code["subject_id"] == recovery["subject_id"] == user_named(OFFICER).id
    assert wrong not in json.dumps(lines) and "aaaa-bbbb" not in json.dumps(lines)


def test_a_rate_limited_attempt_is_logged(database_url, mailbox, tmp_path, capsys):
    app = make_app(database_url, mailbox, tmp_path, RATELIMIT_ENABLED=True,
                   SIGN_IN_PER_EMAIL_LIMIT="1 per minute")
    with app.app_context():
        client = app.test_client()
        logged(capsys)
        statuses = [people.sign_in_staff(client, OFFICER, "guess").status_code
                    for _ in range(2)]
        lines = logged(capsys)
        db.session.remove()
        db.engine.dispose()
    assert statuses == [200, 429]
    [limited] = events(lines, "rate_limited")
    assert limited["level"] == "warning" and "/sign-in/staff" in limited["message"]
    assert [line["status"] for line in requests(lines) if line["method"] == "POST"] == [200, 429]


def test_gunicorn_s_access_log_joins_the_app_s_line_by_id_and_never_has_the_secret(
        database_url, tmp_path):
    """The documented command's access log (panel/gunicorn_conf.py's format) and the app's
    line, both on stdout of a real gunicorn."""
    output = tmp_path / "gunicorn.log"
    server = Gunicorn(database_url, 1, "--access-logfile", "-", output=output)
    try:
        status, headers, _ = server.request("GET", "/sign-in/link/s3cr3t-t0ken?next=/rounds/",
                                            headers={"Referer": "http://x/sign-in/link/s3cr3t"})
    finally:
        server.stop()
    text = output.read_text()
    assert "s3cr3t" not in text and "next=" not in text
    request_id = headers["X-Request-ID"]
    [access] = [line for line in text.splitlines()
                if request_id in line and not line.startswith("{")]
    assert f'"GET" {status} ' in access
    [line] = [json.loads(line) for line in text.splitlines()
              if line.startswith("{") and request_id in line]
    assert (line["path"], line["status"]) == ("/sign-in/link/<token>", status)


def test_a_command_s_output_carries_no_log_line(runner, capsys):
    """A flask command's stdout is its output; its stderr only warnings and errors."""
    result = runner.invoke(args=["accounts", "reseal-two-step"])
    assert result.stdout == "0 authenticator-app secret(s) sealed with TOTP_ENCRYPTION_KEY.\n"
    assert result.stderr == "" and capsys.readouterr().out == ""
