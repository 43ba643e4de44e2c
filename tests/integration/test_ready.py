"""The readiness route ``GET /ready`` (api_ready.py) through the app's real ASGI routes, against
the real SQLite and PostgreSQL databases and the real Redis server (tests/setup_services.sh),
and against a PostgreSQL and a Redis at a closed port: 503 naming which one failed."""

import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from reflex.config import get_config
from starlette.testclient import TestClient

from infoview_app import api_ready, db
from infoview_app.api import with_api
from tests.mail_server import free_port as closed_port  # bound once, then released

REDIS_URL = os.environ.get("INFOVIEW_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


async def _no_reflex(scope: Any, receive: Any, send: Any) -> None:
    raise AssertionError("the readiness route reached the Reflex backend")



@pytest.fixture(autouse=True)
def _fresh_answers() -> Iterator[None]:
    api_ready._answers.clear()
    yield
    api_ready._answers.clear()


def _get(database_url: str, redis_url: str | None, monkeypatch: pytest.MonkeyPatch
         ) -> tuple[int, dict[str, str], str]:
    monkeypatch.setattr(db, "database_url", lambda: database_url)
    monkeypatch.setattr(get_config(), "redis_url", redis_url)
    with TestClient(with_api(_no_reflex)) as client:
        response = client.get("/ready")
    return response.status_code, response.json(), response.headers["cache-control"]


def test_ready_when_the_database_and_redis_answer(db_url: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    status, body, cache = _get(db_url, REDIS_URL, monkeypatch)
    assert (status, body) == (200, {"database": "ok", "redis": "ok"})
    assert cache == "no-store"


def test_ready_without_redis_says_it_is_not_configured(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    status, body, _ = _get(db_url, None, monkeypatch)
    assert (status, body) == (200, {"database": "ok", "redis": "not configured"})


def test_redis_at_a_closed_port_is_503(postgres_url: str,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    status, body, _ = _get(postgres_url, f"redis://127.0.0.1:{closed_port()}/0", monkeypatch)
    assert (status, body) == (503, {"database": "ok", "redis": "unavailable"})


def test_postgres_at_a_closed_port_is_503(postgres_url: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what failed is named: no address, user or driver error reaches the answer."""
    stopped = sa.make_url(postgres_url).set(port=closed_port())
    url = stopped.render_as_string(hide_password=False)
    status, body, _ = _get(url, REDIS_URL, monkeypatch)
    assert (status, body) == (503, {"database": "unavailable", "redis": "ok"})
    db.engine_for(url).dispose()


def test_both_down_is_503_with_both_named(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"postgresql+psycopg://nobody:secret@127.0.0.1:{closed_port()}/infoview"
    status, body, _ = _get(url, f"redis://127.0.0.1:{closed_port()}/0", monkeypatch)
    assert (status, body) == (503, {"database": "unavailable", "redis": "unavailable"})
    db.engine_for(url).dispose()


def test_a_poll_within_the_cache_period_asks_the_database_once(
        postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Polling costs one check per period, however often it comes (the period made long here,
    so that the test does not depend on how fast the machine is)."""
    monkeypatch.setattr(api_ready, "CACHE_SECONDS", 3600.0)
    monkeypatch.setattr(db, "database_url", lambda: postgres_url)
    monkeypatch.setattr(get_config(), "redis_url", REDIS_URL)
    selects: list[str] = []

    def record(*args: Any) -> None:
        if args[2].strip().upper() == "SELECT 1":
            selects.append(args[2])

    engine = db.engine_for(postgres_url)
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        with TestClient(with_api(_no_reflex)) as client:
            answers = [client.get("/ready").status_code for _ in range(5)]
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert answers == [200] * 5
    assert len(selects) == 1


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word (a hung server)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


def test_a_database_and_redis_that_never_answer_are_503(
        silent_server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks give up after TIMEOUT_SECONDS (shortened here) instead of waiting on."""
    monkeypatch.setattr(api_ready, "TIMEOUT_SECONDS", 0.5)
    url = f"postgresql+psycopg://nobody:secret@127.0.0.1:{silent_server}/infoview"
    status, body, _ = _get(url, f"redis://127.0.0.1:{silent_server}/0", monkeypatch)
    assert (status, body) == (503, {"database": "unavailable", "redis": "unavailable"})
