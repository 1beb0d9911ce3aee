"""Counting the SQL statements a request sends, for the statement budgets."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.orm import Session

from panel.extensions import db


@contextmanager
def counted_statements():
    """Every statement sent to the database while inside; per-row lazy loads raise."""
    statements, lazy_loads = [], Counter()

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    def no_lazy_load_per_row(orm_state):
        if not orm_state.is_select or orm_state.lazy_loaded_from is None:
            return  # a write, or a select the page asked for itself
        relationship = str(orm_state.loader_strategy_path[-1])
        lazy_loads[relationship] += 1
        if lazy_loads[relationship] > 1:
            raise PerRowLazyLoad(f"{relationship} is lazy-loaded row by row")

    sa.event.listen(db.engine, "before_cursor_execute", note)
    sa.event.listen(Session, "do_orm_execute", no_lazy_load_per_row)
    try:
        yield statements
    finally:
        sa.event.remove(Session, "do_orm_execute", no_lazy_load_per_row)
        sa.event.remove(db.engine, "before_cursor_execute", note)


class PerRowLazyLoad(AssertionError):
    """The same relationship was lazy-loaded twice in one request."""


@contextmanager
def counted_round_trips():
    """Every round trip to the database while inside, as the driver sends them: each
    statement, and each BEGIN, COMMIT and ROLLBACK that reaches the server. A pool
    pre-ping would be one more per request; the engine is configured without it.

    SQLite's driver sends BEGIN itself, just before the first write, and COMMIT or
    ROLLBACK only when it began one: there the trips are what SQLite reports running
    (``set_trace_callback``), not what SQLAlchemy asks of the driver."""
    trips: list[str] = []
    assert not db.engine.pool._pre_ping, "the pool pings before every checkout"
    if db.engine.dialect.name == "sqlite":
        listeners = _traced(trips)
    else:
        listeners = _noted(trips)
    for name, listener in listeners:
        sa.event.listen(db.engine, name, listener)
    try:
        yield trips
    finally:
        for name, listener in listeners:
            sa.event.remove(db.engine, name, listener)


def _noted(trips: list[str]) -> list:
    def note(conn, cursor, statement, parameters, context, executemany):
        trips.append(statement)

    def transaction(word):
        def noted(conn, *args):
            if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
                trips.append(word)  # in autocommit the driver sends no BEGIN/ROLLBACK
        return noted

    return [("before_cursor_execute", note), ("begin", transaction("BEGIN")),
            ("commit", transaction("COMMIT")), ("rollback", transaction("ROLLBACK"))]


def _traced(trips: list[str]) -> list:
    words = ("BEGIN", "COMMIT", "ROLLBACK")

    def ran(statement: str) -> None:
        word = statement.split(None, 1)[0].upper() if statement.strip() else ""
        trips.append(word if word in words else statement)

    def checkout(dbapi_connection, record, proxy):
        dbapi_connection.set_trace_callback(ran)

    def checkin(dbapi_connection, record):
        dbapi_connection.set_trace_callback(None)

    return [("checkout", checkout), ("checkin", checkin)]


@contextmanager
def executed_statements():
    """The statement objects executed while inside (what was built, not the SQL sent):
    a statement made once and reused is the same object request after request."""
    executed: list[object] = []

    def note(conn, clauseelement, multiparams, params, execution_options):
        executed.append(clauseelement)

    sa.event.listen(db.engine, "before_execute", note)
    try:
        yield executed
    finally:
        sa.event.remove(db.engine, "before_execute", note)
