"""A session left unused for ``PERMANENT_SESSION_LIFETIME`` (12 hours) ends; using it keeps
it going (docs/security.md). The signed cookie carries the time it was signed, so using
the session means signing it again — but an unchanged session is signed again only once
its cookie is a minute old (issue 17: not every page pays for a new cookie). The idle
time still slides with use, to within that minute, and each page tells its timeout
script the time really left."""
from __future__ import annotations

import re
import time
from types import SimpleNamespace

import itsdangerous.timed
import pytest
from flask import request, session

from panel.accounts import sessions
from tests.builders.rounds import panellist_on_my_rounds

TWELVE_HOURS = 12 * 60 * 60
COOKIE = "fairpanel_session"


@pytest.fixture
def amira(app, mailbox):
    return panellist_on_my_rounds(app, mailbox)


@pytest.fixture
def clock(monkeypatch):
    """Moves the clock the cookie's signature and FairPanel read, ``clock(seconds)``
    after now."""
    started = time.time()

    def move(seconds: float) -> None:
        later = SimpleNamespace(time=lambda: started + seconds)
        monkeypatch.setattr(itsdangerous.timed, "time", later)
        monkeypatch.setattr(sessions, "time", later)
    return move


def signs_the_cookie(response) -> bool:
    return any(header.startswith(f"{COOKIE}=")
               for header in response.headers.getlist("Set-Cookie"))


def seconds_left(response) -> int:
    return int(re.search(r'data-session-seconds="(\d+)"', response.get_data(as_text=True))
               .group(1))


def test_an_unchanged_session_is_not_signed_again_within_a_minute(amira, clock):
    clock(1)
    assert not signs_the_cookie(amira.get("/my-rounds"))
    clock(59)
    response = amira.get("/my-rounds")
    assert response.status_code == 200 and not signs_the_cookie(response)
    clock(61)
    assert signs_the_cookie(amira.get("/my-rounds"))
    clock(62)  # the cookie signed a second ago
    assert not signs_the_cookie(amira.get("/my-rounds"))


def test_the_page_is_told_the_idle_time_really_left(amira, clock):
    clock(31)  # the cookie, signed at sign-in, is 30–32 s old (signatures count whole seconds)
    assert TWELVE_HOURS - 33 <= seconds_left(amira.get("/my-rounds")) <= TWELVE_HOURS - 29
    clock(90)  # signed again by this request: the whole idle time is left
    assert seconds_left(amira.get("/my-rounds")) == TWELVE_HOURS


def test_using_the_session_keeps_it_going_past_twelve_hours_unused(app, amira, clock):
    # In use every 50 minutes, the session outlives the idle time of its first cookie
    # (the absolute lifetime, counted from signing in, is stretched for this test).
    app.config["SESSION_ABSOLUTE_LIFETIME"] *= 3
    for minutes in range(50, 13 * 60, 50):  # the last at 12 h 30 min
        clock(minutes * 60)
        assert amira.get("/my-rounds").status_code == 200, f"{minutes} minutes in"
    clock(750 * 60 + TWELVE_HOURS + 5)  # then unused for more than twelve hours
    response = amira.get("/my-rounds")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_changed_session_is_signed_at_once(app, amira, clock):
    clock(1)
    page = amira.get("/my-rounds").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    # Stay signed in: nothing else changes, but the session must be renewed now.
    response = amira.post("/session/keep-alive", headers={"X-CSRFToken": token})
    assert response.status_code == 204 and signs_the_cookie(response)
    response = amira.post("/language", data={"csrf_token": token, "language": "cy"})
    assert signs_the_cookie(response)


def test_a_cookie_checked_once_is_still_refused_once_too_old(app, amira, clock):
    """Its signature is checked once and kept; its age is checked on every request."""
    assert amira.get("/my-rounds").status_code == 200  # checked, and kept
    cookie = amira.get_cookie(COOKIE).value
    clock(TWELVE_HOURS + 1)
    amira.set_cookie(COOKIE, cookie)
    response = amira.get("/my-rounds")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_damaged_cookie_is_refused_every_time(app, amira):
    cookie = amira.get_cookie(COOKIE).value
    damaged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    for _ in range(2):
        amira.set_cookie(COOKIE, damaged)
        response = amira.get("/my-rounds")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_each_request_gets_its_own_copy_of_a_kept_session(app):
    """A request that changes a list in its session in place (as flash() does) leaves the
    next request with the same cookie with what the cookie says."""
    interface = app.session_interface
    with app.test_request_context("/"):
        session["notes"] = ["first"]
        session["language"] = "cy"
        response = app.response_class()
        interface.save_session(app, session, response)
        cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    opened = []
    for _ in range(2):
        with app.test_request_context("/", headers={"Cookie": f"{COOKIE}={cookie}"}):
            opened.append(interface.open_session(app, request))
    opened[0]["notes"].append("second")
    opened[0]["language"] = "en"
    assert opened[1]["notes"] == ["first"] and opened[1]["language"] == "cy"
