"""Admission control: a bound on the events one worker processes at once.

Reflex runs every incoming event in its own task, which first takes the tab's state lock
(in Redis with several workers) and only then competes for the event loop. Beyond capacity
hundreds of tasks hold their locks while they wait for the loop; once one waits longer than
the lock expiry (REFLEX_REDIS_LOCK_EXPIRATION, 10 s) its state write is refused
(LockExpiredError) and the student's change is lost.

Here an event first waits for one of INFOVIEW_EVENTS_IN_FLIGHT slots, in arrival order,
holding no lock, and takes the lock once admitted: a lock is then held only for the event's
own work, however long the queue. An event that has waited INFOVIEW_BUSY_NOTICE_AFTER_S
shows "Busy, trying again..." in its tab (AdmissionState.busy, a role=status region of the
shells) until it is admitted. Nothing is refused, so nothing is reordered or dropped: the
browser keeps sending, and the events of one tab stay in the order they were sent.
Background handlers are not bounded (they hold no lock while they run).

Reflex 0.10 has no hook before the lock is taken, so ``install`` wraps the event
processor's ``_execute_event`` (run once per worker, as a lifespan task registered after
the pages, when the processor exists).

The same wrapper handles the one LockExpiredError left: an event in flight while Redis
restarts (or is emptied). Its lock went with the tab's states, so Reflex refuses the state
write; but the handler's work is done (its database writes committed, its delta sent) and
there is no state left to keep consistent: the tab's next event finds none and the app
rebuilds it from the database, as after any Redis restart. That is logged as one warning
line, not as an unhandled error ("nothing was saved" would be wrong). A lock that expired
while the tab's states are still there is a real lost write and stays an error.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from reflex.istate.manager.redis import StateManagerRedis
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State
from reflex_base.constants.state import FIELD_MARKER
from reflex_base.utils.exceptions import LockExpiredError

from infoview_app import config
from infoview_app.state.admission import BUSY, AdmissionState

Notify = Callable[[str], Awaitable[None]]
logger = logging.getLogger("infoview")


class Admission:
    """At most ``limit`` admitted at once; the others wait in arrival order (asyncio's
    semaphore is fair) and are told once they have waited ``notice_after`` seconds."""

    def __init__(self, limit: int, notice_after: float) -> None:
        self.limit = limit
        self.notice_after = notice_after
        self.waiting = 0
        self.notices = 0
        self._slots = asyncio.Semaphore(limit)

    @contextlib.asynccontextmanager
    async def slot(self, notify: Notify) -> AsyncIterator[None]:
        self.waiting += 1
        acquire = asyncio.ensure_future(self._slots.acquire())
        noticed = False
        try:
            done, _ = await asyncio.wait({acquire}, timeout=self.notice_after)
            if not done:
                noticed = True
                self.notices += 1
                await notify(BUSY)
                await acquire
        except BaseException:
            # Cancelled while waiting: never leak a slot acquired meanwhile.
            acquire.cancel()
            if acquire.done() and not acquire.cancelled():
                self._slots.release()
            raise
        finally:
            self.waiting -= 1
        try:
            if noticed:
                await notify("")
            yield
        finally:
            self._slots.release()


def busy_delta(text: str) -> dict[str, dict[str, Any]]:
    return {AdmissionState.get_full_name(): {f"busy{FIELD_MARKER}": text}}


def bounded(execute: Callable[..., Awaitable[None]], admission: Admission
            ) -> Callable[..., Awaitable[None]]:
    """``execute`` (the processor's ``_execute_event``) behind the admission bound."""

    async def admitted(*, entry: Any, registered_handler: Any) -> None:
        if registered_handler.handler.is_background:
            await _outliving_redis(execute, entry, registered_handler)
            return

        async def notify(text: str) -> None:
            await entry.ctx.emit_delta(busy_delta(text))

        async with admission.slot(notify):
            await _outliving_redis(execute, entry, registered_handler)

    return admitted


async def _outliving_redis(execute: Callable[..., Awaitable[None]], entry: Any,
                           registered_handler: Any) -> None:
    """``execute``, where a state write refused because Redis lost the tab's states while
    the event ran (see the module) ends the event quietly."""
    try:
        await execute(entry=entry, registered_handler=registered_handler)
    except LockExpiredError:
        if not await _states_lost(entry.ctx.state_manager, entry.ctx.token):
            raise
        logger.warning("Redis lost the states of a tab while its event %s ran (a restart?); "
                       "the event's work is done and its next event rebuilds them",
                       entry.event.name)


async def _states_lost(manager: Any, token: str) -> bool:
    """Whether Redis holds no root state for the tab (Reflex writes it with the tab's first
    event): then the lock went with the data rather than expiring before it."""
    if not isinstance(manager, StateManagerRedis):
        return False
    return not await manager.redis.exists(str(BaseStateToken(ident=token, cls=State)))


def install(app: Any) -> None:
    """Put this worker's event processor behind the bound (a lifespan task)."""
    processor = app.event_processor
    admission = Admission(config.events_in_flight(), config.busy_notice_after())
    setattr(processor, "_execute_event", bounded(processor._execute_event, admission))  # noqa: B010
    processor.admission = admission
