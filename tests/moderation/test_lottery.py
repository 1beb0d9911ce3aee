"""The draw near the funding line (DESIGN.md §3a) on the worked example under the rule
lottery (tests/builders/lottery.py): the officer's commitment, the chair's draw, the
funding that follows it, re-running it from the trail, and every refusal changing
nothing. The grey zone (A1, A2) is set through panel/scoring/grey_zone.py."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import func, select

from panel.audit.models import AuditEvent
from panel.extensions import db
from panel.moderation import lottery
from panel.moderation.lottery import LotteryError
from panel.moderation.models import Decision, Lottery
from panel.reports.report import round_report
from panel.rounds.models import Application
from panel.rounds.phases import checklist
from panel.scoring import grey_zone
from panel.scoring.figures import round_figures, updated_figures
from tests.builders import people
from tests.builders.meetings import CHAIR, sign_in
from tests.builders.worked import SLUG
from tests.support.web import submit

PREPARE = f"/rounds/{SLUG}/draw/prepare"
DRAW = f"/rounds/{SLUG}/meeting/draw"


@pytest.fixture
def officer_user(app):
    return people.staff("officer@example.org", "officer")


def events(action: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


def trail_length() -> int:
    return db.session.scalar(select(func.count(AuditEvent.id)))


def prepared(round_, officer_user) -> Lottery:
    found = lottery.prepare_draw(officer_user, round_)
    db.session.commit()
    return found


def drawn(round_, officer_user, public_input: str = "7 19 42") -> Lottery:
    prepared(round_, officer_user)
    found = lottery.draw(officer_user, round_, public_input)
    db.session.commit()
    return found


def by_hand(secret_hex: str, public_input: str, committed_hash: str, zone) -> list[str]:
    """DESIGN §3a with hashlib alone."""
    seed = hashlib.sha256(bytes.fromhex(secret_hex) + public_input.encode("utf-8")
                          + committed_hash.encode("utf-8")).digest()
    keys = {ref: hashlib.sha256(seed + ref.encode("utf-8")).hexdigest() for ref in zone}
    return sorted(zone, key=keys.__getitem__)


def test_preparing_commits_to_a_secret_it_does_not_show(lottery_round, officer_user):
    found = prepared(lottery_round, officer_user)
    [committed] = events("lottery.committed")
    secret = bytes.fromhex(found.secret)
    assert len(secret) == 32
    assert committed.after == {"commitment": hashlib.sha256(secret).hexdigest(),
                               "grey_zone": ["A1", "A2"], "budget_left": "60"}
    assert committed.public and committed.round_id == lottery_round.id
    everything = db.session.scalars(select(AuditEvent)).all()
    assert not any(found.secret in str((e.before, e.after)) for e in everything)


def test_the_draw_reproduces_from_the_trail(lottery_round, officer_user):
    found = drawn(lottery_round, officer_user)
    [committed], [draw] = events("lottery.committed"), events("lottery.drawn")
    assert draw.after["secret"] == found.secret and draw.after["public_input"] == "7 19 42"
    assert draw.after["committed_event"] == committed.id
    # Anyone with the two events: the commitment holds, and the order is the same.
    assert hashlib.sha256(bytes.fromhex(draw.after["secret"])).hexdigest() \
        == committed.after["commitment"]
    order = by_hand(draw.after["secret"], "7 19 42", committed.hash, ["A1", "A2"])
    assert draw.after["order"] == order == found.order
    check = lottery.verify(lottery_round)
    assert check.ok and [ref for ref, _ in check.order] == order
    # The figures fund A3 (above the grey zone), then the first drawn; the other
    # (£50 or £60 more than the £60 left) does not fit.
    table = round_figures(lottery_round).final.table
    assert table.index[table["funded"]].tolist() == sorted(["A3", order[0]])
    # The JSON report carries the draw as the trail holds it.
    assert round_report(lottery_round)["lottery"] == {
        "commitment": committed.after["commitment"], "grey_zone": ["A1", "A2"],
        "budget_left": 60.0, "committed_event_id": committed.id, "drawn": True,
        "public_input": "7 19 42", "secret": draw.after["secret"], "order": order,
        "funded": [order[0]]}


def test_the_report_has_no_lottery_until_the_draw_is_prepared(lottery_round, officer_user):
    assert round_report(lottery_round)["lottery"] is None
    found = prepared(lottery_round, officer_user)
    assert round_report(lottery_round)["lottery"] == {
        "commitment": found.commitment, "grey_zone": ["A1", "A2"], "budget_left": 60.0,
        "committed_event_id": found.committed_event_id, "drawn": False,
        "public_input": None, "secret": None, "order": None, "funded": None}


def test_a_changed_secret_or_public_input_fails_the_check(lottery_round, officer_user):
    drawn(lottery_round, officer_user)
    [committed], [draw] = events("lottery.committed"), events("lottery.drawn")
    other_secret = {**draw.after, "secret": "00" * 32}
    assert not lottery.check(committed.id, committed.hash, committed.after, draw.id,
                             other_secret).ok
    # Among a grey zone of two, another input may give the same order by chance; the
    # keys always change.
    again = lottery.check(committed.id, committed.hash, committed.after, draw.id,
                          {**draw.after, "public_input": "7 19 43"})
    first = lottery.check(committed.id, committed.hash, committed.after, draw.id, draw.after)
    assert {key for _, key in again.order}.isdisjoint({key for _, key in first.order})


def test_verify_draw_command(lottery_round, officer_user, runner):
    found = drawn(lottery_round, officer_user)
    result = runner.invoke(args=["round", "verify-draw", SLUG])
    assert result.exit_code == 0, result.output
    assert "sha256(secret) matches the commitment." in result.output
    assert f"  1. {found.order[0]}  " in result.output
    assert result.output.rstrip().endswith("The draw matches its trail.")


def test_verify_draw_without_a_draw_says_so(lottery_round, runner):
    result = runner.invoke(args=["round", "verify-draw", SLUG])
    assert result.exit_code == 1
    assert "The trail holds no draw for this round." in result.output


@pytest.mark.parametrize("make_it_so, message", [
    (lambda r: setattr(r, "phase", "scoring"),
     "The draw can only be prepared while the round is in moderation; it is in scoring."),
    (lambda r: setattr(r, "funding_rule", "fill"),
     "This round's funding rule is 'fill', not 'lottery', so there is no draw."),
])
def test_preparing_is_refused_outside_its_rule_and_phase(lottery_round, officer_user,
                                                         make_it_so, message):
    make_it_so(lottery_round)
    db.session.commit()
    before = trail_length()
    with pytest.raises(LotteryError, match=message.replace("(", r"\(").replace(")", r"\)")):
        lottery.prepare_draw(officer_user, lottery_round)
    db.session.rollback()
    assert trail_length() == before and db.session.scalar(select(Lottery)) is None


def test_preparing_with_no_grey_zone_is_refused(app, lottery_round, officer_user):
    grey_zone.use_source(app, None)  # the stand-in: no grey zone, the lottery funds as fill
    with pytest.raises(LotteryError, match="There is nothing to draw"):
        lottery.prepare_draw(officer_user, lottery_round)
    table = round_figures(lottery_round).final.table
    assert table.index[table["funded"]].tolist() == ["A2", "A3"]


def test_drawing_refusals_change_nothing(lottery_round, officer_user):
    before = trail_length()
    with pytest.raises(LotteryError, match="The draw has not been prepared yet"):
        lottery.draw(officer_user, lottery_round, "7 19 42")
    db.session.rollback()
    prepared(lottery_round, officer_user)
    before = trail_length()
    for empty in ("", "   \n"):
        with pytest.raises(LotteryError, match="Type the public input"):
            lottery.draw(officer_user, lottery_round, empty)
        db.session.rollback()
    with pytest.raises(LotteryError, match="keep it to 500"):
        lottery.draw(officer_user, lottery_round, "7" * 501)
    db.session.rollback()
    assert trail_length() == before
    assert db.session.scalar(select(Lottery)).order is None


def test_drawing_twice_is_refused_and_keeps_the_first_draw(lottery_round, officer_user):
    first = drawn(lottery_round, officer_user)
    order, before = list(first.order), trail_length()
    with pytest.raises(LotteryError, match="The draw has already been made"):
        lottery.draw(officer_user, lottery_round, "another input")
    db.session.rollback()
    with pytest.raises(LotteryError, match="cannot be prepared again"):
        lottery.prepare_draw(officer_user, lottery_round)
    db.session.rollback()
    assert trail_length() == before and db.session.scalar(select(Lottery)).order == order


def test_drawing_outside_moderation_is_refused(lottery_round, officer_user):
    prepared(lottery_round, officer_user)
    lottery_round.phase = "decided"
    db.session.commit()
    with pytest.raises(LotteryError, match="only be made while the round is in moderation"):
        lottery.draw(officer_user, lottery_round, "7 19 42")


def test_preparing_again_before_the_draw_makes_a_new_commitment(lottery_round, officer_user):
    first = prepared(lottery_round, officer_user).commitment
    second = prepared(lottery_round, officer_user)
    assert second.commitment != first
    assert [e.after["commitment"] for e in events("lottery.committed")] == [first,
                                                                           second.commitment]
    assert second.committed_event_id == events("lottery.committed")[-1].id


def test_a_decision_overrides_the_draw(lottery_round, officer_user):
    found = drawn(lottery_round, officer_user)
    winner = found.order[0]
    application = db.session.scalar(select(Application).where(Application.reference == winner))
    db.session.add(Decision(application_id=application.id, outcome="do_not_fund",
                            rationale="Funded elsewhere"))
    db.session.commit()
    figures = round_figures(lottery_round)
    assert [(o["reference"], o["funded"], o["final_funded"]) for o in figures.overrides] == [
        (winner, True, False)]


# The pages ---------------------------------------------------------------------------------

def test_the_officer_prepares_and_the_chair_draws(app, lottery_round, officer, mailbox):
    page = officer.get(PREPARE).get_data(as_text=True)
    assert "Prepare the draw" in page and "£60 of the £100 budget" in page
    response = submit(officer, PREPARE, action=PREPARE)
    assert response.status_code == 302
    found = db.session.scalar(select(Lottery))
    assert found.secret not in officer.get(PREPARE).get_data(as_text=True)

    chair = sign_in(app.test_client(), mailbox, CHAIR)
    page = chair.get(DRAW).get_data(as_text=True)
    assert "Public input" in page and found.secret not in page
    refused = submit(chair, DRAW, {"public_input": "  "})
    assert refused.status_code == 400
    assert "Type the public input" in refused.get_data(as_text=True)
    assert submit(chair, DRAW, {"public_input": "7 19 42"}).status_code == 302
    page = chair.get(DRAW).get_data(as_text=True)
    db.session.expire_all()
    order = db.session.scalar(select(Lottery)).order
    assert page.index(f"<strong>{order[0]}</strong>") < page.index(f"<strong>{order[1]}</strong>")
    assert "7 19 42" in page and f"flask round verify-draw {SLUG}" in page


def test_deciding_without_a_draw_warns_that_the_provisional_line_stands(lottery_round,
                                                                        officer_user):
    warned = "The funding rule is lottery, but no lots have been drawn"
    assert any(warned in item.text for item in checklist(lottery_round, "decided").warnings)
    drawn(lottery_round, officer_user)
    assert not any(warned in item.text
                   for item in checklist(lottery_round, "decided").warnings)


def test_figures_updated_after_a_revision_keep_the_draw(lottery_round, officer_user):
    # Drawn A1 first (set so, whatever the secret gave): A3 £40 and A1 £60 are funded, A2
    # is not; the provisional line would fund A3 and A2. Figures updated for a changed
    # application (the meeting's path after a revision) must keep the draw, as the whole
    # round's figures do.
    found = drawn(lottery_round, officer_user)
    found.order = ["A1", "A2"]
    db.session.commit()
    whole = round_figures(lottery_round)
    assert sorted(whole.final.table.index[whole.final.table["funded"]]) == ["A1", "A3"]
    a2 = db.session.scalar(select(Application.id).where(Application.reference == "A2"))
    updated = updated_figures(whole, lottery_round, [a2])
    assert sorted(updated.final.table.index[updated.final.table["funded"]]) == ["A1", "A3"]
    assert updated.final.table.equals(whole.final.table)
