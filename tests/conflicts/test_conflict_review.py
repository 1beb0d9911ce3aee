"""The officer's review of conflicts (DESIGN.md §5, §7): the queue and its actions, adding
a conflict, the matrix with filters and paging in a constant number of queries, and the
CSV export. Services are tested without the web first, then the pages."""
from __future__ import annotations

import csv
import html
import io

import pytest
from sqlalchemy import event, select

from panel.audit.models import AuditEvent
from panel.audit.personal import opened
from panel.conflicts import queries, services
from panel.conflicts.models import Conflict
from panel.conflicts.services import ConflictError
from panel.extensions import db
from panel.rounds import services as rounds
from panel.rounds.models import Application
from tests.builders import people
from tests.builders import rounds as round_builders
from tests.support.web import submit

ROUND = "/rounds/test-round"


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def conflict(member, application, *, source="declared", status="pending", level="step_out",
             kind="local", details="") -> Conflict:
    made = Conflict(member_id=member.id, application_id=application.id, source=source,
                    status=status, level=level, kind=kind, details=details)
    db.session.add(made)
    db.session.commit()
    return made


def last_event() -> AuditEvent:
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


@pytest.fixture
def small(app):
    """A round in scoring: A1, A2; Amira (lived experience) and Ben (academic); a chair."""
    round_ = round_builders.draft_round()
    round_builders.applications(round_, 60, 40)
    amira = round_builders.member(round_, "amira@example.org", "lived_experience")
    ben = round_builders.member(round_, "ben@example.org", "academic")
    round_builders.member(round_, "chair@example.org", "academic", role="chair")
    rounds.change_phase(None, round_, "scoring", system="tests")
    db.session.commit()
    return round_, amira, ben


@pytest.fixture
def officer_user(app):
    return people.staff("boss@example.org", "officer", name="Bo Boss")


# --- Services ----------------------------------------------------------------------------

def test_confirming_records_the_status_before_and_after(small, officer_user):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0])
    services.confirm(officer_user, made)
    db.session.commit()
    assert (made.status, made.reviewed_by_id) == ("confirmed", officer_user.id)
    assert made.reviewed_at is not None
    event_ = last_event()
    assert (event_.action, event_.before, event_.after, event_.object_id, event_.round_id) == (
        "conflict.confirmed", {"status": "pending"}, {"status": "confirmed"}, str(made.id),
        round_.id)
    with pytest.raises(ConflictError, match="already confirmed"):
        services.confirm(officer_user, made)


def test_dismissing_needs_a_reason_and_keeps_it_on_record(small, officer_user):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0])
    with pytest.raises(ConflictError, match="Enter why"):
        services.dismiss(officer_user, made, "   ")
    assert made.status == "pending"
    services.dismiss(officer_user, made, " Different Sam ")
    db.session.commit()
    event_ = last_event()
    assert (event_.action, event_.before, opened(event_).after) == (
        "conflict.dismissed", {"status": "pending", "review_reason": ""},
        {"status": "dismissed", "review_reason": "Different Sam"})
    assert not queries.review_queue(round_).items[0].stepping_out


def test_changing_the_level_records_before_and_after(small, officer_user):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0], status="confirmed")
    services.change_level(officer_user, made, "declared")
    db.session.commit()
    event_ = last_event()
    assert (event_.action, event_.before, event_.after) == (
        "conflict.level_changed", {"level": "step_out"}, {"level": "declared"})
    with pytest.raises(ConflictError, match="already at the level"):
        services.change_level(officer_user, made, "declared")
    with pytest.raises(ConflictError):
        services.change_level(officer_user, made, "banished")


def test_an_officer_adds_a_confirmed_conflict_once(small, officer_user):
    round_, amira, _ = small
    application = round_.applications[1]
    made = services.add_conflict(officer_user, round_, amira, application, "financial",
                                 " Paid trustee ", "step_out")
    db.session.commit()
    assert (made.source, made.status, made.details) == ("officer", "confirmed", "Paid trustee")
    event_ = last_event()
    assert (event_.action, event_.before, opened(event_).after) == ("conflict.added", None, {
        "member": "amira@example.org", "application": "A2", "kind": "financial",
        "details": "Paid trustee", "level": "step_out", "source": "officer",
        "status": "confirmed"})
    with pytest.raises(ConflictError, match="already has a conflict"):
        services.add_conflict(officer_user, round_, amira, application, "local", "", "declared")


def test_nothing_changes_once_the_round_is_decided(small, officer_user):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0])
    round_.phase = "decided"
    db.session.commit()
    with pytest.raises(ConflictError, match="no longer change"):
        services.confirm(officer_user, made)


# --- Pages -------------------------------------------------------------------------------

def test_the_queue_shows_pending_first_in_plain_words(small, officer):
    round_, amira, ben = small
    conflict(ben, round_.applications[1], status="confirmed", kind="academic")
    conflict(amira, round_.applications[0], source="suggested", details="Organisation 1 CIC")
    page = text(officer.get(f"{ROUND}/conflicts"))
    assert page.index("To review") < page.index("Amira on A1") < page.index("Reviewed") \
        < page.index("Ben on A2")
    assert "Suggested by profile match" in page and "Matched" in page
    assert "Organisation 1 CIC" in page and "Academic collaborator" in page
    assert "1 to review." in page


def test_confirm_and_change_level_from_the_queue(small, officer):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0])
    response = submit(officer, f"{ROUND}/conflicts", action=f"{ROUND}/conflicts/{made.id}/confirm")
    assert response.status_code == 302
    assert "Conflict confirmed: Amira on A1." in text(officer.get(response.headers["Location"]))
    submit(officer, f"{ROUND}/conflicts", {"level": "declared"},
           action=f"{ROUND}/conflicts/{made.id}/level")
    db.session.refresh(made)
    assert (made.status, made.level) == ("confirmed", "declared")
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
            ][-2:] == ["conflict.confirmed", "conflict.level_changed"]


def test_dismiss_page_asks_for_a_reason(small, officer):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0])
    page = f"{ROUND}/conflicts/{made.id}/dismiss"
    response = submit(officer, page, {"reason": " "})
    assert response.status_code == 200
    assert "Error: " in text(response) and "Enter why you are dismissing" in text(response)
    assert db.session.get(Conflict, made.id).status == "pending"
    response = submit(officer, page, {"reason": "Not the same Sam"})
    assert response.headers["Location"].endswith(f"{ROUND}/conflicts")
    db.session.refresh(made)
    assert (made.status, made.review_reason) == ("dismissed", "Not the same Sam")


def test_officer_adds_a_conflict_through_the_form(small, officer):
    round_, amira, _ = small
    page = f"{ROUND}/conflicts/new"
    response = submit(officer, page, {"member": amira.id, "reference": "A9", "kind": "local",
                                      "level": "step_out"})
    assert "There is no application A9 in this round" in text(response)
    response = submit(officer, page, {"member": amira.id, "reference": "A2", "kind": "local",
                                      "note": "Next door", "level": "declared"})
    assert response.status_code == 302
    made = db.session.scalars(select(Conflict)).one()
    assert (made.kind, made.level, made.details, made.source) == (
        "local", "declared", "Next door", "officer")
    assert last_event().action == "conflict.added"


def test_unknown_conflicts_and_other_rounds_are_404(small, officer):
    round_, amira, _ = small
    other = round_builders.draft_round(slug="other", title="Other")
    application = round_builders.applications(other, 10, prefix="B")[0]
    member = round_builders.member(other, "ola@example.org", None)
    foreign = conflict(member, application)
    assert officer.get(f"{ROUND}/conflicts/{foreign.id}/dismiss").status_code == 404
    assert officer.get(f"{ROUND}/conflicts/999/dismiss").status_code == 404


@pytest.mark.parametrize("path", ["/conflicts", "/conflicts/new", "/conflicts/matrix",
                                  "/conflicts.csv", "/conflicts/1/dismiss"])
def test_pages_are_for_officers_only(small, app, mailbox, path):
    round_, amira, _ = small
    conflict(amira, round_.applications[0])
    panellist = app.test_client()
    people.sign_in_by_link(panellist, mailbox, "amira@example.org")
    assert panellist.get(ROUND + path).status_code == 403
    assert app.test_client().get(ROUND + path).status_code in (302, 401)


def test_actions_are_post_only_for_officers(small, app, mailbox):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0])
    panellist = app.test_client()
    people.sign_in_by_link(panellist, mailbox, "amira@example.org")
    for action in ("confirm", "level"):
        response = submit(panellist, "/my-rounds", {"level": "declared"},
                          action=f"{ROUND}/conflicts/{made.id}/{action}")
        assert response.status_code == 403
    assert db.session.get(Conflict, made.id).status == "pending"


def test_after_decision_the_queue_is_read_only(small, officer):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0])
    round_.phase = "decided"
    db.session.commit()
    page = text(officer.get(f"{ROUND}/conflicts"))
    assert "can no longer change" in page and "/confirm" not in page
    assert officer.get(f"{ROUND}/conflicts/{made.id}/dismiss").status_code == 409


# --- Matrix ------------------------------------------------------------------------------

def big_round(members: int, applications: int, *, slug: str = "test-round"):
    """``members`` panellists each with a conflict on every fourth application."""
    round_ = round_builders.draft_round(slug=slug)
    round_builders.applications(round_, *([10] * applications))
    made = [round_builders.member(round_, f"m{n:03}@example.org",
                                  "academic" if n % 2 else "lived_experience")
            for n in range(members)]
    for m, member in enumerate(made):
        for a, application in enumerate(round_.applications):
            if (a + m) % 4 == 0:
                db.session.add(Conflict(
                    member_id=member.id, application_id=application.id, source="declared",
                    status=("pending", "confirmed", "dismissed")[(a + m) % 3],
                    level="declared" if a % 8 == 0 else "step_out"))
    db.session.commit()
    return round_


def test_matrix_filters_and_pages(app, officer):
    big_round(4, 30)
    page = text(officer.get(f"{ROUND}/conflicts/matrix"))
    total = db.session.query(Conflict).count()
    assert f"{total} conflicts" in page and "(page 1 of 1)" not in page
    amira = db.session.scalars(select(Application).where(Application.reference == "A13")).one()
    page = text(officer.get(f"{ROUND}/conflicts/matrix?q=a13"))
    pairs = db.session.scalars(select(Conflict).where(
        Conflict.application_id == amira.id)).all()
    assert f"{len(pairs)} conflict" in page and "A12" not in page

    round_ = db.session.scalars(select(Application)).first().round
    filters = queries.Filters(status="pending", level="step_out")
    rows = queries.matrix(round_, filters, per_page=5)
    expected = db.session.scalars(select(Conflict).where(
        Conflict.status == "pending", Conflict.level == "step_out")).all()
    assert rows.total == len(expected) and len(rows.items) == min(5, len(expected))
    assert all(r.status == "pending" and r.level == "step_out" for r in rows.items)
    last = queries.matrix(round_, filters, page=99, per_page=5)
    assert last.number == last.pages
    seen = [r.id for n in range(1, last.pages + 1)
            for r in queries.matrix(round_, filters, page=n, per_page=5).items]
    assert sorted(seen) == sorted(c.id for c in expected)


def test_matrix_member_summary_counts(small, officer):
    round_, amira, ben = small
    a1, a2 = round_.applications
    conflict(amira, a1, status="confirmed")                        # stepped out
    conflict(amira, a2, source="suggested")                        # pending, not out yet
    conflict(ben, a1, level="declared", status="confirmed")        # declared, stays on
    conflict(ben, a2, status="dismissed")                          # nothing
    summaries = {s.name: s for s in queries.member_summaries(round_, queries.Filters())}
    assert (summaries["Amira"].stepped_out, summaries["Amira"].declared,
            summaries["Amira"].pending) == (1, 0, 1)
    assert (summaries["Ben"].stepped_out, summaries["Ben"].declared,
            summaries["Ben"].pending) == (0, 1, 0)
    only_ben = queries.member_summaries(round_, queries.Filters(group="academic"))
    assert [s.name for s in only_ben] == ["Ben"]
    page = text(officer.get(f"{ROUND}/conflicts/matrix?member={ben.id}&status=bogus"))
    pairs = page[page.index('id="pairs"'):page.index("</table>")]
    assert "2 conflicts" in page and "Ben" in pairs and "Amira" not in pairs


def count_queries(client, path: str) -> int:
    statements = []

    def note(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    return len(statements)


def test_matrix_queries_do_not_grow_with_the_round(app, officer):
    big_round(3, 8, slug="small-one")
    big_round(12, 120, slug="bigger")
    small_count = count_queries(officer, "/rounds/small-one/conflicts/matrix?status=pending")
    big_count = count_queries(officer, "/rounds/bigger/conflicts/matrix?status=pending")
    assert small_count == big_count
    assert count_queries(officer, "/rounds/small-one/conflicts") == \
        count_queries(officer, "/rounds/bigger/conflicts")


# --- CSV ---------------------------------------------------------------------------------

def test_csv_has_every_conflict_and_is_formula_safe(small, officer, officer_user):
    round_, amira, ben = small
    made = conflict(amira, round_.applications[0], details="=HYPERLINK(\"x\")")
    services.dismiss(officer_user, made, "+1 wrong person")
    db.session.commit()
    conflict(ben, round_.applications[1], kind="academic")
    response = officer.get(f"{ROUND}/conflicts.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == services.CSV_HEADER
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1]))
    assert first["member email"] == "amira@example.org" and first["reference"] == "A1"
    assert first["details"] == "'=HYPERLINK(\"x\")"
    assert first["review reason"] == "'+1 wrong person"
    assert (first["status"], first["reviewed by"], first["group"]) == (
        "dismissed", "Bo Boss", "Lived experience")
    assert first["reviewed at"]
    event_ = last_event()
    assert (event_.action, event_.after, event_.round_id) == (
        "conflicts.exported", {"conflicts": 2}, round_.id)


def test_letting_a_member_stay_settles_a_conflict_in_one_step(small, officer):
    round_, amira, _ = small
    made = conflict(amira, round_.applications[0], source="suggested")
    assert made.status == "pending"
    response = submit(officer, f"{ROUND}/conflicts", {"level": "declared"},
                      action=f"{ROUND}/conflicts/{made.id}/level")
    page = text(officer.get(response.headers["Location"]))
    assert "Amira on A1 is now: Declared, stays on. Conflict confirmed." in page
    assert "Nothing to review." in page
    db.session.refresh(made)
    assert (made.status, made.level) == ("confirmed", "declared")
    event_ = last_event()
    assert (event_.action, event_.before, event_.after) == (
        "conflict.level_changed", {"level": "step_out", "status": "pending"},
        {"level": "declared", "status": "confirmed"})
