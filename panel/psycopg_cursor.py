"""psycopg's cursor for the app's PostgreSQL connections (panel/extensions.py sets it on
each new connection)."""
from __future__ import annotations

from collections.abc import Sequence

from psycopg import Cursor as PsycopgCursor
from psycopg.pq import ExecStatus


class LazyDescriptionCursor(PsycopgCursor):
    """psycopg's cursor, whose ``description`` makes its column objects only when one is
    read. For a statement it has run before, SQLAlchemy only asks whether there is a
    description; psycopg made a column object for every column anyway, about 4 % of the
    question page's CPU on PostgreSQL (issue 17, docs/performance.md)."""

    @property
    def description(self) -> Sequence | None:
        result = self.pgresult
        if result is None or not (result.nfields or result.status in _ROWS):
            return None
        return _Columns(self, result)


_ROWS = (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE, ExecStatus.TUPLES_CHUNK)


class _Columns(Sequence):
    """A result's description, made when first read: psycopg's own column objects while
    the cursor still holds that result, else each column's name and type (the two parts
    of a DB-API description anyone reads; the other five are then None)."""

    def __init__(self, cursor: PsycopgCursor, result) -> None:
        self._cursor, self._result, self._made = cursor, result, None

    def __len__(self) -> int:
        return self._result.nfields

    def __getitem__(self, index):
        if self._made is None:
            if self._cursor.pgresult is self._result:
                self._made = PsycopgCursor.description.fget(self._cursor)
            else:
                encoding = self._cursor.connection.info.encoding
                self._made = [(self._result.fname(n).decode(encoding), self._result.ftype(n),
                               None, None, None, None, None)
                              for n in range(self._result.nfields)]
        return self._made[index]

    def __repr__(self) -> str:
        return repr(list(self))
