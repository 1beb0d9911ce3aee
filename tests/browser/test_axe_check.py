"""The browser tests' own axe check (``Visitor.check`` in conftest.py): it fails a page
with a serious problem, and runs axe again on a page only when the page has changed in
something besides its CSRF tokens."""
from __future__ import annotations

from uuid import uuid4

import pytest

# {name} makes each test's page one no other test has passed: what axe has passed is kept
# for the whole process.
PAGE = """<!doctype html><html lang="en"><head><title>A page</title>
<meta name="csrf-token" content="{token}"></head><body><main><h1>Page {name}</h1>
<form method="post"><input type="hidden" name="csrf_token" value="{token}">
<button>Send</button></form>{more}</main></body></html>"""
NO_ALT = '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'


def serve(visitor, live_server, page: dict) -> None:
    """Answer ``/axe-page`` on the app's own address with ``page["html"]`` as it is at
    the time of the request."""
    visitor.page.route(f"{live_server.url}/axe-page", lambda route: route.fulfill(
        body=page["html"], content_type="text/html"))


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_axe_runs_again_only_on_a_changed_page(visit, live_server, javascript):
    visitor = visit(javascript=javascript)
    name = uuid4().hex
    page = {"html": PAGE.format(name=name, token="first-session", more="")}
    serve(visitor, live_server, page)
    visitor.goto("/axe-page")
    assert visitor.axe_runs == 1
    # Another session's tokens, the page otherwise the same: already passed as it is
    page["html"] = PAGE.format(name=name, token="second-session", more="")
    visitor.goto("/axe-page")
    assert visitor.axe_runs == 1
    assert visitor.checked == [f"{live_server.url}/axe-page"] * 2
    # One more paragraph: a page axe has not seen
    page["html"] = PAGE.format(name=name, token="second-session", more="<p>More words.</p>")
    visitor.goto("/axe-page")
    assert visitor.axe_runs == 2
    # The same page in a narrower window is another page to axe
    visitor.page.set_viewport_size({"width": 360, "height": 740})
    visitor.check()
    assert visitor.axe_runs == 3


def test_a_page_that_passed_fails_once_it_has_a_serious_problem(visit, live_server):
    visitor = visit()
    name = uuid4().hex
    page = {"html": PAGE.format(name=name, token="t", more="")}
    serve(visitor, live_server, page)
    visitor.goto("/axe-page")
    page["html"] = PAGE.format(name=name, token="t", more=NO_ALT)
    with pytest.raises(AssertionError, match="image-alt"):
        visitor.goto("/axe-page")
    assert visitor.checked == [f"{live_server.url}/axe-page"]
