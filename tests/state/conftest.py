"""State handlers under pytest: real State objects on a real SQLite database."""

from collections.abc import Callable
from typing import Any

import pytest
import reflex as rx

from infoview_app import db
from infoview_app.models import Role
from infoview_app.services import accounts

PASSWORD = "correct-horse-battery"


@pytest.fixture
def app_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the app's db module at a fresh migrated database."""
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
            user = accounts.create_user(session, role=role, name=name,
                                        email=f"{role.value}{next(counter)}@uni.edu",
                                        password=PASSWORD)
            assert user.id is not None
            return user.id, accounts.start_session(session, user.id, accounts.LOCKOUT_WINDOW)

    return make


def call(state: Any, handler_name: str, *args: Any) -> Any:
    """Run a handler exactly as Reflex does: the event handler's function on the state."""
    return getattr(type(state), handler_name).fn(state, *args)


def redirect_path(events: Any) -> str | None:
    """The path of a redirect among the events a handler returned, if any."""
    for event in events if isinstance(events, list) else [events]:
        spec = getattr(event, "handler", None)
        if spec is not None and spec.fn.__qualname__.endswith("redirect"):
            return next(value._var_value for key, value in event.args if str(key) == "path")
    return None
