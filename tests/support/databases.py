"""Fresh, fully migrated databases for each test, on SQLite or PostgreSQL.

Migrations run once into a template; each test then gets its own copy (a file copy on
SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL), so tests commit for real, run
servers and threads against it, and never see each other's rows.

Each pytest process (each pytest-xdist worker) has its own template and names its
databases after its process id, so workers and test runs sharing one PostgreSQL server
(``FAIRPANEL_TEST_PG_URL``) never drop or copy each other's.

A round many tests start from and that takes seconds to build (the decided demo round)
is built once per process and kept as a snapshot of the database it was built in
(:meth:`restore_or_build`); each later test's database becomes a copy of it.
"""
from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
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

    def _url(self, name: str) -> str:
        return sa.make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create(self, migrated: bool = True) -> str:
        name = f"{self.prefix}{next(_counter)}"
        template = f" TEMPLATE {self.template}" if migrated else ""
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}{template}"))
        return self._url(name)

    def drop(self, url: str) -> None:
        name = sa.make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))

    def has_snapshot(self, name: str) -> bool:
        return name in self.snapshots

    def snapshot(self, url: str, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {self.prefix}snapshot_{name} "
                                 f"TEMPLATE {sa.make_url(url).database}"))
        self.snapshots.add(name)

    def restore(self, name: str, url: str) -> None:
        database = sa.make_url(url).database
        with self.admin.connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
            conn.execute(sa.text(f"CREATE DATABASE {database} "
                                 f"TEMPLATE {self.prefix}snapshot_{name}"))

    def close(self) -> None:
        if self.cluster is None:  # a shared server: leave nothing behind
            self.drop(self._url(self.template))
            for name in self.snapshots:
                self.drop(self._url(f"{self.prefix}snapshot_{name}"))
        self.admin.dispose()
        if self.cluster is not None:
            self.cluster.stop()
