"""Writing checked rows of a bundle table in bulk: a few INSERT statements of
:data:`BATCH` rows each, and one audit event for the whole table (issue 17).

The event says who imported how many rows into which round, and carries the SHA-256 of
the rows as imported (:func:`rows_digest`), so an auditor holding the bundle can check
that the trail speaks of exactly these rows (docs/bundles.md, "On the audit trail").
Nothing here commits."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import JSON, Table, insert, select, text

from panel.audit.chain import jsonable
from panel.extensions import db

Progress = Callable[[str, int, int], None]
BATCH = 500  # rows per INSERT, and how often progress is reported
ANALYZE_FROM = 1_000  # rows copied into a PostgreSQL table that earn it fresh statistics

def rows_digest(rows: Sequence[dict[str, Any]]) -> str:
    """SHA-256 (hex) of the checked rows, in file order, as one canonical JSON array:
    each row the dict :mod:`panel.bundle.checks` / :mod:`panel.bundle.history` made of
    it, amounts as plain decimal strings ("1200.5"), keys sorted, no spaces, UTF-8."""
    # json.dumps with jsonable for what JSON lacks (Decimal) gives canonical_json(jsonable(
    # rows)) for these rows of str, int, None, Decimal, lists and dicts, at C speed.
    text = json.dumps(list(rows), sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=jsonable)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def table_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """What the one audit event of an imported table says about its rows."""
    return {"count": len(rows), "sha256": rows_digest(rows)}


class Steps:
    """Calls ``progress(stage, done, total)`` at the start of each table and after every
    :data:`BATCH` rows of it; does nothing without a ``progress``."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress

    def batches(self, stage: str, rows: Sequence[Any]) -> Iterator[Sequence[Any]]:
        self.tell(stage, 0, len(rows))
        for start in range(0, len(rows), BATCH):
            yield rows[start:start + BATCH]
            self.tell(stage, min(start + BATCH, len(rows)), len(rows))

    def tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


def insert_rows(table: Table, values: list[dict[str, Any]], *, stage: str, steps: Steps,
                key: tuple[str, ...] = ()) -> list[int]:
    """INSERT ``values`` (dicts with the same keys) into ``table`` in batches; with
    ``key`` (columns unique among the new rows), the new rows' ids in the order of
    ``values``, else [].

    On PostgreSQL the rows go in by COPY, with ids taken from the table's sequence
    beforehand: several times faster than INSERT there (docs/performance.md). Elsewhere
    the ids come back with the key (RETURNING gives rows in no set order; asking it for
    the order would send one INSERT per row)."""
    if db.session.get_bind().dialect.name == "postgresql" and values:
        return _copy_rows(table, values, stage=stage, steps=steps, ids=bool(key))
    if not key and values:
        _executemany(table, values, stage=stage, steps=steps)
        return []
    found: dict[tuple, int] = {}
    for batch in steps.batches(stage, values):
        statement = insert(table).returning(table.c.id, *(table.c[name] for name in key))
        found.update((tuple(row[1:]), row[0]) for row in db.session.execute(statement,
                                                                           list(batch)))
    return [found[tuple(row[name] for name in key)] for row in values]


def _executemany(table: Table, values: list[dict[str, Any]], *, stage: str,
                 steps: Steps) -> None:
    """One executemany per batch on the DB-API cursor, each value turned into what the
    column stores by the column type's own bind processor: what SQLAlchemy would send,
    without its work for each row."""
    dialect = db.session.get_bind().dialect
    columns = list(values[0])
    processors = [(i, process) for i, name in enumerate(columns)
                  if (process := table.c[name].type.bind_processor(dialect)) is not None]
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    quote = dialect.identifier_preparer.quote
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, columns))}) "
                 f"VALUES ({marks})")
    cursor = db.session.connection().connection.driver_connection.cursor()
    for batch in steps.batches(stage, values):
        rows = [[row[name] for name in columns] for row in batch]
        for i, process in processors:
            for row in rows:
                row[i] = process(row[i])
        cursor.executemany(statement, rows)
    cursor.close()


def _copy_rows(table: Table, values: list[dict[str, Any]], *, stage: str, steps: Steps,
               ids: bool) -> list[int]:
    from psycopg.types.json import Json

    new_ids: list[int] = []
    if ids:
        new_ids = list(db.session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :count)"),
            {"table": table.name, "count": len(values)}))
        values = [{"id": new_id, **row} for new_id, row in zip(new_ids, values)]
    columns = list(values[0])
    as_json = [isinstance(table.c[name].type, JSON) for name in columns]
    cursor = db.session.connection().connection.driver_connection.cursor()
    quote = db.session.get_bind().dialect.identifier_preparer.quote
    statement = f"COPY {quote(table.name)} ({', '.join(map(quote, columns))}) FROM STDIN"
    # One COPY for the whole table (progress still told every BATCH rows): the server
    # sets up, checks constraints of, and answers each COPY once, so many small ones
    # cost a round trip and a wait each (docs/performance.md, "Importing a round").
    with cursor.copy(statement) as copy:
        for batch in steps.batches(stage, values):
            for row in batch:
                copy.write_row([Json(row[name]) if is_json else row[name]
                                for name, is_json in zip(columns, as_json)])
    if len(values) >= ANALYZE_FROM:
        # The planner's statistics for the table, now: a report asked for straight after
        # a large import would otherwise be planned as if the table were empty (a nested
        # loop over 110,000 sheets took over 12 minutes before autovacuum caught up).
        cursor.execute(f"ANALYZE {quote(table.name)}")
    cursor.close()
    return new_ids


def load(model: Any, ids: list[int]) -> list[Any]:
    """The ``model`` instances with these ids, in the same order (loaded in batches)."""
    found = {}
    for start in range(0, len(ids), BATCH * 10):
        chunk = ids[start:start + BATCH * 10]
        found.update((i.id, i) for i in db.session.scalars(select(model).where(model.id.in_(chunk))))
    return [found[i] for i in ids]
