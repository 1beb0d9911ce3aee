"""Blind review holds on every page a panel member can reach (DESIGN.md §4, §6): as an
academic panellist, a lived-experience panellist and the chair, in every phase of the
round, follow every link and download from the home page (and from every page
tests/web/access_table.py lets them open, linked or not) and check that no identifying field
of any application, and no other panel member's name, ever appears — nor in the e-mails
the panel gets.

Every identifying field of every application is a canary (applicant name, organisation,
contact e-mail and the column the round marks identifying), and so is every panel
member's name ("CANARY-NAME-Sam"). The world is the one the access matrix walks
(tests/web/test_access_matrix.py): Sam stepped out of A1, Kim's connection to A1 is declared
and confirmed by the officer, and in moderation A1 is open with Ada's revised score.

One allowance, from DESIGN.md §5 and §6: on the chair's meeting page the chair sees who
stepped out of the item and who declared a connection — names in the "Stepped out"
paragraph and the "Declared connections" list only, never in the spread table or chart,
and never with an identifying field."""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest

from panel.rounds.models import PHASES
from tests.builders import people
from tests.builders.access_world import (
    PANEL,
    SLUG,
    build_world,
    canary_values,
    path_for,
)
from tests.support.crawl import VISIT_LIMIT, crawl, readable
from tests.web import access_table as table

CRAWLERS = ("academic", "lived_experience", "chair")
IDENTIFYING = re.compile(r"CANARY-(?:APPLICANT|ORG|PHONE)|@leak\.example", re.IGNORECASE)
NAME = re.compile(r"CANARY-NAME-\w+")
CHAIR_PAGE = f"/rounds/{SLUG}/meeting"
# Where the chair may read names on CHAIR_PAGE (templates/moderation/_item.html).
NAMED_PARTS = (re.compile(r'<p class="fp-body" id="stepped-out">.*?</p>', re.DOTALL),
               re.compile(r'<ul class="fp-list fp-list--bullet" id="declared">.*?</ul>',
                          re.DOTALL))


def leaks(role: str, address: str, text: str) -> list[str]:
    """Identifying canaries anywhere; other people's names anywhere but where the chair
    may read them on the meeting page."""
    text = html.unescape(text)
    own = PANEL[role].name
    problems = [f"{address} shows {found!r}" for found in
                sorted(set(IDENTIFYING.findall(text)) | {v for v in canary_values() if v in text})]
    if role == "chair" and urlsplit(address).path == CHAIR_PAGE:
        for part in NAMED_PARTS:
            text = part.sub("", text)
    problems += [f"{address} names {name!r}" for name in sorted(set(NAME.findall(text)))
                 if name != own]
    return problems


def starting_points(app, world, role: str, phase: str) -> list[str]:
    """The home page, then every page tests/web/access_table.py lets ``role`` open in
    ``phase``: a page nothing links to is still one address away (an e-mail, a bookmark)."""
    allowed = [path_for(rule, world) for rule in app.url_map.iter_rules()
               if "GET" in rule.methods and not table.TABLE[rule.endpoint].exempt
               and table.TABLE[rule.endpoint].expected(role, phase) == table.ALLOW]
    return ["/", *sorted(allowed)]


def crawl_as(app, mailbox, world, role: str, phase: str):
    """``role`` signs in by e-mailed link, then crawls ``world`` in ``phase``."""
    client = app.test_client()
    people.sign_in_by_link(client, mailbox, PANEL[role].email)
    return crawl(client, starting_points(app, world, role, phase))


@pytest.mark.parametrize("phase", PHASES)
def test_no_identifying_field_and_no_other_name_reaches_the_panel(app, mailbox, phase):
    world = build_world(phase)
    problems, counts = [], {}
    for role in CRAWLERS:
        pages = 0
        for address, response in crawl_as(app, mailbox, world, role, phase):
            pages += 1
            assert response.status_code < 500, f"{address} as {role} in {phase}"
            problems += [f"as {role} in {phase}: {p}"
                         for p in leaks(role, address, readable(response))]
            if role == "chair" and phase == "moderation" and address == CHAIR_PAGE:
                check_the_chair_sees_who_stepped_out(response.get_data(as_text=True))
        assert pages < VISIT_LIMIT, f"the crawl as {role} in {phase} stopped at VISIT_LIMIT"
        counts[role] = pages
    problems += mail_leaks(mailbox, phase)
    summary = ", ".join(f"{role} {n}" for role, n in counts.items())
    if problems:
        pytest.fail(f"Pages visited in {phase}: {summary}.\n" + "\n".join(problems),
                    pytrace=False)
    assert min(counts.values()) >= 5, f"too few pages visited in {phase}: {summary}"
    print(f"\nblind crawl, {phase}: pages visited: {summary}")


def mail_leaks(mailbox, phase: str) -> list[str]:
    """Every e-mail the panel got while the world was built and signed in (sign-in links;
    scoring is open; the results are published) names only its reader."""
    readers = {person.email: role for role, person in PANEL.items()}
    problems, read = [], 0
    for message in mailbox.messages:
        for email, role in readers.items():
            if email in message["To"]:
                read += 1
                text = f"{message['Subject']}\n{mailbox.body(message)}"
                problems += [f"in {phase}: e-mail {message['Subject']!r} to {role}: {p}"
                             for p in leaks(role, "e-mail", text)]
    assert read >= len(CRAWLERS), "the panel's e-mails were read"
    return problems


def check_the_chair_sees_who_stepped_out(page: str) -> None:
    """The allowance is used, exactly as DESIGN.md §6 wants it: names where they belong."""
    stepped_out, declared = (part.search(page) for part in NAMED_PARTS)
    assert stepped_out and "CANARY-NAME-Sam" in stepped_out.group(0)
    assert declared and "CANARY-NAME-Kim" in declared.group(0)
    spread = page[page.index("How each person scored"):page.index('id="stepped-out"')]
    assert "<svg" in spread and not NAME.search(spread), "no name beside a score"
