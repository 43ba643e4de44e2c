"""What one home load asks of the database, through the real guard and handler: the event
that every signed-in student sends on every visit (docs/benchmarks.md (b), Session 9)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
from tests.state.conftest import redirect_path, run


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


async def test_a_home_load_is_four_statements_on_one_connection(substate: Any,
                                                            signed_in: Any) -> None:
    user_id, token = signed_in(Role.STUDENT)
    with db.session() as session:
        exploration = factories.exploration_id(session, user_id)
        contact = factories.add_contact(session, user_id, exploration)
        factories.add_interview(session, contact, scheduled_at=utcnow() + timedelta(days=2))
    substate(SessionState).auth_token = token
    home = substate(StudentHomeState)
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
