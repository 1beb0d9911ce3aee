"""Flask extensions, created unbound and initialised in :func:`panel.create_app` (Flask-Migrate
there too, when ``flask db`` needs it: it imports Alembic)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so migrations name what they create and drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@event.listens_for(Engine, "connect")
def _sqlite_write_ahead_log(connection, _record) -> None:
    """SQLite in write-ahead-log mode: pages keep being read while a long job writes (an
    import of thousands of rows), instead of waiting for its commit."""
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "connect")
def _psycopg_lazy_description(connection, _record) -> None:
    """PostgreSQL's cursors make their description when it is read (panel/psycopg_cursor.py);
    psycopg is imported only once a PostgreSQL connection is made, so an app on SQLite
    starts without it."""
    if type(connection).__module__.startswith("psycopg"):
        from panel.psycopg_cursor import LazyDescriptionCursor

        connection.cursor_factory = LazyDescriptionCursor


def utcnow() -> datetime:
    """Naive UTC now: every timestamp FairPanel stores is UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
cache = Cache()  # the round figures pages share (panel.moderation.meeting.shown_figures)


def redis_client(url: str):
    """This app's one Redis client for ``url`` (the figures cache's lock, /healthz): short
    timeouts, so a Redis that went away costs a page a second, not a hang."""
    import redis
    from flask import current_app

    clients = current_app.extensions.setdefault("fairpanel_redis", {})
    if url not in clients:
        clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)
    return clients[url]
