"""Database engine, sessions and migrations.

The URL is Reflex's own ``db_url`` (rxconfig.py; ``REFLEX_DB_URL`` overrides it). Migrations
live in ``migrations/`` at the repository root and are applied when the app starts.
"""

import contextlib
import fcntl
import functools
import sqlite3
from collections.abc import Iterator
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import event
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import InvalidatePoolError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import Session

import infoview_app.models  # noqa: F401  (registers every table on the metadata)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
_PG_MIGRATION_LOCK_KEY = 7_246_351


@event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """SQLite leaves foreign keys unchecked unless asked; WAL lets readers run beside a writer."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def database_url() -> str:
    from reflex.config import get_config

    url = get_config().db_url
    if not url:
        raise RuntimeError("No database URL: set db_url in rxconfig.py or REFLEX_DB_URL.")
    return url


# Set while a read-only event's session checks a connection out: no ping (see ``_ping``).
_UNPINGED: ContextVar[bool] = ContextVar("infoview_unpinged", default=False)


@cache
def engine_for(url: str) -> sa.Engine:
    connect_args = {"check_same_thread": False} if url.startswith("sqlite") else {}
    engine = sa.create_engine(url, connect_args=connect_args)
    event.listen(engine.pool, "connect", _mark_fresh)
    event.listen(engine.pool, "checkout", functools.partial(_ping, engine.dialect))
    return engine


def _mark_fresh(_dbapi_connection: object, record: ConnectionPoolEntry) -> None:
    record.info["fresh"] = True


def _ping(dialect: sa.Dialect, dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry,
          _proxy: object) -> None:
    """SQLAlchemy's ``pool_pre_ping``, skipped for a read-only event (``event_session``):
    a pooled connection that was not just opened is pinged on checkout, and a dead one (the
    server restarted) invalidates the pool so that a fresh connection is used instead. A
    read-only event skips the round trip: it is retried once if its connection was lost."""
    if record.info.pop("fresh", False) or _UNPINGED.get():
        return
    try:
        alive = dialect.do_ping(dbapi_connection)
    except dialect.loaded_dbapi.Error as error:
        if not dialect.is_disconnect(error, dbapi_connection, None):
            raise
        alive = False
    if not alive:
        raise InvalidatePoolError()


def get_engine() -> sa.Engine:
    return engine_for(database_url())


# The session an event's guard opened, until the handler's first ``session()`` takes it.
_EVENT_SESSION: ContextVar[Session | None] = ContextVar("infoview_event_session", default=None)


def session() -> Session:
    """A new ORM session on the configured database; values stay readable after commit.
    Inside ``event_session`` the first call returns the guard's session instead."""
    shared = _EVENT_SESSION.get()
    if shared is not None:
        _EVENT_SESSION.set(None)  # handed out once: a nested session() gets its own
        return shared
    return Session(get_engine(), expire_on_commit=False)


@contextlib.contextmanager
def event_session(*, read_only: bool = False) -> Iterator[Session]:
    """One session for an event's guard and its handler's first ``with db.session()``
    block: one pooled connection checked out (and pinged, and reset) per event instead of
    two. Only for handlers that don't await: a session must not cross threads or interleave
    with another event.

    ``read_only`` is for events that only read: on PostgreSQL their statements run in
    autocommit (no ``BEGIN`` and ``ROLLBACK`` round trips: under READ COMMITTED each
    statement reads its own snapshot anyway), and the connection is not pinged on checkout.
    The caller retries such an event once if its connection was lost (a statement's error
    with ``connection_invalidated``: SQLAlchemy has then invalidated the pool).
    """
    engine = get_engine()
    bind = _autocommit(engine) if read_only and engine.dialect.name == "postgresql" else engine
    unpinged = _UNPINGED.set(read_only)
    try:
        with Session(bind, expire_on_commit=False) as shared:
            handed = _EVENT_SESSION.set(shared)
            try:
                yield shared
            finally:
                _EVENT_SESSION.reset(handed)
    finally:
        _UNPINGED.reset(unpinged)


@cache
def _autocommit(engine: sa.Engine) -> sa.Engine:
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@contextlib.contextmanager
def _migration_lock(engine: sa.Engine) -> Iterator[None]:
    """Several backend workers may start at once: only one of them migrates at a time."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _PG_MIGRATION_LOCK_KEY})
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"),
                             {"k": _PG_MIGRATION_LOCK_KEY})
                conn.commit()
        return
    database = engine.url.database
    lock_path = Path(f"{database}.migrate-lock") if database else None
    if lock_path is None or database == ":memory:":
        yield
        return
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade_to_head(url: str | None = None) -> None:
    """Apply every committed migration not yet applied (idempotent)."""
    url = url or database_url()
    with _migration_lock(engine_for(url)):
        command.upgrade(alembic_config(url), "head")


def make_migration(message: str, url: str | None = None) -> None:
    """Write a new migration by comparing the models with the database at head."""
    url = url or database_url()
    command.revision(alembic_config(url), message=message, autogenerate=True)
