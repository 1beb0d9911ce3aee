"""Fresh, fully migrated databases for each test, on SQLite or PostgreSQL.

Migrations run once into a template; each test then gets its own copy (a file copy on
SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so tests commit for real, run
servers and threads against it, and never see each other's rows.

Each pytest process (each pytest-xdist worker) has its own template and names its
databases after its process id, so workers and test runs sharing one PostgreSQL server
(``FAIRPANEL_TEST_PG_URL``) never drop or copy each other's.

On PostgreSQL a database a test has finished with is emptied, renamed and given to the
next test, when it still has exactly the template's tables, columns, triggers,
constraints and functions and has not grown large (:meth:`PostgresDatabases.drop`): its
rows deleted and its sequences started again, ~10 ms, where ``CREATE DATABASE`` costs the
server 0.1–0.5 s of CPU. Any other database is dropped, and the next test gets a new copy.

A round many tests start from and that takes seconds to build (the decided demo round)
is built once per process and kept as a snapshot of the database it was built in
(:meth:`restore_or_build`); each later test's database becomes a copy of it.
"""
from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from tests.support.pgcluster import PgCluster

_counter = itertools.count(1)


def restore_or_build(databases, url: str, name: str, build: Callable[[], None]) -> None:
    """Make the database at ``url`` (the current app's, freshly migrated) what ``build``
    makes of it: the first time in this process by calling ``build``, then kept as
    snapshot ``name``; afterwards by copying that snapshot over it. The app's connections
    are closed around the copy. A database the test has already written to is built on,
    never replaced."""
    from panel.extensions import db

    untouched = not db.session.scalar(sa.text(
        "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM rounds) "
        "+ (SELECT count(*) FROM audit_events)"))
    if untouched and databases.has_snapshot(name):
        db.session.remove()
        db.engine.dispose()
        databases.restore(name, url)
        return
    build()
    if untouched:  # else the test made something first: built on it, not kept
        db.session.remove()
        db.engine.dispose()
        databases.snapshot(url, name)


def migrate(url: str) -> None:
    from flask_migrate import upgrade

    from panel import create_app
    from panel.extensions import db

    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


class SqliteDatabases:
    backend = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite3"
        migrate(self._url(self.template))

    @staticmethod
    def _url(path: Path) -> str:
        return f"sqlite:///{path}"

    def create(self, migrated: bool = True) -> str:
        path = self.folder / f"test-{os.getpid()}-{next(_counter)}.sqlite3"
        if migrated:
            shutil.copyfile(self.template, path)
        return self._url(path)

    def drop(self, url: str) -> None:
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)

    def _snapshot_path(self, name: str) -> Path:
        return self.folder / f"snapshot-{os.getpid()}-{name}.sqlite3"

    def has_snapshot(self, name: str) -> bool:
        return self._snapshot_path(name).exists()

    @staticmethod
    def _copy(source: Path, target: Path) -> None:
        """SQLite's online backup: a consistent copy whatever the journal holds."""
        reader, writer = sqlite3.connect(source), sqlite3.connect(target)
        try:
            reader.backup(writer)
        finally:
            reader.close()
            writer.close()

    def snapshot(self, url: str, name: str) -> None:
        self._copy(Path(url.removeprefix("sqlite:///")), self._snapshot_path(name))

    def restore(self, name: str, url: str) -> None:
        self._copy(self._snapshot_path(name), Path(url.removeprefix("sqlite:///")))

    def close(self) -> None:
        pass


# Everything about a database's shape a test could change: a database is used again only
# while this reads as the template's (a test that drops the trail's trigger to forge an
# event, or a migration test's database, is dropped instead).
SHAPE = """
SELECT md5(string_agg(part, '|' ORDER BY part)) FROM (
  SELECT concat_ws(':', 'r', c.oid::regclass, c.relkind, c.relacl) FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT concat_ws(':', 'a', a.attrelid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
                   a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT concat_ws(':', 't', tgrelid::regclass, tgname, tgenabled, tgfoid::regprocedure)
    FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT concat_ws(':', 'c', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT concat_ws(':', 'f', p.oid::regprocedure, md5(p.prosrc)) FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace
  UNION ALL
  SELECT concat_ws(':', 'y', typname) FROM pg_type WHERE typnamespace = 'public'::regnamespace
  UNION ALL
  SELECT concat_ws(':', 'n', nspname) FROM pg_namespace
    WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
  UNION ALL
  SELECT concat_ws(':', 's', setconfig) FROM pg_db_role_setting
    WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
) AS parts(part)
"""
# A used database bigger than the template by more than this is dropped, not emptied: the
# rows a large test deleted would stay behind as dead rows for the next test to read past.
GROWTH_KEPT = 16 * 1024 * 1024


class PostgresDatabases:
    backend = "postgresql"

    def __init__(self) -> None:
        self.cluster: PgCluster | None = None
        admin_url = os.environ.get("FAIRPANEL_TEST_PG_URL")
        if not admin_url:
            self.cluster = PgCluster().start()
            admin_url = self.cluster.url("postgres")
        self.admin_url = admin_url
        self.admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        self.prefix = f"fp_test_{os.getpid()}_"
        self.template = f"{self.prefix}template"
        self.snapshots: set[str] = set()
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {self.template}"))
        migrate(self._url(self.template))
        self.spare: list[str] = []
        self.shape, self.size, self.emptying = self._describe(self.template)

    def _describe(self, name: str) -> tuple[str, int, str]:
        """The template's shape and size, and the statements that empty a database of its
        shape: every table's rows deleted (but Alembic's version) and every sequence
        started again. Deleting finds the few rows a test leaves faster than TRUNCATE
        makes new files for thirty tables (~200 ms)."""
        engine = sa.create_engine(self._url(name), poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                tables = conn.scalars(sa.text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version' ORDER BY tablename")).all()
                sequences = conn.scalars(sa.text(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' "
                    "ORDER BY sequencename")).all()
                shape = conn.scalar(sa.text(SHAPE))
                size = conn.scalar(sa.text("SELECT pg_database_size(current_database())"))
        finally:
            engine.dispose()
        emptying = "; ".join([f'DELETE FROM "{table}"' for table in tables]
                             + [f"SELECT setval('\"{sequence}\"', 1, false)"
                                for sequence in sequences])
        return shape, size, emptying

    def _url(self, name: str) -> str:
        return sa.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, migrated: bool = True) -> str:
        if migrated and self.spare:
            return self.spare.pop()
        name = f"{self.prefix}{next(_counter)}"
        template = f" TEMPLATE {self.template}" if migrated else ""
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}{template}"))
        return self._url(name)

    def drop(self, url: str) -> None:
        """Done with the database at ``url``: emptied for the next test when it can be
        (see the module's notes), else dropped."""
        name = sa.make_url(url).database
        with self.admin.connect() as conn:
            # Whatever the test left connected (a server's pool, a worker) goes first.
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                 "WHERE datname = :name AND pid <> pg_backend_pid()"),
                         {"name": name})
        if self._emptied(url):
            renamed = self._renamed(name)
            if renamed:
                self.spare.append(self._url(renamed))
                return
        self._drop_database(name)

    def _renamed(self, name: str) -> str | None:
        """The emptied database under a new name, so that anything of the last test's that
        still knows the old one (a thread that outlived it) cannot reach the next test's
        rows: it finds no database, as when databases were dropped. None when something
        is still connected to it a second later."""
        new = f"{self.prefix}{next(_counter)}"
        with self.admin.connect() as conn:
            for _ in range(20):
                try:
                    conn.execute(sa.text(f"ALTER DATABASE {name} RENAME TO {new}"))
                    return new
                except sa.exc.OperationalError:  # a terminated session not gone yet
                    time.sleep(0.05)
        return None

    def _emptied(self, url: str) -> bool:
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        try:
            with engine.connect() as conn:
                size = conn.scalar(sa.text("SELECT pg_database_size(current_database())"))
                if size > self.size + GROWTH_KEPT or conn.scalar(sa.text(SHAPE)) != self.shape:
                    return False
                # The trail's tables refuse deletes by trigger, foreign keys check by
                # trigger: neither fires for this session (it takes a superuser, which a
                # throwaway cluster's user is; a shared server's may not be: then dropped).
                conn.exec_driver_sql("SET session_replication_role = replica")
                conn.exec_driver_sql(self.emptying)
            return True
        except sa.exc.DBAPIError:
            return False
        finally:
            engine.dispose()

    def has_snapshot(self, name: str) -> bool:
        return name in self.snapshots

    def snapshot(self, url: str, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {self.prefix}snapshot_{name} "
                                 f"TEMPLATE {sa.make_url(url).database}"))
        self.snapshots.add(name)

    def restore(self, name: str, url: str) -> None:
        database = sa.make_url(url).database
        self._drop_database(database)
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {database} "
                                 f"TEMPLATE {self.prefix}snapshot_{name}"))

    def _drop_database(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def close(self) -> None:
        if self.cluster is None:  # a shared server: leave nothing behind
            for name in [*(sa.make_url(url).database for url in self.spare), self.template,
                         *(f"{self.prefix}snapshot_{name}" for name in self.snapshots)]:
                self._drop_database(name)
        self.admin.dispose()
        if self.cluster is not None:
            self.cluster.stop()
