"""The readiness route, ``GET /ready`` (``routes.READY``, routed by api.py): can this worker
serve events now? A load balancer or monitor asks it; Reflex's own ``/ping`` only says the
process is up.

It answers 200 ``{"database": "ok", "redis": "ok"}`` (``"not configured"`` without
REFLEX_REDIS_URL) when ``SELECT 1`` on the database and a Redis ``PING`` both answer within
``TIMEOUT_SECONDS``, else 503 naming which failed ("unavailable"). Nothing else is said: no
address, no error text, no personal data.

The database check runs in a thread of its own (one, so a database that hangs ties up one
thread, never the pool the calendar feed and unsubscribe share); Redis is asked with its
async client. A worker checks at most once per ``CACHE_SECONDS`` per configuration and
requests meanwhile get that answer, so a monitor (or anyone) polling it costs almost nothing.
"""

import asyncio
import time
import weakref
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import cast

import redis.asyncio as redis_async
import sqlalchemy as sa
from reflex.config import get_config
from starlette.requests import Request
from starlette.responses import JSONResponse

from infoview_app import db

TIMEOUT_SECONDS = 2.0
CACHE_SECONDS = 1.0
OK, UNAVAILABLE, NOT_CONFIGURED = "ok", "unavailable", "not configured"

_database_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infoview-ready")


@dataclass(frozen=True)
class _Answer:
    checked_at: float
    body: dict[str, str]


_answers: dict[tuple[str, str], _Answer] = {}
_checking: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]" = (
    weakref.WeakKeyDictionary())


def _lock() -> asyncio.Lock:
    """One check at a time per event loop (an asyncio lock belongs to one loop)."""
    return _checking.setdefault(asyncio.get_running_loop(), asyncio.Lock())


def _select_one(url: str) -> None:
    with db.engine_for(url).connect() as conn:
        conn.execute(sa.text("SELECT 1")).scalar_one()


async def _database(url: str) -> str:
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.run_in_executor(_database_thread, _select_one, url),
                               TIMEOUT_SECONDS)
    except Exception:  # any failure, a timeout included, means "not ready"
        return UNAVAILABLE
    return OK


async def _redis(url: str) -> str:
    if not url:
        return NOT_CONFIGURED
    client = redis_async.Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS,
                                        socket_timeout=TIMEOUT_SECONDS)
    try:
        # The asyncio client's ping is a coroutine (redis-py types it for both clients).
        await asyncio.wait_for(cast("Awaitable[bool]", client.ping()), TIMEOUT_SECONDS)
    except Exception:  # refused, timed out, wrong password: all "not ready"
        return UNAVAILABLE
    finally:
        await client.aclose()
    return OK


async def readiness(database_url: str, redis_url: str) -> dict[str, str]:
    """Both checks at once, or the answer this worker gave less than CACHE_SECONDS ago."""
    key = (database_url, redis_url)
    async with _lock():
        answer = _answers.get(key)
        if answer is None or time.monotonic() - answer.checked_at >= CACHE_SECONDS:
            database, redis_state = await asyncio.gather(_database(database_url),
                                                         _redis(redis_url))
            answer = _Answer(time.monotonic(), {"database": database, "redis": redis_state})
            _answers[key] = answer
    return answer.body


def is_ready(body: dict[str, str]) -> bool:
    return all(state != UNAVAILABLE for state in body.values())


async def ready_route(_request: Request) -> JSONResponse:
    """200 when this worker's database and Redis answer, 503 otherwise."""
    config = get_config()
    body = await readiness(db.database_url(), config.redis_url or "")
    return JSONResponse(body, status_code=200 if is_ready(body) else 503,
                        headers={"Cache-Control": "no-store"})
