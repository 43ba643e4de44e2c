"""The admission control (infoview_app/admission.py) seen in a browser: the scale-out server
(tests/live/scaleout.py, two workers on Redis and PostgreSQL) served again with one event in
flight per worker, and saturated by many signed-in tabs (raw sockets speaking Reflex's
protocol) each sending home loads back to back. A student's tab typing notes meanwhile shows
the role=status "Busy, trying again..." while its save waits for a slot, then the save lands,
exactly the text typed, and the notice goes away. Run with INFOVIEW_LIVE_SCALEOUT=1."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from reflex_base.constants.state import FIELD_MARKER

from infoview_app import db, routes
from infoview_app.services.accounts import user_accounts
from infoview_app.state.admission import BUSY, AdmissionState
from infoview_app.state.base import SessionState
from infoview_app.state.home import StudentHomeState
from tests.live import scaleout
from tests.live.interview_data import eventually
from tests.live.socket_client import ReflexSocket, Replies, event_name, storage_key
from tests.live.test_autosave_recovery_e2e import _pending, _stored_notes
from tests.live.test_faults_e2e import _on_step_5, _type

pytestmark = [pytest.mark.scaleout_only, pytest.mark.scaleout]

# Tabs sending home loads back to back: with one slot per worker, a save arriving on either
# worker queues behind about half of them.
BUSY_TABS = 40
HOME_LOAD = event_name(StudentHomeState, "load")
# A guard against a hang (an unanswered event), not a time limit.
REPLY_GUARD_S = 300.0
# Record every text the busy region shows, and whether it was on screen then: the notice
# lasts as long as the queue ahead of the save, which may be shorter than a poll.
WATCH_BUSY = """() => {
  window.busySeen = [];
  const region = document.querySelector('.iv-busy-status[role=status]');
  new MutationObserver(() => {
    const box = region.getBoundingClientRect();
    window.busySeen.push({text: region.textContent,
                          visible: box.width > 0 && box.height > 0});
  }).observe(region, {subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture
def one_event_in_flight(app_harness: Any) -> Iterator[scaleout.ServedApp]:
    """The scale-out server, served again with one event in flight per worker and the notice
    after 50 ms of waiting; served as before afterwards."""
    app: scaleout.ServedApp = app_harness
    before = dict(app.environment)
    app.serve_again({**before, "INFOVIEW_EVENTS_IN_FLIGHT": "1",
                     "INFOVIEW_BUSY_NOTICE_AFTER_S": "0.05"})
    try:
        yield app
    finally:
        app.serve_again(before)


def _told_busy(replies: Replies) -> bool:
    """Whether the admission control told this tab "Busy, trying again..." (the notice is
    cleared before the event's own reply, so the last value is always empty)."""
    key, field = AdmissionState.get_full_name(), f"busy{FIELD_MARKER}"
    return any(((update.get("delta") or {}).get(key) or {}).get(field) == BUSY
               for update in replies)


class HomeLoads:
    """Signed-in tabs, each sending the home load as soon as its last one is answered."""

    def __init__(self, backend_url: str, token: str, tabs: int) -> None:
        self.tabs = [ReflexSocket(backend_url, path=routes.HOME, timeout=REPLY_GUARD_S)
                     for _ in range(tabs)]
        for tab in self.tabs:
            tab.connect({storage_key(SessionState, "auth_token"): token})
        self.stop = threading.Event()
        self.told_busy = threading.Event()  # a tab of theirs got the notice: saturated
        self.answered = 0
        self._count = threading.Lock()
        self._pool = ThreadPoolExecutor(tabs)
        self._runs = [self._pool.submit(self._drive, tab) for tab in self.tabs]

    def _drive(self, tab: ReflexSocket) -> None:
        while not self.stop.is_set():
            replies = tab.call(HOME_LOAD)
            assert not replies.redirects(), replies.text()[:500]  # signed in, on the home
            if _told_busy(replies):
                self.told_busy.set()
            with self._count:
                self.answered += 1

    def wait_saturated(self) -> None:
        """Until a tab of the crowd has been told busy (or one of them failed: raised)."""
        while not self.told_busy.wait(0.2):
            for run in self._runs:
                if run.done():
                    run.result()
                    raise AssertionError("a tab stopped sending before any was told busy")

    def finish(self) -> None:
        """Stop sending; every load sent has been answered (``call`` raises otherwise)."""
        self.stop.set()
        try:
            for run in self._runs:
                run.result()
        finally:
            self._pool.shutdown()
            for tab in self.tabs:
                tab.close()


def test_a_tab_past_capacity_shows_busy_then_its_save_lands_once(
        one_event_in_flight: scaleout.ServedApp, page: Page, make_user) -> None:
    app = one_event_in_flight
    log_start = app.log_path.stat().st_size
    iid, notes = _on_step_5(page, make_user, "Busy Notes")
    notes.click()
    page.evaluate(WATCH_BUSY)

    crowd = make_user(name="Busy Crowd")
    with db.session() as session:
        token = user_accounts.start_session(session, crowd["id"], timedelta(hours=1))
    loads = HomeLoads(app.frontend_url, token, BUSY_TABS)
    try:
        # Saturated: some event of the crowd has waited past the notice for a slot.
        loads.wait_saturated()
        typed = "Asked about night shifts; she said yes."
        _type(page, typed)
        eventually(lambda: _stored_notes(iid) == typed, timeout=REPLY_GUARD_S, page=page)
        seen = page.evaluate("window.busySeen")
    finally:
        loads.finish()

    # The tab showed the notice, on screen, while its events waited, and it went away once
    # they ran; the save stored exactly the text typed, and the browser has nothing unsent.
    assert {"text": BUSY, "visible": True} in seen, seen
    assert seen[-1]["text"] == "", seen
    status = page.get_by_role("status").filter(has_text=BUSY)
    expect(status).to_have_count(0)
    expect(notes).to_have_value(typed)
    eventually(lambda: _pending(page) == 0, page=page)
    assert _stored_notes(iid) == typed
    assert loads.answered >= BUSY_TABS
    log = app.log_path.read_bytes()[log_start:].decode(errors="replace")
    assert "LockExpiredError" not in log and "Unhandled error" not in log
