"""Nothing typed in the interview notes is lost on a reload, a dropped connection or a backend
restart: the browser keeps unsent text (assets/unsent.js) until the server acknowledges it,
and puts it back and sends it once the connection is back."""

import itertools
import re
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from infoview_app import db
from infoview_app.models import Interview
from infoview_app.services.core.text_digest import digest
from tests.live.conftest import backend_stopped, expire_sessions, sign_in
from tests.live.interview_data import QUESTION_IDS, booked_interview, eventually, stored_answer

# Also run against the scale-out configuration (tests/live/scaleout.py).
pytestmark = pytest.mark.scaleout

EVENT_SOCKET = re.compile(r"/_event/")
SOCKET_IO_EVENT = "42"  # Engine.IO message + Socket.IO EVENT: what carries the page's events
SAVE_NOTES = "interview_state.save_notes"
SOCKET_IO_CONNECT = '40/_event,{"sid":'  # the server's answer to a (re)connect


class EventGate:
    """Routes the page's Reflex socket through Playwright. While shut, the page's notes saves
    are dropped (the connection itself stays up, as on a network that loses them);
    ``drop_connection`` closes the socket under the page."""

    def __init__(self, page: Page) -> None:
        self.shut = False
        self.sockets: list[WebSocketRoute] = []
        self.sent: list[str] = []  # the page's messages since the last dropped connection
        self.received: list[str] = []  # the server's, likewise
        page.route_web_socket(EVENT_SOCKET, self._route)

    def _route(self, socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        self.sockets.append(socket)

        def forward(message: str | bytes) -> None:
            if isinstance(message, str):
                self.sent.append(message)
            if not (self.shut and isinstance(message, str)
                    and message.startswith(SOCKET_IO_EVENT) and SAVE_NOTES in message):
                server.send(message)

        socket.on_message(forward)

        def answer(message: str | bytes) -> None:
            if isinstance(message, str):
                self.received.append(message)
            socket.send(message)

        server.on_message(answer)

    def drop_connection(self) -> None:
        for socket in self.sockets:
            socket.close()
        self.sockets.clear()
        self.sent.clear()
        self.received.clear()

    def step_reloaded(self) -> bool:
        """The step loaded its texts again on the new connection: the server said so
        (``texts_loaded_on`` set to the new socket's id)."""
        sids = [m.removeprefix(SOCKET_IO_CONNECT) for m in self.received
                if m.startswith(SOCKET_IO_CONNECT)]
        return any(f'"texts_loaded_on_rx_state_":{sid.removesuffix("}")}' in message
                   for sid in sids for message in self.received)


def _stored_notes(interview_id: int) -> str:
    with db.session() as session:
        return session.get(Interview, interview_id).notes


def _pending(page: Page) -> int:
    return page.evaluate("window.infoviewUnsent.pending()")


def _open_interview(page: Page, user: dict[str, Any], exploration_id: int) -> None:
    sign_in(page, user["email"], user["password"])
    expect(page.get_by_role("heading", name=f"Welcome, {user['name']}")).to_be_visible()
    page.goto(f"/exploration?id={exploration_id}&step=5")
    expect(page.get_by_role("heading", name="Step 5 · Interview")).to_be_visible()


def test_unsent_notes_survive_lost_events_a_reload_and_a_dropped_connection(
        page: Page, make_user) -> None:
    user = make_user(name="Careful Typist")
    booked = booked_interview(user["id"])
    iid = booked["interview_id"]
    gate = EventGate(page)
    _open_interview(page, user, booked["exploration_id"])

    # The browser and the server compute the same acknowledgement digest.
    for text in ("", "Plain notes.", "Café · naïve 😀 \u4e2d\u6587\nline two"):
        assert page.evaluate("t => window.infoviewUnsent.digest(t)", text) == digest(text)

    # Connected: the answer is saved and acknowledged, so the browser forgets its copy.
    answer = page.get_by_label("Notes for this question")
    answer.fill("Started as an aide, then studied at night.")
    eventually(lambda: stored_answer(iid, QUESTION_IDS[0])
               == "Started as an aide, then studied at night.", page=page)
    expect(answer).to_have_attribute("data-ack", digest(answer.input_value()))
    eventually(lambda: _pending(page) == 0, page=page)

    # The events are lost on the way: nothing reaches the database, the browser keeps it all.
    gate.shut = True
    notes = page.get_by_label("Free notes")
    notes.fill("First year is the hardest; find a mentor.")
    page.wait_for_timeout(2_500)  # past the autosave delay and the first resend
    assert _stored_notes(iid) == ""
    assert _pending(page) == 1

    # A reload (the connection is back): the page shows the kept text and sends it.
    gate.shut = False
    page.reload()
    notes = page.get_by_label("Free notes")
    expect(notes).to_have_value("First year is the hardest; find a mentor.")
    eventually(lambda: _stored_notes(iid) == "First year is the hardest; find a mentor.",
               page=page)
    eventually(lambda: _pending(page) == 0, page=page)

    # A dropped connection mid-typing: the page reconnects and the text is sent without a
    # reload, and without the student doing anything.
    gate.shut = True
    notes.fill("First year is the hardest; find a mentor. Ask about night shifts.")
    page.wait_for_timeout(1_000)
    gate.drop_connection()
    gate.shut = False
    eventually(lambda: _stored_notes(iid)
               == "First year is the hardest; find a mentor. Ask about night shifts.",
               timeout=30, page=page)
    expect(notes).to_have_value("First year is the hardest; find a mentor. Ask about night "
                                "shifts.")
    eventually(lambda: _pending(page) == 0, page=page)


def test_typing_on_as_soon_as_the_step_reloads_builds_on_the_kept_text(page: Page,
                                                                      make_user) -> None:
    """A reconnect reloads the step, and the stored text it reads is older than what the
    browser kept. The student's next keystroke must land after the kept text: typed into the
    older one, its save would overwrite what was kept (issue 15: a worker killed mid-typing
    lost "a mentor " that way). The field is kept across the reconnect, never remounted with
    the older text."""
    user = make_user(name="Quick Typist")
    booked = booked_interview(user["id"])
    iid = booked["interview_id"]
    gate = EventGate(page)
    _open_interview(page, user, booked["exploration_id"])
    notes = page.get_by_label("Free notes")
    notes.fill("Before.")
    eventually(lambda: _stored_notes(iid) == "Before.", page=page)

    gate.shut = True
    notes.fill("Before. Kept in the browser.")
    page.evaluate("document.getElementById('field-notes').dataset.beforeReconnect = '1'")
    gate.drop_connection()
    gate.shut = False
    # The step reloads on the new connection and the student types at once, at the end of
    # the text and with the focus it had, in the same field.
    eventually(gate.step_reloaded, timeout=30, page=page)
    expect(notes).to_be_enabled()
    expect(notes).to_have_attribute("data-before-reconnect", "1")
    expect(notes).to_be_focused()
    page.keyboard.type(" More.")
    full = "Before. Kept in the browser. More."
    eventually(lambda: _stored_notes(iid) == full, timeout=30, page=page)
    expect(notes).to_have_value(full)
    eventually(lambda: _pending(page) == 0, page=page)


def test_typing_straight_through_a_dropped_connection_loses_no_keystroke(
        page: Page, make_user) -> None:
    """Key by key before, during and after a reconnect, without a click: the field the
    student types in stays mounted and editable while the step reloads on the new
    connection, so every character is stored, once (issue 15: keystrokes typed while the
    field was swapped for "Loading…" landed nowhere)."""
    user = make_user(name="Steady Typist")
    booked = booked_interview(user["id"])
    iid = booked["interview_id"]
    gate = EventGate(page)
    _open_interview(page, user, booked["exploration_id"])
    notes = page.get_by_label("Free notes")
    notes.click()
    page.evaluate("document.getElementById('field-notes').dataset.beforeReconnect = '1'")

    before, after = "Met her at the clinic; ", " and to ask for a mentor early."
    page.keyboard.type(before, delay=25)
    gate.drop_connection()
    # Key by key until the step has reloaded on the new connection, and a few keys more.
    during = ""
    for key in itertools.islice(itertools.cycle("night shifts teach the most, "), 2_000):
        page.keyboard.type(key)
        during += key
        page.wait_for_timeout(40)
        if gate.step_reloaded() and len(during) % 10 == 0:
            break
    assert gate.step_reloaded(), "the step did not reload while the student typed"
    page.keyboard.type(after, delay=25)

    full = before + during + after
    eventually(lambda: _stored_notes(iid) == full, timeout=30, page=page)
    expect(notes).to_have_value(full)
    expect(notes).to_have_attribute("data-before-reconnect", "1")  # never remounted
    expect(notes).to_be_focused()
    eventually(lambda: _pending(page) == 0, page=page)


@pytest.mark.harness_only  # restarts the in-process backend (tests/live/test_faults_e2e.py
# kills a worker of the scale-out configuration instead)
def test_notes_typed_while_the_backend_restarts_are_stored(page: Page, make_user,
                                                           app_harness: Any) -> None:
    user = make_user(name="Restart Student")
    booked = booked_interview(user["id"])
    iid = booked["interview_id"]
    _open_interview(page, user, booked["exploration_id"])
    notes = page.get_by_label("Free notes")
    notes.fill("Before the restart.")
    eventually(lambda: _stored_notes(iid) == "Before the restart.")

    full = "Before the restart. Typed while the server was down."
    with backend_stopped(app_harness):
        notes.fill(full)
        page.wait_for_timeout(1_500)
        assert _stored_notes(iid) == "Before the restart."
        assert _pending(page) == 1
    # The restarted backend knows nothing of this page: the page reconnects, signs in again
    # from its stored session, reloads the step and sends the kept text.
    eventually(lambda: _stored_notes(iid) == full, timeout=45)
    expect(page.get_by_label("Free notes")).to_have_value(full)
    eventually(lambda: _pending(page) == 0)

    # Typed, then reloaded while the backend is down: kept until it is back.
    later = full + " And after a reload."
    with backend_stopped(app_harness):
        page.get_by_label("Free notes").fill(later)
        page.reload()
        page.wait_for_timeout(1_000)
        assert _stored_notes(iid) == full
    expect(page.get_by_label("Free notes")).to_have_value(later, timeout=45_000)
    eventually(lambda: _stored_notes(iid) == later, timeout=45)


def _change_notes_elsewhere(interview_id: int, text: str) -> None:
    with db.session() as session:
        interview = session.get(Interview, interview_id)
        interview.notes = text
        session.add(interview)
        session.commit()


def test_kept_text_never_silently_overwrites_a_note_changed_elsewhere(page: Page,
                                                                      make_user) -> None:
    user = make_user(name="Two Devices")
    booked = booked_interview(user["id"])
    iid = booked["interview_id"]
    gate = EventGate(page)
    _open_interview(page, user, booked["exploration_id"])

    gate.shut = True
    page.get_by_label("Free notes").fill("Typed on the laptop, never sent.")
    page.wait_for_timeout(1_000)
    _change_notes_elsewhere(iid, "Written on the phone later.")
    page.reload()

    # Neither text is lost: the saved one shows, and the student is asked about the other.
    notes = page.get_by_label("Free notes")
    expect(notes).to_have_value("Written on the phone later.")
    choice = page.get_by_role("alert").filter(has_text="was changed elsewhere")
    expect(choice).to_contain_text("Free notes")
    gate.shut = False
    page.wait_for_timeout(1_500)
    assert _stored_notes(iid) == "Written on the phone later."
    choice.get_by_role("button", name="Put back what I typed here").click()
    expect(choice).to_be_hidden()
    expect(notes).to_have_value("Typed on the laptop, never sent.")
    eventually(lambda: _stored_notes(iid) == "Typed on the laptop, never sent.", page=page)
    eventually(lambda: _pending(page) == 0, page=page)

    # Choosing the saved text forgets the kept copy for good.
    gate.shut = True
    notes.fill("A second unsent draft.")
    page.wait_for_timeout(1_000)
    _change_notes_elsewhere(iid, "Phone again.")
    page.reload()
    choice.get_by_role("button", name="Keep the saved text").click()
    expect(choice).to_be_hidden()
    assert _pending(page) == 0
    gate.shut = False
    page.reload()
    expect(page.get_by_label("Free notes")).to_have_value("Phone again.")
    page.wait_for_timeout(1_500)
    expect(choice).to_have_count(0)
    assert _stored_notes(iid) == "Phone again."

    # Signing out forgets whatever the browser still kept (here the save, sent as the field
    # loses focus, is lost on the way).
    gate.shut = True
    page.get_by_label("Free notes").fill("Typed just before signing out.")
    assert _pending(page) == 1
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    assert _pending(page) == 0
    assert _stored_notes(iid) == "Phone again."


def test_kept_text_is_forgotten_when_someone_else_signs_in(page: Page, make_user) -> None:
    first, second = make_user(name="First Student"), make_user(name="Second Student")
    booked = booked_interview(first["id"])
    gate = EventGate(page)
    _open_interview(page, first, booked["exploration_id"])
    gate.shut = True
    page.get_by_label("Free notes").fill("Private, and never sent.")
    assert _pending(page) == 1

    # The session ends without signing out (it expired): the same student signing in again
    # still finds the kept text; someone else signing in on this browser makes it go. (The
    # session is ended in the database: a token removed from the browser's storage would be
    # written back by the next reply of the server that carries it.)
    expire_sessions(first["id"])
    sign_in(page, first["email"], first["password"])
    expect(page.get_by_role("heading", name="Welcome, First Student")).to_be_visible()
    assert _pending(page) == 1
    expire_sessions(first["id"])
    sign_in(page, second["email"], second["password"])
    expect(page.get_by_role("heading", name="Welcome, Second Student")).to_be_visible()
    assert _pending(page) == 0
    assert _stored_notes(booked["interview_id"]) == ""


# Adds 100 elements one at a time, letting the script's MutationObserver run after each
# (its callback is a microtask, queued before the await's continuation); counts the searches
# for fields over the whole document and within the added elements meanwhile.
COUNT_SEARCHES = """async () => {
  const selector = "[data-unsent-key]";
  const inDocument = Document.prototype.querySelectorAll;
  const inElement = Element.prototype.querySelectorAll;
  const counts = { document: 0, element: 0 };
  Document.prototype.querySelectorAll = function (s) {
    if (s === selector) counts.document += 1;
    return inDocument.call(this, s);
  };
  Element.prototype.querySelectorAll = function (s) {
    if (s === selector) counts.element += 1;
    return inElement.call(this, s);
  };
  const added = [];
  try {
    for (let i = 0; i < 100; i++) {
      added.push(document.body.appendChild(document.createElement("div")));
      await Promise.resolve();
    }
  } finally {
    Document.prototype.querySelectorAll = inDocument;
    Element.prototype.querySelectorAll = inElement;
    added.forEach((element) => element.remove());
  }
  return counts;
}"""


def test_new_fields_are_looked_for_in_what_was_added_not_the_whole_page(page: Page) -> None:
    """While a page hydrates, React adds elements hundreds of times: searching the whole
    document each time took up to 450 ms of the main thread (docs/benchmarks.md (k))."""
    page.goto("/login")
    page.wait_for_function("window.infoviewUnsent !== undefined")
    counts = page.evaluate(COUNT_SEARCHES)
    assert counts == {"document": 0, "element": 100}
