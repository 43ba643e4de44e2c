"""The admission control (infoview_app/admission.py) with Reflex's real event processor and
its Redis state manager, on the Redis server tests/setup_services.sh starts
(INFOVIEW_TEST_REDIS_URL names another), with a lock expiry of half a second so that a queue
longer than the expiry is quick to build:

- events queued past the lock expiry all run, with no LockExpiredError and no write dropped,
  while a lock held over the same wait does expire (the control: what Reflex alone did);
- an event in flight when Redis loses every key (a restart) ends without an error: its lock
  went with the data, its work was done, and the tab's next event finds no state and is
  served (the app rebuilds a tab's state from the database).

Each test uses client tokens of its own (a uuid), so the shared server needs no emptying."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
import reflex as rx
from redis.asyncio import Redis
from reflex.istate.manager.redis import StateManagerRedis
from reflex.state import State, StateUpdate
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor
from reflex_base.utils.exceptions import LockExpiredError

from infoview_app import admission
from infoview_app.infoview_app import app
from infoview_app.state.admission import BUSY, AdmissionState
from tests.mail_server import free_port as closed_port  # bound once, then released

REDIS_URL = os.environ.get("INFOVIEW_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Short, so that the queue outlives it quickly; Reflex requires the "held too long" warning
# threshold below it.
LOCK_EXPIRATION_MS = 500
LOCK_WARNING_MS = 250
HYDRATED = f"{State.get_full_name()}.set_is_hydrated"
HYDRATED_FIELD = "is_hydrated_rx_state_"
BUSY_FIELD = "busy_rx_state_"
BUSY_KEY = AdmissionState.get_full_name()
# A page without on_load handlers, so that each event is the one sent and nothing chained.
PAGE = "/no-such-page"
# A guard against a hang, not a time limit.
HANG_GUARD_S = 30
TABS = 8
VALUES = [True, False, True, False, True]  # each differs from the one before: a dropped
# write leaves the next event nothing to change, and its delta missing


@dataclass
class Tabs:
    """What the sockets of the tabs receive (Reflex's EventNamespace.emit_update)."""

    updates: dict[str, list[StateUpdate]] = field(default_factory=dict)

    async def emit_update(self, update: StateUpdate, token: str) -> None:
        self.updates.setdefault(token, []).append(update)

    def told_busy(self, token: str) -> bool:
        return any(update.delta.get(BUSY_KEY, {}).get(BUSY_FIELD) == BUSY
                   for update in self.updates.get(token, []))

    def hydrated_values(self, token: str) -> list[bool]:
        return [update.delta[State.get_full_name()][HYDRATED_FIELD]
                for update in self.updates.get(token, [])
                if HYDRATED_FIELD in update.delta.get(State.get_full_name(), {})]

    async def all_told_busy(self, tokens: list[str]) -> None:
        async with asyncio.timeout(HANG_GUARD_S):
            while not all(self.told_busy(token) for token in tokens):
                await asyncio.sleep(0.01)


class FaultInFlight:
    """The app's middleware, after ``fault`` befell the tab's keys in Redis while its next
    event was in flight: after the event's lock was taken, before its handler ran."""

    def __init__(self, fault: Callable[[str], Awaitable[None]], token: str) -> None:
        self.fault, self.token, self.struck = fault, token, False

    async def _preprocess(self, state: Any, event: Event) -> Any:
        if not self.struck:
            self.struck = True
            await self.fault(self.token)
        return await app._preprocess(state, event)


@dataclass
class Worker:
    processor: BaseStateEventProcessor
    manager: StateManagerRedis
    tabs: Tabs
    admission: admission.Admission
    errors: list[Exception]


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL)
    yield client
    await client.aclose()


async def _worker(monkeypatch: pytest.MonkeyPatch, middleware: Any = app
                  ) -> tuple[Worker, StateManagerRedis]:
    monkeypatch.setenv("INFOVIEW_EVENTS_IN_FLIGHT", "1")
    monkeypatch.setenv("INFOVIEW_BUSY_NOTICE_AFTER_S", "0")
    manager = StateManagerRedis(redis=Redis.from_url(REDIS_URL),
                                lock_expiration=LOCK_EXPIRATION_MS,
                                lock_warning_threshold=LOCK_WARNING_MS)
    errors: list[Exception] = []

    def on_error(error: Exception) -> None:
        errors.append(error)

    processor = BaseStateEventProcessor(middleware=middleware,
                                        backend_exception_handler=on_error)
    tabs = Tabs()
    processor.configure(state_manager=manager,
                        event_namespace=tabs)  # pyright: ignore[reportArgumentType]
    holder = type("App", (), {"event_processor": processor})()
    admission.install(holder)
    return Worker(processor, manager, tabs, processor.admission,  # type: ignore[attr-defined]
                  errors), manager


@pytest.fixture
async def worker(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Worker]:
    """One worker's event processor on Redis, configured as the app does, behind a bound of
    one event with the notice at once."""
    with app.set_contexts():
        built, manager = await _worker(monkeypatch)
        try:
            async with built.processor:
                yield built
        finally:
            await manager.close()


def set_hydrated(value: bool) -> Event:
    return Event(name=HYDRATED, payload={"value": value},
                 router_data={"pathname": PAGE, "asPath": PAGE})


def state_key(token: str) -> rx.BaseStateToken:
    return rx.BaseStateToken(ident=token, cls=State)


async def stored_hydrated(manager: StateManagerRedis, token: str) -> bool:
    """The tab's is_hydrated as Redis holds it."""
    state = cast(State, await manager.get_state(state_key(token)))
    return state.is_hydrated


async def _lock_gone(redis: Redis, token: str) -> None:
    """Until Redis has expired the lock of ``token`` (its key's time to live ran out)."""
    lock_key = StateManagerRedis._lock_key(state_key(token))
    async with asyncio.timeout(HANG_GUARD_S):
        while await redis.exists(lock_key):
            await asyncio.sleep(LOCK_EXPIRATION_MS / 10_000)


async def test_a_queue_longer_than_the_lock_expiry_drops_nothing(worker: Worker,
                                                                 redis: Redis) -> None:
    tokens = [f"queued-{uuid.uuid4()}" for _ in range(TABS)]
    control = f"lock-held-{uuid.uuid4()}"
    # Each tab's first event sends its whole state; from then on each delta is what changed.
    for token in tokens:
        await (await worker.processor.enqueue(token, set_hydrated(False)))
    worker.tabs.updates.clear()
    futures = []
    async with worker.admission.slot(lambda _text: asyncio.sleep(0)):
        # The bound is saturated: every tab's events queue behind it.
        for token in tokens:
            for value in VALUES:
                futures.append(await worker.processor.enqueue(token, set_hydrated(value)))
        await worker.tabs.all_told_busy(tokens)
        # The control: a lock taken now and held over the same wait, as Reflex alone holds
        # it while an event waits for the event loop, expires and its write is refused.
        with pytest.raises(LockExpiredError):
            async with worker.manager.modify_state(state_key(control)) as held:
                held.is_hydrated = True
                await _lock_gone(redis, control)
        # The queued events have now waited longer than the lock expiry.
        assert worker.admission.waiting == TABS
    async with asyncio.timeout(HANG_GUARD_S):
        for future in futures:
            await future

    assert worker.errors == []
    for token in tokens:
        # Every event ran and changed what it set, in the order sent: no write dropped.
        assert worker.tabs.hydrated_values(token) == VALUES
        assert await stored_hydrated(worker.manager, token) is VALUES[-1]
    assert await stored_hydrated(worker.manager, control) is False
    assert worker.admission.waiting == 0


async def _in_flight(monkeypatch: pytest.MonkeyPatch, fault: Callable[[str], Awaitable[None]]
                     ) -> tuple[Worker, BaseException | None]:
    """A tab's first event, then its second with ``fault`` in flight, then its third: the
    worker (its errors) and what the second event raised."""
    token = f"faulted-{uuid.uuid4()}"
    with app.set_contexts():
        built, manager = await _worker(monkeypatch)
        try:
            async with built.processor:
                await (await built.processor.enqueue(token, set_hydrated(False)))
                built.processor.middleware = FaultInFlight(fault, token)  # pyright: ignore
                second = await built.processor.enqueue(token, set_hydrated(True))
                [raised] = await asyncio.gather(second, return_exceptions=True)
                await (await built.processor.enqueue(token, set_hydrated(True)))
                assert await stored_hydrated(manager, token) is True
        finally:
            await manager.close()
    return built, raised


async def test_an_event_in_flight_when_redis_loses_its_keys_ends_without_an_error(
        monkeypatch: pytest.MonkeyPatch, redis: Redis, caplog: pytest.LogCaptureFixture
        ) -> None:
    async def restart(token: str) -> None:
        """Every key of the tab gone, its lock with them."""
        keys = [key async for key in redis.scan_iter(match=f"{token}*")]
        assert StateManagerRedis._lock_key(state_key(token)) in keys
        await redis.delete(*keys)

    # Reflex refuses the state write (the lock is gone); the event ends without an error,
    # one warning line says why, and the tab's next event finds no state and is served.
    built, raised = await _in_flight(monkeypatch, restart)
    assert raised is None and built.errors == []
    assert "Redis lost the states of a tab" in caplog.text
    assert "LockExpiredError" not in caplog.text and "Traceback" not in caplog.text


async def test_a_lock_expired_while_the_tab_has_states_is_still_an_error(
        monkeypatch: pytest.MonkeyPatch, redis: Redis, caplog: pytest.LogCaptureFixture
        ) -> None:
    """The control: a write refused while the states are there is a lost write."""
    async def expire(token: str) -> None:
        await _lock_gone(redis, token)

    built, raised = await _in_flight(monkeypatch, expire)
    assert isinstance(raised, LockExpiredError)
    assert [type(error) for error in built.errors] == [LockExpiredError]
    assert "Redis lost the states of a tab" not in caplog.text


async def test_an_event_that_meets_redis_down_gets_a_message_and_one_log_line(
        caplog: pytest.LogCaptureFixture) -> None:
    """What an event in flight while Redis restarts raises (measured in the live fault
    test): the app's error handler tells the tab, and logs one line, no traceback."""
    from redis.exceptions import ConnectionError as RedisConnectionError

    from infoview_app.infoview_app import STATE_STORE_UNAVAILABLE, _on_backend_error

    down = Redis.from_url(f"redis://127.0.0.1:{closed_port()}/0")
    with pytest.raises(RedisConnectionError) as refused:
        await down.get("any")
    await down.aclose()
    toast = _on_backend_error(refused.value)
    assert STATE_STORE_UNAVAILABLE in str(toast)
    [record] = [r for r in caplog.records if r.name == "infoview"]
    assert record.levelname == "WARNING" and record.exc_info is None
