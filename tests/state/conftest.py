"""State handlers under pytest: real State objects on a real SQLite database."""

import base64
import inspect
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData

from infoview_app import db, routes
from infoview_app.models import Role
from infoview_app.services.accounts import user_accounts
from infoview_app.state.base import SessionState
from tests import factories
from tests.mail_server import Inbox

# The handlers that Reflex adds, not InfoView, so the guard is not on them: each with why
# that is safe. Every other handler of every state must be guarded (test_guard.py).
REFLEX_HANDLERS = {
    "setvar": "Reflex's generic setter, on every state: InfoView never calls it, and "
              "TabPrivacyMiddleware refuses it on every state (test_tab_privacy.py)",
    "reflex.state.State.hydrate": "sends the tab's states to the browser: "
                                  "TabPrivacyMiddleware forgets them first unless the "
                                  "connection proves the session (test_tab_privacy.py)",
    "reflex.state.State.hydrate_and_load": "the same, then the page's on_load handlers, "
                                           "which are guarded",
    "reflex.state.State.set_is_hydrated": "sets Reflex's is_hydrated flag, nothing else",
    "reflex.state.OnLoadInternalState.set_is_hydrated": "the same, from Reflex's leaf state",
    "reflex.state.OnLoadInternalState.on_load_internal": "queues the page's on_load "
                                                         "handlers, which are guarded",
    "reflex.state.UpdateVarsInternalState.update_vars_internal":
        "writes the browser's LocalStorage into vars: TabPrivacyMiddleware checks the "
        "session token it presents (test_tab_privacy.py)",
    "reflex.state.FrontendEventExceptionState.handle_frontend_exception":
        "logs an error the browser reports",
}


def state_tree() -> list[type[rx.State]]:
    """Every state class of the app: rx.State and all its substates, InfoView's and
    Reflex's own, wherever a page adds one."""
    import infoview_app.infoview_app  # noqa: F401  (registers every state class)

    found, todo = [], [rx.State]
    while todo:
        state_class = todo.pop()
        found.append(state_class)
        todo.extend(state_class.get_substates())
    return found


def reflex_handler(state_class: type, name: str) -> bool:
    """Whether the handler is one that Reflex adds (``REFLEX_HANDLERS``)."""
    return (name in REFLEX_HANDLERS
            or f"{state_class.__module__}.{state_class.__qualname__}.{name}" in REFLEX_HANDLERS)


def public_handlers() -> list[tuple[type, str]]:
    """Every event handler of every state of the app but Reflex's own, by name."""
    return sorted(((state, name) for state in state_tree() for name in state.event_handlers
                   if not reflex_handler(state, name)),
                  key=lambda pair: f"{pair[0].__name__}.{pair[1]}")


@pytest.fixture
def app_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, mail_server: Inbox) -> str:
    """Point the app's db module at a fresh migrated database (and its mail at the test
    SMTP server: registration and password resets send email)."""
    monkeypatch.setattr(db, "database_url", lambda: sqlite_url)
    return sqlite_url


@pytest.fixture
def root_state(app_db: str) -> rx.State:
    import infoview_app.infoview_app  # noqa: F401  (registers every state class)

    return rx.State()


@pytest.fixture
def substate(root_state: rx.State) -> Callable[[type], Any]:
    def get(state_class: type) -> Any:
        return root_state.get_substate(state_class.get_full_name().split(".")[1:])

    return get


@pytest.fixture
def signed_in(app_db: str) -> Callable[..., tuple[int, str]]:
    """Create a user of a role and open a session; returns (user id, token)."""
    counter = iter(range(1, 1000))

    def make(role: Role = Role.STUDENT, name: str = "Test User") -> tuple[int, str]:
        with db.session() as session:
            user = factories.account(session, role, name=name,
                                     email=f"{role.value}{next(counter)}@uni.edu")
            assert user.id is not None
            return user.id, user_accounts.start_session(session, user.id, timedelta(days=1))

    return make


# The socket the test's browser tab is connected on: the guard binds the session token to it.
SOCKET_ID = "socket-of-this-tab"
ORIGIN = "http://localhost:3000"


def open_page(session_state: Any, token: str, path: str) -> None:
    """What the browser's hydrate does: the page's URL on this tab's socket, then the session
    token from LocalStorage (presented on that socket, so the guard admits it)."""
    session_state.router = RouterData(session=SessionData(session_id=SOCKET_ID),
                                      url=ReflexURL(ORIGIN + path))
    session_state.auth_token = token


@dataclass(frozen=True)
class Student:
    user_id: int
    token: str
    exploration_id: int


@pytest.fixture
def student(signed_in: Callable[..., tuple[int, str]], substate: Callable[[type], Any]
            ) -> Student:
    """A signed-in student with one exploration, on that exploration's stepper page."""
    user_id, token = signed_in(Role.STUDENT, name="Ana Student")
    with db.session() as session:
        exploration_id = factories.exploration_id(session, user_id)
    open_page(substate(SessionState), token, routes.exploration_url(exploration_id, 1))
    return Student(user_id, token, exploration_id)


def call(state: Any, handler_name: str, *args: Any) -> Any:
    """Run a handler exactly as Reflex does: the event handler's function on the state."""
    return getattr(type(state), handler_name).fn(state, *args)


async def run(state: Any, handler_name: str, *args: Any) -> Any:
    """``call`` for a handler that may be async (its result awaited, as Reflex does)."""
    result = call(state, handler_name, *args)
    return await result if inspect.isawaitable(result) else result


def redirect_path(events: Any) -> str | None:
    """The path of a redirect among the events a handler returned, if any."""
    for event in events if isinstance(events, list) else [events]:
        spec = getattr(event, "handler", None)
        if spec is not None and spec.fn.__qualname__.endswith("redirect"):
            return next(json.loads(value.json()) for key, value in event.args
                        if str(key) == "path")
    return None


def asks_for_the_browsers_zone(events: Any) -> bool:
    """Whether a sign-in's events run the browser's Intl time zone lookup with
    BrowserZoneState.adopt as its callback (state/auth.py)."""
    for event in events if isinstance(events, list) else [events]:
        spec = getattr(event, "handler", None)
        if spec is not None and spec.fn.__qualname__.endswith("call_script"):
            args = {str(key): str(value) for key, value in event.args}
            if ("resolvedOptions().timeZone" in args["javascript_code"]
                    and "browser_zone_state.adopt" in args.get("callback", "")):
                return True
    return False


def downloaded(events: Any) -> dict[str, str] | None:
    """The file name, media type and text of an rx.download among a handler's events."""
    for event in events if isinstance(events, list) else [events]:
        spec = getattr(event, "handler", None)
        if spec is not None and spec.fn.__qualname__.endswith("download"):
            args = {str(key): json.loads(value.json()) for key, value in event.args}
            header, data = args["url"].split(",", 1)
            assert header.startswith("data:") and header.endswith(";base64")
            return {"filename": args["filename"], "media_type": header[5:-7],
                    "text": base64.b64decode(data).decode()}
    return None
