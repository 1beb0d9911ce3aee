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

from sqlalchemy import Table, insert, select

from panel.audit.chain import jsonable
from panel.extensions import db

Progress = Callable[[str, int, int], None]
BATCH = 500  # rows per INSERT, and how often progress is reported

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
                returning: Any = None) -> list[Any]:
    """INSERT ``values`` into ``table`` in batches; with ``returning`` (a column), its
    values for the new rows, in the order of ``values``."""
    found: list[Any] = []
    for batch in steps.batches(stage, values):
        if returning is None:
            db.session.execute(insert(table), list(batch))
        else:
            statement = insert(table).returning(returning, sort_by_parameter_order=True)
            found += db.session.scalars(statement, list(batch)).all()
    return found


def load(model: Any, ids: list[int]) -> list[Any]:
    """The ``model`` instances with these ids, in the same order (loaded in batches)."""
    found = {}
    for start in range(0, len(ids), BATCH * 10):
        chunk = ids[start:start + BATCH * 10]
        found.update((i.id, i) for i in db.session.scalars(select(model).where(model.id.in_(chunk))))
    return [found[i] for i in ids]
