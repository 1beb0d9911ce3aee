"""Who may do what (DESIGN.md §1, §2, §9 "role and phase checks on every route"): every
route in ``app.url_map`` is called, GET and POST, as each kind of person in each phase of
a round, and the outcome must be the one :mod:`tests.access_table` writes down. A route
without a row in that table fails the test, so every new route is decided on purpose.

One world per phase, built through the real services (:func:`build_world`): round R with
criteria, the groups academic and lived_experience, applications A1–A3 (every identifying
field set), panellists of both groups, a chair, assignments and conflicts; a second round
with its own member; an officer, an auditor and an admin. The blind-leak crawl
(tests/web/test_blind_crawl.py) walks the same world.

URL variables come from the world (:func:`path_for`); the e-mailed-link routes get an
unknown token, the static files and signing out are exempt (the table says why). A POST
carries a CSRF token from a page the person can open and placeholder values only
(:func:`post_data`). A refused request must change nothing: it may add no audit event
(DESIGN.md §7 puts every change of state on the trail, so an unchanged trail means an
unchanged round)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.rounds.models import PHASES
from panel.scoring import queries
from tests.builders import people
from tests.builders.access_world import World, _application, build_world, path_for
from tests.support.web import csrf_token
from tests.web import access_table as table

# Calling every route as everyone ---------------------------------------------------------

@dataclass
class Visitor:
    """One kind of person with their own signed-in test client and CSRF token."""

    role: str
    client: object
    token: str


def sign_in_everyone(app, mailbox, world: World) -> dict[str, Visitor]:
    visitors = {}
    for role in table.ROLES:
        client = app.test_client()
        if role == "anonymous":
            token = csrf_token(client.get("/sign-in").get_data(as_text=True))
        else:
            user = world.users[role]
            if user.is_staff:
                people.sign_in_staff(client, user.email)
            else:
                people.sign_in_by_link(client, mailbox, user.email)
            page = client.get("/my-rounds").get_data(as_text=True)
            found = re.search(r'name="csrf-token" content="([^"]+)"', page)
            assert found, f"{role} is signed in"
            token = found.group(1)
        visitors[role] = Visitor(role, client, token)
    return visitors


def audit_count() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


def _sheet_version(world: World, role: str) -> int:
    member = world.members.get(role)
    if member is None:
        return 0
    sheet = queries.initial_sheet(member.id, _application(world.round, "A3").id)
    return sheet.version if sheet is not None else 0


def post_data(endpoint: str, world: World, role: str) -> dict:
    """What a POST carries beside its CSRF token: nothing, except where an empty form
    would be refused for a reason other than access (an old sheet version, an item the
    meeting has moved on from) or would move the round itself on."""
    if endpoint in ("scoring.comment", "scoring.check", "scoring.question"):
        return {"version": _sheet_version(world, role)}
    if endpoint == "scoring.whole_sheet":  # a draft: sending would need every answer
        return {"version": _sheet_version(world, role), "action": "save"}
    if endpoint in ("meeting.outcome", "meeting.skip", "meeting.revise_question",
                    "meeting.revise_check", "meeting.move_on"):
        return {"application": world.current_reference()}
    if endpoint == "meeting.comment":  # taking a comment off the screen: harmless
        return {"application": world.current_reference(), "show": "no"}
    if endpoint == "meeting.agenda_change":
        return {"action": "down"}
    if endpoint == "payments.rate":  # the pay lived experience has: nothing changes
        return {"hourly": "25", "meeting_fee": "75"}
    if endpoint in ("round_progress.phase_forward", "round_progress.phase_back"):
        return {"from_phase": "a phase the round is not in"}  # never moves the round
    return {}


def call(visitor: Visitor, method: str, rule, path: str, world: World):
    # Buffered: a streamed download is read inside its own request, as a server would.
    if method == "GET":
        return visitor.client.get(path, buffered=True)
    if rule.endpoint == "scoring.save":
        return visitor.client.post(path, headers={"X-CSRFToken": visitor.token}, json={
            "version": _sheet_version(world, visitor.role), "scores": {}}, buffered=True)
    return visitor.client.post(path, data={"csrf_token": visitor.token,
                                           **post_data(rule.endpoint, world, visitor.role)},
                               buffered=True)


INVALID = "form refused (400)"  # counts as let in, for a POST of placeholder values
BY_STATUS = {400: INVALID, 403: table.FORBIDDEN, 404: table.NOT_FOUND,
             409: table.WRONG_PHASE, 410: table.GONE}


def outcome_of(response, visitor: Visitor) -> str:
    """The outcome class of a response, in the words of tests/web/access_table.py."""
    with visitor.client.session_transaction() as session:
        flashed = session.pop("_flashes", [])
    status = response.status_code
    if 300 <= status < 400:
        if urlsplit(response.headers["Location"]).path.startswith("/sign-in"):
            return table.SIGN_IN
        if any(category == "error" for category, _ in flashed):
            return table.SENT_BACK
        return table.ALLOW
    if 200 <= status < 300:
        return table.ALLOW
    if status == 400 and "This form has expired" in response.get_data(as_text=True):
        return "refused for its CSRF token (400)"
    return BY_STATUS.get(status, f"status {status}")


def accepted(expected: str, method: str) -> set[str]:
    if expected == table.ALLOW and method == "POST":
        return {table.ALLOW, INVALID}
    return {expected}


# Posts that change what later posts find (an item skipped, a sheet sent, a criterion
# removed) go last, in this order.
LAST = ("round_setup.remove_criterion", "round_setup.remove_group", "scoring.check",
        "scoring.pass_on", "meeting.outcome", "meeting.skip", "meeting.move_on")


def walk_order(rules, method: str) -> list:
    chosen = [rule for rule in rules if method in rule.methods]
    return sorted(chosen, key=lambda rule: LAST.index(rule.endpoint) + 1
                  if rule.endpoint in LAST else 0)


# The tests ------------------------------------------------------------------------------

def test_every_route_has_a_row_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    problems = [f"add a row for {e} to tests/web/access_table.py"
                for e in sorted(endpoints - set(table.TABLE))]
    problems += [f"remove the row for {e} from tests/web/access_table.py (no such route)"
                 for e in sorted(set(table.TABLE) - endpoints)]
    problems += table.check_table()
    problems += [f"{rule.endpoint} answers {method}: teach this walk to call it"
                 for rule in app.url_map.iter_rules()
                 for method in sorted(rule.methods - {"GET", "POST", "HEAD", "OPTIONS"})]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    assert table.PHASES == PHASES


@pytest.mark.parametrize("phase", PHASES)
def test_every_route_answers_everyone_as_the_table_says(app, mailbox, phase):
    world = build_world(phase)
    visitors = sign_in_everyone(app, mailbox, world)
    rules = [rule for rule in app.url_map.iter_rules()]
    disagreements, calls = [], 0
    for rule in rules:
        if rule.endpoint not in table.TABLE:
            disagreements.append(f"add a row for {rule.endpoint} to tests/web/access_table.py")
    for method in ("GET", "POST"):
        for rule in walk_order(rules, method):
            row = table.TABLE.get(rule.endpoint)
            if row is None or row.exempt:
                continue
            path = path_for(rule, world)
            for role, visitor in visitors.items():
                expected = row.expected(role, phase)
                before = audit_count()
                got = outcome_of(call(visitor, method, rule, path, world), visitor)
                calls += 1
                where = f"{method} {path} ({rule.endpoint}) as {role} in {phase}"
                if got not in accepted(expected, method):
                    disagreements.append(f"{where}: the table says {expected}, got {got}")
                if got not in (table.ALLOW,) and audit_count() != before:
                    disagreements.append(f"{where}: refused ({got}) but the audit trail "
                                         f"grew by {audit_count() - before}")
    assert world.phase == phase, "no call may move the round to another phase"
    if disagreements:
        pytest.fail(f"{len(disagreements)} of {calls} calls in {phase} disagree with "
                    "tests/web/access_table.py:\n" + "\n".join(disagreements), pytrace=False)
    assert calls > 8 * 100, f"only {calls} calls: the walk must see the whole app"
