"""The admission control (infoview_app/admission.py) on Reflex's real event processor and
in-memory state manager: beyond the bound an event waits without its tab's state lock, its
tab is told "Busy, trying again...", and once a slot frees it runs: nothing is lost or
reordered."""

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import reflex as rx
from reflex.istate.manager.memory import StateManagerMemory
from reflex.state import State, StateUpdate
from reflex_base.event import Event
from reflex_base.event.processor import BaseStateEventProcessor

from infoview_app import admission
from infoview_app.infoview_app import app
from infoview_app.state.admission import BUSY, AdmissionState

HYDRATED = f"{State.get_full_name()}.set_is_hydrated"
TOKEN = "tab-under-load"
STATE_KEY = rx.BaseStateToken(ident=TOKEN, cls=State)
BUSY_KEY = AdmissionState.get_full_name()
# A guard against hanging, not a time limit: reached only if no notice ever comes or the
# waiting event held the tab's lock.
HANG_GUARD_S = 30
# A page without on_load handlers, so that each event is the one sent and nothing chained.
PAGE = "/no-such-page"


@dataclass
class Tab:
    """What the socket of the tab receives (Reflex's EventNamespace.emit_update)."""

    updates: list[StateUpdate] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def emit_update(self, update: StateUpdate, token: str) -> None:
        assert token == TOKEN
        self.updates.append(update)
        self.changed.set()

    def busy_notices(self) -> list[str]:
        """The admission control's own updates (the busy var alone)."""
        return [update.delta[BUSY_KEY]["busy_rx_state_"] for update in self.updates
                if set(update.delta) == {BUSY_KEY}]

    async def until(self, predicate: Any) -> None:
        async with asyncio.timeout(HANG_GUARD_S):
            while not predicate():
                self.changed.clear()
                await self.changed.wait()


@dataclass
class Worker:
    processor: BaseStateEventProcessor
    manager: StateManagerMemory
    tab: Tab
    admission: admission.Admission


@pytest.fixture
async def worker(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Worker]:
    """One worker's event processor, configured as the app does, behind a bound of one
    event with the notice at once."""
    monkeypatch.setenv("INFOVIEW_EVENTS_IN_FLIGHT", "1")
    monkeypatch.setenv("INFOVIEW_BUSY_NOTICE_AFTER_S", "0")
    tab, manager = Tab(), StateManagerMemory()
    with app.set_contexts():
        processor = BaseStateEventProcessor(middleware=app)
        processor.configure(state_manager=manager,
                            event_namespace=tab)  # pyright: ignore[reportArgumentType]
        holder = type("App", (), {"event_processor": processor})()
        admission.install(holder)
        async with processor:
            yield Worker(processor, manager, tab, processor.admission)  # type: ignore[attr-defined]


def set_hydrated(value: bool) -> Event:
    """An event as the browser sends it (with its page: without one, Reflex re-sends the
    whole state with every delta)."""
    return Event(name=HYDRATED, payload={"value": value},
                 router_data={"pathname": PAGE, "asPath": PAGE})


async def hydrated(manager: StateManagerMemory) -> bool:
    state = await manager.get_state(STATE_KEY)
    return state.is_hydrated


async def test_an_event_beyond_the_bound_waits_without_the_lock_shows_busy_and_runs(
        worker: Worker) -> None:
    async with worker.admission.slot(lambda _text: asyncio.sleep(0)):
        # The bound is saturated: the tab's event must wait.
        future = await worker.processor.enqueue(TOKEN, set_hydrated(True))
        await worker.tab.until(lambda: worker.tab.busy_notices() == [BUSY])
        assert worker.admission.waiting == 1
        # While it waits it holds no state lock: the tab's state can be taken and is unchanged.
        async with asyncio.timeout(HANG_GUARD_S), worker.manager.modify_state(
                STATE_KEY) as state:
            assert state.is_hydrated is False
    await future
    assert await hydrated(worker.manager) is True
    # The notice went, then was cleared before the event's own delta.
    assert worker.tab.busy_notices() == [BUSY, ""]
    order = [BUSY_KEY if set(update.delta) == {BUSY_KEY} else "event"
             for update in worker.tab.updates]
    assert order[:2] == [BUSY_KEY, BUSY_KEY] and order[2:] and set(order[2:]) == {"event"}
    assert worker.admission.notices == 1 and worker.admission.waiting == 0


async def test_queued_events_of_a_tab_all_run_in_the_order_sent(worker: Worker) -> None:
    values = [True, False, True, False, True]
    # The tab's first event sends its whole state; from then on each delta is what changed.
    await (await worker.processor.enqueue(TOKEN, set_hydrated(False)))
    worker.tab.updates.clear()
    futures = []
    async with worker.admission.slot(lambda _text: asyncio.sleep(0)):
        for value in values:
            futures.append(await worker.processor.enqueue(
                TOKEN, set_hydrated(value)))
        await worker.tab.until(lambda: len(worker.tab.busy_notices()) >= 1)
    for future in futures:
        await future
    seen = [update.delta[State.get_full_name()]["is_hydrated_rx_state_"]
            for update in worker.tab.updates
            if "is_hydrated_rx_state_" in update.delta.get(State.get_full_name(), {})]
    assert seen == values
    assert await hydrated(worker.manager) is True


def test_every_worker_of_the_app_installs_the_bound_after_its_event_processor() -> None:
    """The app registers the bound as a lifespan task after Reflex's own event processor
    set-up (tasks run in order), so each worker's processor exists when it is wrapped."""
    tasks = list(app.get_lifespan_tasks())
    processor_setup = next(index for index, task in enumerate(tasks)
                           if getattr(task, "__name__", "") == "_setup_event_processor")
    assert tasks.index(admission.install) > processor_setup
