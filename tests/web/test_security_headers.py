"""Headers, redirects, uploads and sessions (issue 8, DESIGN.md §9 "Safe").

Already proved elsewhere, and not repeated here:

- the session cookie is HttpOnly, SameSite=Lax and renewed at sign-in:
  tests/accounts/test_accounts.py::test_session_cookie_is_httponly_samesite_and_renewed_at_sign_in
- a staff cookie copied before sign-out is dead after it:
  tests/accounts/test_accounts.py::test_signed_out_cookie_is_dead_even_if_copied
- disabling an account ends its sessions:
  tests/accounts/test_accounts.py::test_disabled_account_loses_its_session
- a new password ends every other session:
  tests/accounts/test_passwords.py::test_staff_change_their_password_and_other_sessions_end
- resetting two-step sign-in ends the person's sessions:
  tests/accounts/test_totp.py::test_admin_resets_a_lost_second_factor
- ``next=//evil.example/x`` after a staff sign-in, and ``next`` through the second step:
  tests/accounts/test_accounts.py::test_next_only_leads_to_this_site,
  tests/accounts/test_totp.py::test_next_page_survives_the_second_step
"""
from __future__ import annotations

import io
import re
import time
from types import SimpleNamespace
from urllib.parse import quote, urljoin, urlsplit

import itsdangerous.timed
import pytest
import sqlalchemy as sa

from panel import create_app
from panel.accounts import sessions
from panel.accounts.models import User
from panel.bundle import uploads
from panel.extensions import db
from panel.rounds.models import PanelMember
from panel.scoring import queries as scoring_queries
from panel.scoring import services as scoring
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.builders.every_page import DRAFT, SCORING, database_rows
from tests.builders.people import next_code, staff_with_two_step
from tests.builders.worked import SLUG as MEETING_SLUG
from tests.support.web import csrf_token, make_app, submit

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
HSTS = "max-age=31536000; includeSubDomains"
HTTPS = "https://panel.example.org"
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)


# Every page: the same headers, and nothing inline for the CSP to block ---------------------

def every_get_url(app, world) -> dict[str, str]:
    """One URL for each GET rule, filled in from the world of test_csrf_everywhere."""
    values = world.values
    arguments = {"reference": "A1", "member_id": values["ben_member"],
                 "conflict_id": values["conflict_id"], "key": "q",
                 "user_id": values["officer_id"], "number": 1, "file_format": "csv",
                 "filename": "css/fairpanel.css", "job_id": values["job_id"]}
    adapter = app.url_map.bind("localhost")
    urls = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        meeting = rule.rule.startswith("/meetings") or "/meeting" in rule.rule
        slug = (MEETING_SLUG if meeting else DRAFT if rule.endpoint.startswith("round_setup")
                else SCORING)
        filled = {**arguments, "slug": slug,
                  "key": "academic" if "/groups/" in rule.rule or "/payment/" in rule.rule
                  else "q",
                  "token": values["invitation"] if "invitation" in rule.rule
                  else values["sign_in_link"]}
        urls[rule.endpoint] = adapter.build(
            rule.endpoint, {name: filled[name] for name in rule.arguments})
    return urls


# Pages that only ever send people on, whoever asks.
ONLY_REDIRECTS = {"home.index", "scoring.overview"}
# Served only for a decided (or published) round, which this world has not: their headers
# (here on the 404) and their 200 are checked in tests/audit/test_kit.py and
# tests/audit/test_public_kit.py.
NEEDS_A_DECIDED_ROUND = {"voice.verification_kit", "voice.public_kit"}


def test_every_response_carries_the_security_headers(app, world):
    amira = db.session.get(PanelMember, int(world.values["amira_member"]))
    scoring.answer_no_connection(amira.user, scoring_queries.assignment_for(amira, "A1"))
    db.session.commit()  # so that her scoring pages show rather than send her on
    urls = every_get_url(app, world)
    problems, served = [], set()
    for endpoint, url in urls.items():
        for who, client in world.clients.items():
            response = client.get(url, buffered=True)
            headers = response.headers
            wrong = [name for name, expected in (
                ("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"),
            ) if headers.get(name) != expected]
            if "Strict-Transport-Security" in headers:  # test config: plain http
                wrong.append("Strict-Transport-Security")
            if endpoint != "static" and headers.get("Cache-Control") != "no-store":
                wrong.append("Cache-Control")
            if wrong:
                problems.append(f"{url} as {who} ({response.status_code}): {wrong}")
            if response.status_code == 200 or (
                    endpoint in ONLY_REDIRECTS and response.status_code == 302):
                served.add(endpoint)
                if response.mimetype == "text/html":
                    inline = INLINE.findall(response.get_data(as_text=True))
                    if inline:
                        problems.append(f"{url} as {who}: inline {sorted(set(inline))}")
    assert not problems, "\n".join(problems)
    expected = set(urls) - NEEDS_A_DECIDED_ROUND
    assert served == expected, "never shown: " + ", ".join(sorted(expected - served))


def test_the_policy_allows_nothing_inline_and_no_framing():
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP


def test_error_pages_carry_the_headers_too(client):
    for response in (client.get("/no-such-page"), client.post("/sign-in", data={})):
        assert response.status_code in (400, 404)
        assert response.headers["Content-Security-Policy"] == CSP
        assert response.headers["X-Frame-Options"] == "DENY"


# HTTPS: HSTS and secure cookies in production, never in development ---------------------------

@pytest.fixture
def production(database_url, mailbox, tmp_path):
    app = create_app("production", SECRET_KEY="a production secret for tests only",
                     SQLALCHEMY_DATABASE_URI=database_url, MAIL_SERVER=mailbox.host,
                     MAIL_PORT=mailbox.port, MAIL_OUTBOX_DIR=str(tmp_path / "outbox"),
                     RATELIMIT_STORAGE_URI="memory://", SESSION_COOKIE_SECURE=True,
                     BASE_URL="https://panel.example.org")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_production_over_https_sends_hsts_and_a_secure_cookie(production):
    response = production.test_client().get("/sign-in", base_url=HTTPS)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == HSTS
    assert response.headers["Content-Security-Policy"] == CSP
    cookie = next(h for h in response.headers.getlist("Set-Cookie")
                  if h.startswith("fairpanel_session="))
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_over_https_refuses_a_form_from_another_site(production):
    """Over HTTPS, Flask-WTF also wants a Referer from this site (WTF_CSRF_SSL_STRICT)."""
    people.staff("officer@example.org", "officer")
    client = production.test_client()
    page = client.get("/sign-in/staff", base_url=HTTPS).get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "email": "officer@example.org",
            "password": people.PASSWORD}
    elsewhere = client.post("/sign-in/staff", data=form, base_url=HTTPS,
                            headers={"Referer": "https://evil.example/"})
    assert elsewhere.status_code == 400
    here = client.post("/sign-in/staff", data=form, base_url=HTTPS,
                       headers={"Referer": f"{HTTPS}/sign-in/staff"})
    assert here.status_code == 302


def test_development_sends_no_hsts(database_url):
    app = create_app("development", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        for base_url in ("http://127.0.0.1:5000", HTTPS):
            response = app.test_client().get("/sign-in", base_url=base_url)
            assert response.status_code == 200
            assert "Strict-Transport-Security" not in response.headers
        db.engine.dispose()


# Behind a reverse proxy ------------------------------------------------------------------------

def proxied_sign_ins(app, forwarded_for: list[str]) -> list[int]:
    """Wrong-password attempts through the proxy, one per entry, from those addresses."""
    with app.app_context():
        codes = []
        for address in forwarded_for:
            client = app.test_client()
            page = client.get("/sign-in/staff").get_data(as_text=True)
            codes.append(client.post("/sign-in/staff", headers={"X-Forwarded-For": address},
                                     data={"csrf_token": csrf_token(page), "password": "guess",
                                           "email": f"someone{len(codes)}@example.org"},
                                     environ_base={"REMOTE_ADDR": "127.0.0.1"}).status_code)
        db.session.remove()
        db.engine.dispose()
    return codes


def test_behind_a_trusted_proxy_each_client_has_its_own_sign_in_limit(database_url, mailbox,
                                                                      tmp_path):
    """Without TRUSTED_PROXIES, every attempt through nginx would come from 127.0.0.1 and
    share one limit: a few wrong guesses would lock everybody out."""
    app = make_app(database_url, mailbox, tmp_path, TRUSTED_PROXIES=1, RATELIMIT_ENABLED=True,
                   SIGN_IN_RATE_LIMIT="2 per minute")
    codes = proxied_sign_ins(app, ["203.0.113.1", "203.0.113.1", "203.0.113.1",
                                   "198.51.100.7"])
    assert codes == [200, 200, 429, 200]


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(database_url, mailbox,
                                                                       tmp_path):
    app = make_app(database_url, mailbox, tmp_path, RATELIMIT_ENABLED=True,
                   SIGN_IN_RATE_LIMIT="2 per minute")
    assert app.config["TRUSTED_PROXIES"] == 0
    codes = proxied_sign_ins(app, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
    assert codes == [200, 200, 429]


# Sign-in never leads to another site -------------------------------------------------------

OFF_SITE = [
    "//evil.example", "//evil.example/rounds/", "///evil.example", "https://evil.example",
    "http://evil.example/rounds/", "https:evil.example", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>", " //evil.example", "evil.example",
]


def lands_on_this_site(location: str) -> bool:
    """Where a browser would go: it drops tabs and newlines, and reads \\ as /."""
    browser = re.sub(r"[\t\n\r]", "", location).replace("\\", "/")
    target = urlsplit(urljoin("http://localhost/here", browser))
    return target.scheme == "http" and target.netloc == "localhost"


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_off_site_is_ignored_after_any_sign_in(app, mailbox, target):
    people.staff("officer@example.org", "officer")
    people.panellist("amira@example.org")
    query = "?next=" + quote(target, safe="")

    staff = app.test_client()
    response = submit(staff, "/sign-in/staff" + query,
                      {"email": "officer@example.org", "password": people.PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"

    panellist = app.test_client()
    submit(panellist, "/sign-in" + query, {"email": "amira@example.org"})
    link = mailbox.last_link("amira@example.org", "/sign-in/link/")
    response = submit(panellist, link)
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_next_off_site_is_ignored_after_the_second_step(app):
    staff_with_two_step(app)
    client = app.test_client()
    submit(client, "/sign-in/staff?next=" + quote("/\\evil.example", safe=""),
           {"email": "officer@example.org", "password": people.PASSWORD})
    response = submit(client, "/sign-in/code", {"code": next_code("officer@example.org")})
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", [*OFF_SITE, "/rounds/?page=2", "/%2F%2Fevil.example",
                                    "/rounds/%5C%5Cevil.example", "/\r\n//evil.example",
                                    "/\n/evil", "/ //evil.example", "/\x7f"])
def test_what_safe_next_lets_through_stays_on_this_site(app, target):
    from panel.web import safe_next

    kept = safe_next(target)
    assert kept is None or lands_on_this_site(kept), kept
    with app.test_request_context():
        from flask import redirect

        if kept:
            assert lands_on_this_site(redirect(kept).headers["Location"])


CRLF_NEXT = quote("/\r\n//evil.example", safe="")


def test_a_next_with_a_line_break_lands_on_the_home_page_for_staff(app):
    """Issue 22, item 4: this crashed sign-in with a 500 (a header split)."""
    people.staff("officer@example.org", "officer")
    client = app.test_client()
    response = submit(client, f"/sign-in/staff?next={CRLF_NEXT}",
                      {"email": "officer@example.org", "password": people.PASSWORD})
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"] in ("/", "/account/two-step-sign-in")


def test_a_next_with_a_line_break_lands_on_the_home_page_for_panellists(app, mailbox):
    people.panellist("amira@example.org")
    client = app.test_client()
    submit(client, f"/sign-in?next={CRLF_NEXT}", {"email": "amira@example.org"})
    response = submit(client, mailbox.last_link("amira@example.org", "/sign-in/link/"))
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_same_site_next_still_works_for_panellists(app, mailbox):
    people.panellist("amira@example.org")
    client = app.test_client()
    submit(client, "/sign-in?next=%2Fmy-rounds", {"email": "amira@example.org"})
    response = submit(client, mailbox.last_link("amira@example.org", "/sign-in/link/"))
    assert response.headers["Location"] == "/my-rounds"


# Uploads over the limit -----------------------------------------------------------------------

UPLOADS = ["/rounds/test-round/applications", "/rounds/test-round/panel", "/rounds/import"]


@pytest.mark.parametrize("path", UPLOADS)
def test_an_upload_over_the_limit_gets_413_and_changes_nothing(database_url, mailbox, tmp_path,
                                                              monkeypatch, path):
    app = make_app(database_url, mailbox, tmp_path, MAX_CONTENT_LENGTH=1024 * 1024)
    parked = []
    monkeypatch.setattr(uploads, "park", lambda *args, **kwargs: parked.append(args))
    with app.app_context():
        people.staff("officer@example.org", "officer")
        round_builders.draft_round()
        officer = app.test_client()
        people.sign_in_staff(officer, "officer@example.org")
        token = csrf_token(officer.get(path).get_data(as_text=True))
        before = database_rows()
        big = b"reference,title\n" + b"A1,x\n" * (1024 * 1024 // 5)
        response = officer.post(path, data={"csrf_token": token,
                                            "file": (io.BytesIO(big), "big.csv")})
        assert response.status_code == 413
        page = response.get_data(as_text=True)
        assert "That file is too big" in page and "Files can be up to 1 MB" in page
        assert database_rows() == before and parked == []
        db.session.remove()
        db.engine.dispose()


def test_the_default_limit_is_max_upload_mb(app, officer):
    from config import Config

    assert app.config["MAX_CONTENT_LENGTH"] == Config.MAX_CONTENT_LENGTH
    limit = app.config["MAX_CONTENT_LENGTH"]
    round_builders.draft_round()
    token = csrf_token(officer.get(UPLOADS[0]).get_data(as_text=True))
    response = officer.post(UPLOADS[0], data={
        "csrf_token": token, "file": (io.BytesIO(b"x" * (limit + 1)), "big.csv")})
    assert response.status_code == 413


# Sessions that must be dead --------------------------------------------------------------------

def test_a_panellist_cookie_copied_before_sign_out_is_dead_after_it(app, mailbox):
    people.panellist("amira@example.org")
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, "amira@example.org")
    copied = client.get_cookie("fairpanel_session").value
    assert submit(client, "/my-rounds", action="/sign-out").status_code == 302

    thief = app.test_client()
    thief.set_cookie("fairpanel_session", copied)
    response = thief.get("/my-rounds")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_cookie_copied_before_the_account_is_disabled_is_dead_after_it(app, client):
    people.staff("admin@example.org", "admin", name="Ada Admin")
    officer = people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    copied = client.get_cookie("fairpanel_session").value
    admin = app.test_client()
    people.sign_in_staff(admin, "admin@example.org")
    submit(admin, f"/admin/people/{officer.id}", action=f"/admin/people/{officer.id}/disable")

    thief = app.test_client()
    thief.set_cookie("fairpanel_session", copied)
    assert thief.get("/rounds/").status_code == 302
    # Enabled again, the old cookie stays dead: the session version has moved on.
    submit(admin, f"/admin/people/{officer.id}", action=f"/admin/people/{officer.id}/enable")
    assert db.session.get(User, officer.id).active
    assert thief.get("/rounds/").status_code == 302


def test_a_cookie_copied_before_a_change_of_roles_is_dead_after_it(app, client):
    people.staff("admin@example.org", "admin", name="Ada Admin")
    officer = people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    copied = client.get_cookie("fairpanel_session").value
    admin = app.test_client()
    people.sign_in_staff(admin, "admin@example.org")
    submit(admin, f"/admin/people/{officer.id}", {"roles": ["officer", "auditor"]})

    thief = app.test_client()
    thief.set_cookie("fairpanel_session", copied)
    assert thief.get("/rounds/").status_code == 302


def test_a_session_older_than_its_lifetime_is_refused(app, client, monkeypatch):
    people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    assert client.get("/rounds/").status_code == 200
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    later = time.time() + lifetime + 60
    # The cookie is signed with the time it was issued; it is refused when too old,
    # whatever the browser does with its expiry date (and though its signature was
    # checked, and kept, while it was young).
    clock = SimpleNamespace(time=lambda: later)
    monkeypatch.setattr(itsdangerous.timed, "time", clock)
    monkeypatch.setattr(sessions, "time", clock)
    response = client.get("/rounds/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_signing_out_takes_a_post_with_its_token(app, client):
    people.staff("officer@example.org", "officer")
    people.sign_in_staff(client, "officer@example.org")
    assert client.get("/sign-out").status_code == 405
    assert client.post("/sign-out").status_code == 400
    assert client.get("/rounds/").status_code == 200
    officer = db.session.scalar(sa.select(User).where(User.email == "officer@example.org"))
    assert officer.session_version == 1
