"""On PostgreSQL a cursor's description is made only when read (panel/psycopg_cursor.py,
issue 17): what anyone reads of it is what psycopg itself would say."""
from __future__ import annotations

import pytest
from psycopg import Cursor
from sqlalchemy import text

from panel.extensions import db
from panel.psycopg_cursor import LazyDescriptionCursor

pytestmark = pytest.mark.postgres_only
STATEMENT = "SELECT 1 AS number, 'two'::text AS word, now() AS moment"


def test_the_app_s_connections_use_the_lazy_cursor(app):
    with app.app_context():
        raw = db.session.connection().connection.dbapi_connection
        assert raw.cursor_factory is LazyDescriptionCursor
        # And the ORM still reads rows and names through it
        row = db.session.execute(text(STATEMENT)).mappings().one()
        assert (row["number"], row["word"]) == (1, "two")


def test_the_description_reads_as_psycopg_s(app):
    with app.app_context():
        raw = db.session.connection().connection.dbapi_connection
        with raw.cursor() as lazy, Cursor(raw) as plain:
            lazy.execute(STATEMENT)
            plain.execute(STATEMENT)
            assert len(lazy.description) == 3
            assert [tuple(c) for c in lazy.description] == [tuple(c) for c in plain.description]
            assert [c.name for c in lazy.description] == ["number", "word", "moment"]
            assert lazy.description[1].type_code == plain.description[1].type_code
            assert lazy.fetchone()[0] == 1


def test_a_description_read_after_the_cursor_moved_on_still_names_its_columns(app):
    with app.app_context():
        raw = db.session.connection().connection.dbapi_connection
        with raw.cursor() as cursor:
            cursor.execute(STATEMENT)
            kept = cursor.description
            cursor.execute("SELECT 5 AS other")
            assert [column[0] for column in kept] == ["number", "word", "moment"]
            assert kept[0][1] == 23  # int4's type code
            assert [column[0] for column in cursor.description] == ["other"]


def test_a_statement_without_rows_has_no_description(app):
    with app.app_context():
        raw = db.session.connection().connection.dbapi_connection
        with raw.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            assert cursor.description is None
