"""What one home load asks of the database, through the real guard and handler: the event
that every signed-in student sends on every visit (docs/benchmarks.md (b), Session 9)."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
import sqlalchemy as sa
from psycopg._connection_base import BaseConnection
from sqlalchemy import event
from sqlmodel import col, update

from infoview_app import db
from infoview_app.models import InstitutionSettings, Role, User
from infoview_app.models._base import utcnow
from infoview_app.services.core.wording import date_time_label
from infoview_app.services.staff.institution import defaults_from_environment
from infoview_app.state.base import SessionState
from infoview_app.state.home import StudentHomeState
from tests import factories
from tests.mail_server import Inbox
from tests.state.conftest import redirect_path, run


@pytest.fixture(params=["sqlite", "postgres"])
def app_db(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
           mail_server: Inbox) -> str:
    """The state tests' database (tests/state/conftest.py), on SQLite and on PostgreSQL."""
    url = request.getfixturevalue(f"{request.param}_url")
    monkeypatch.setattr(db, "database_url", lambda: url)
    return url


@contextmanager
def database_use() -> Iterator[dict[str, list[str]]]:
    """The statements run (and the threads that ran them) and the pooled connections
    checked out inside the block."""
    used: dict[str, list[str]] = {"statements": [], "threads": [], "checkouts": []}
    engine = db.get_engine()

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        used["statements"].append(statement)
        used["threads"].append(threading.current_thread().name)

    def on_checkout(*_args: Any) -> None:
        used["checkouts"].append("checkout")

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine.pool, "checkout", on_checkout)
    try:
        yield used
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine.pool, "checkout", on_checkout)


PING = ";"  # what SQLAlchemy's PostgreSQL dialect sends to ping a pooled connection


@contextmanager
def postgres_round_trips(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Everything psycopg sends PostgreSQL inside the block, one entry per round trip: each
    statement (the pool's checkout ping included, which SQLAlchemy's events don't see) and
    each transaction command (``BEGIN``, ``ROLLBACK``, ``COMMIT``)."""
    sent: list[str] = []
    execute, command = psycopg.Cursor.execute, BaseConnection._exec_command

    def counted_execute(self: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any
                        ) -> Any:
        sent.append(str(query))
        return execute(self, query, *args, **kwargs)

    def counted_command(self: BaseConnection[Any], sql: Any, *args: Any) -> Any:
        sent.append(sql.decode() if isinstance(sql, bytes) else str(sql))
        return command(self, sql, *args)

    with monkeypatch.context() as patch:
        patch.setattr(psycopg.Cursor, "execute", counted_execute)
        patch.setattr(BaseConnection, "_exec_command", counted_command)
        yield sent


def home_with_an_interview(substate: Callable[[type], Any],
                           signed_in: Callable[..., tuple[int, str]]) -> Any:
    """A signed-in student's home state, with one exploration, contact and interview."""
    user_id, token = signed_in(Role.STUDENT)
    with db.session() as session:
        exploration = factories.exploration_id(session, user_id)
        contact = factories.add_contact(session, user_id, exploration)
        factories.add_interview(session, contact, scheduled_at=utcnow() + timedelta(days=2))
    substate(SessionState).auth_token = token
    return substate(StudentHomeState)


@pytest.mark.parametrize("app_db", ["postgres"], indirect=True)
async def test_a_home_load_is_four_round_trips_on_postgresql(
        app_db: str, substate: Any, signed_in: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """It only reads: in autocommit (no BEGIN, no ROLLBACK) and without the checkout ping.
    A handler that writes still gets both."""
    home = home_with_an_interview(substate, signed_in)
    assert redirect_path(await run(home, "load")) is None  # the pool's connection, opened
    with postgres_round_trips(monkeypatch) as sent:
        assert redirect_path(await run(home, "load")) is None
    assert len(sent) == 4, sent
    assert not [sql for sql in sent if sql.split()[0] in {"BEGIN", "ROLLBACK", PING}], sent
    with postgres_round_trips(monkeypatch) as sent:
        await run(home, "start_exploration", {"field_name": "Nursing"})
    assert sent[0] == PING and "COMMIT" in sent, sent
    assert any(sql.startswith("BEGIN") for sql in sent), sent
    assert [card["field_name"] for card in home.explorations].count("Nursing") == 1


def drop_connections(url: str) -> None:
    """What a PostgreSQL restart does to the app's pooled connections: ends them."""
    outside = sa.create_engine(url, poolclass=sa.NullPool)  # not the app's pool
    with outside.connect() as conn:
        dropped = conn.execute(sa.text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    outside.dispose()
    assert dropped >= 1


@pytest.mark.parametrize("app_db", ["postgres"], indirect=True)
async def test_events_whose_connection_the_server_dropped_still_run(
        app_db: str, substate: Any, signed_in: Any) -> None:
    """A home load (no ping) whose pooled connection PostgreSQL dropped (a restart) runs
    guard and handler again on a fresh one; a handler that writes is pinged first, as with
    SQLAlchemy's ``pool_pre_ping``. Neither page ever knows."""
    home = home_with_an_interview(substate, signed_in)
    assert redirect_path(await run(home, "load")) is None
    drop_connections(app_db)
    home.upcoming_interviews = []
    assert await run(home, "load") is None
    assert home.loaded and len(home.upcoming_interviews) == 1
    drop_connections(app_db)
    assert await run(home, "start_exploration", {"field_name": "Nursing"}) is None
    assert [card["field_name"] for card in home.explorations].count("Nursing") == 1


async def test_a_home_load_is_four_statements_on_one_connection(substate: Any,
                                                            signed_in: Any) -> None:
    home = home_with_an_interview(substate, signed_in)
    with database_use() as used:
        assert redirect_path(await run(home, "load")) is None
    assert home.loaded and [card["contacts"] for card in home.explorations] == [1]
    assert len(home.upcoming_interviews) == 1
    # The guard's session look-up (with the reader's time zone), the explorations with their
    # steps, the upcoming interviews, the to-do list: one connection for guard and handler.
    assert len(used["statements"]) == 4, used["statements"]
    assert len(used["checkouts"]) == 1
    # Off the event loop: in the guard's bounded pool of handler threads.
    assert {name.rpartition("_")[0] for name in used["threads"]} == {"infoview-handler"}


async def test_the_zone_read_with_the_session_follows_a_change_on_the_next_load(
        substate: Any, signed_in: Any) -> None:
    """The guard reads the reader's zone with the session on every event: the institution's
    saved zone, then the user's own, show on the next home load without signing in again."""
    user_id, token = signed_in(Role.STUDENT)
    at = datetime(2031, 3, 4, 15, 30, tzinfo=UTC)
    with db.session() as session:
        exploration = factories.exploration_id(session, user_id)
        contact = factories.add_contact(session, user_id, exploration)
        factories.add_interview(session, contact, scheduled_at=at)
    substate(SessionState).auth_token = token
    home = substate(StudentHomeState)

    async def shown_time() -> str:
        assert redirect_path(await run(home, "load")) is None
        return home.upcoming_interviews[0]["when"]

    assert await shown_time() == date_time_label(at, ZoneInfo("UTC"))
    with db.session() as session:
        office = defaults_from_environment().as_dict()
        session.add(InstitutionSettings(**{**office, "time_zone": "Asia/Tokyo",
                                           "min_group_size": int(office["min_group_size"])}))
        session.commit()
    assert await shown_time() == date_time_label(at, ZoneInfo("Asia/Tokyo"))
    with db.session() as session:
        session.exec(update(User).where(col(User.id) == user_id)
                     .values(time_zone="America/Los_Angeles"))
        session.commit()
    assert await shown_time() == date_time_label(at, ZoneInfo("America/Los_Angeles"))
