"""The tests' PostgreSQL databases are emptied and used again (tests/support/databases.py):
the next test must find one exactly as a fresh copy of the template, or a fresh copy."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.postgres_only


def _run(url: str, *statements: str) -> list:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            results = [conn.execute(sa.text(statement)) for statement in statements]
            return [result.all() if result.returns_rows else None for result in results]
    finally:
        engine.dispose()


def _write_a_user(url: str, email: str) -> None:
    _run(url, "INSERT INTO users (email, name, active, session_version, created_at) "
              f"VALUES ('{email}', 'A', true, 1, now())")


def test_a_used_database_comes_back_empty_with_its_numbering_started_again(databases):
    url = databases.create()
    _write_a_user(url, "a@example.org")
    _write_a_user(url, "b@example.org")
    [(oid,)], = _run(url, "SELECT oid FROM pg_database WHERE datname = current_database()")
    databases.drop(url)
    again = databases.create()
    # The same database, used again, under a new name: the old one leads nowhere
    assert _run(again, "SELECT oid FROM pg_database WHERE datname = current_database()") \
        == [[(oid,)]]
    assert again != url
    with pytest.raises(sa.exc.OperationalError, match="does not exist"):
        _run(url, "SELECT 1")
    counts, = _run(again, "SELECT (SELECT count(*) FROM users), "
                          "(SELECT count(*) FROM alembic_version)")
    assert counts == [(0, 1)]  # Alembic's version stays: it is part of the template
    _write_a_user(again, "a@example.org")
    ids, = _run(again, "SELECT id FROM users")
    assert ids == [(1,)]  # numbered from 1 again, as in a fresh copy
    # The trail's append-only triggers are on again for everyone else
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        _run(again, "TRUNCATE audit_events CASCADE")
    databases.drop(again)


def test_a_database_whose_shape_a_test_changed_is_not_used_again(databases):
    url = databases.create()
    _run(url, "DROP TRIGGER audit_events_no_update_delete ON audit_events")
    databases.drop(url)
    fresh = databases.create()
    assert fresh != url
    triggers, = _run(fresh, "SELECT count(*) FROM pg_trigger "
                            "WHERE tgname = 'audit_events_no_update_delete'")
    assert triggers == [(1,)]
    databases.drop(fresh)
