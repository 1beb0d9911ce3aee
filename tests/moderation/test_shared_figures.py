"""The round's figures the meeting's pages share (panel.moderation.meeting.shown_figures):
with Redis, one web process on one machine does the sums after a change and every other
process on any machine reads them; one computation at a time per round; a process keeps
the newest few itself; and a page still answers when Redis is down.

Two app objects on one database stand for two machines: each has its own engine and its
own memory, and shares only the database and Redis (a real redis-server on loopback)."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from panel.audit.services import record
from panel.extensions import db
from panel.moderation.meeting import shown_figures
from panel.rounds.models import Round
from tests.builders import room
from tests.support.web import make_app


@pytest.fixture
def round_id(app, tmp_path):
    return room.room_round(tmp_path / "bundle").id


def machine(database_url, mailbox, tmp_path, name: str, url: str):
    return make_app(database_url, mailbox, tmp_path / name, CACHE_TYPE="RedisCache",
                    CACHE_REDIS_URL=url)


@contextmanager
def sheet_reads(app):
    """Statements on ``app``'s engine that read score sheets: the figures' sums."""
    found = []

    def note(conn, cursor, statement, parameters, context, executemany):
        if "score_sheets" in statement:
            found.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield found
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def figures_on(app, round_id: int):
    with app.app_context():
        found = shown_figures(db.session.get(Round, round_id))
        db.session.remove()
        return found


def a_change(round_id: int) -> None:
    """Any committed change of the round moves its version on (DESIGN.md §7)."""
    record("round.details_changed", target=db.session.get(Round, round_id),
           before={"description": "old"}, after={"description": "new"}, system="tests")
    db.session.commit()


def test_one_machine_does_the_sums_and_another_reads_them(app, round_id, database_url,
                                                          mailbox, tmp_path, redis_url):
    first = machine(database_url, mailbox, tmp_path, "first", redis_url)
    second = machine(database_url, mailbox, tmp_path, "second", redis_url)
    with sheet_reads(first) as first_reads:
        computed = figures_on(first, round_id)
    assert first_reads, "the first machine read the sheets to do the sums"
    with sheet_reads(second) as second_reads:
        shared = figures_on(second, round_id)
    assert second_reads == []
    assert shared.final.table.equals(computed.final.table)

    a_change(round_id)  # a new version: the sums are done again, once
    with sheet_reads(second) as second_reads:
        figures_on(second, round_id)
    with sheet_reads(first) as first_reads:
        figures_on(first, round_id)
    assert second_reads and first_reads == []


def test_one_computation_at_a_time_per_round(app, round_id, database_url, mailbox, tmp_path,
                                              redis_url):
    machines = [machine(database_url, mailbox, tmp_path, f"m{n}", redis_url) for n in range(3)]
    reads, errors = {}, []

    def ask(n: int) -> None:
        try:
            with sheet_reads(machines[n]) as found:
                figures_on(machines[n], round_id)
            reads[n] = len(found)
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(reads) == 3
    # Exactly one machine read the sheets, whichever came first; the others waited for it.
    assert sorted(1 if r else 0 for r in reads.values()) == [0, 0, 1]


def test_a_process_keeps_the_figures_it_used_without_asking_redis_again(
        app, round_id, database_url, mailbox, tmp_path, redis_url):
    only = machine(database_url, mailbox, tmp_path, "only", redis_url)
    first = figures_on(only, round_id)
    assert figures_on(only, round_id) is first  # the very same object: nothing unpickled


def test_without_redis_the_page_still_gets_its_figures(app, round_id, database_url, mailbox,
                                                       tmp_path, dead_redis_url):
    down = machine(database_url, mailbox, tmp_path, "down", dead_redis_url)
    found = figures_on(down, round_id)
    assert found.final.table.equals(figures_on(app, round_id).final.table)
    assert len(found.final.table) > 0
