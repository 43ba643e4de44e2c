"""Faults the guard turns into something a student can act on: a tab whose state the server
lost (Redis restarted) signs in again from the token its browser kept, and an event while the
database is down gets a clear message instead of a server exception."""

from typing import Any

import pytest

from infoview_app import db, routes
from infoview_app.models import Role
from infoview_app.state.auth import LoginState
from infoview_app.state.base import DATABASE_UNAVAILABLE, SESSION_STORAGE_KEY, SessionState
from infoview_app.state.home import StudentHomeState
from tests.state.conftest import open_page, redirect_path, run


def _scripts(events: Any) -> list[str]:
    """The JavaScript of the call_script events among ``events``."""
    found = []
    for event in events if isinstance(events, list) else [events]:
        for key, value in getattr(event, "args", ()):
            if str(key) == "javascript_code":
                found.append(str(value))
    return found


async def test_a_tab_that_presented_no_token_reloads_the_sign_in_page_to_present_it(
        substate: Any) -> None:
    login = substate(LoginState)
    open_page(substate(SessionState), "", routes.login_url("/notes"))
    login.auth_token = ""
    (script,) = _scripts(await run(login, "load"))
    assert f"localStorage.getItem('{SESSION_STORAGE_KEY}')" in script
    assert "window.location.reload()" in script


async def test_a_presented_token_that_resolves_to_nobody_does_not_reload_again(
        substate: Any) -> None:
    login = substate(LoginState)
    open_page(substate(SessionState), "expired-or-forged", routes.login_url("/notes"))
    assert _scripts(await run(login, "load")) == []


@pytest.mark.parametrize(("asked", "lands"), [("/notes", "/notes"),
                                              ("https://evil.example/", "/")])
async def test_a_signed_in_visitor_on_the_sign_in_page_goes_to_the_safe_page_asked_for(
        substate: Any, signed_in: Any, asked: str, lands: str) -> None:
    _, token = signed_in(Role.STUDENT)
    open_page(substate(SessionState), token, routes.login_url(asked))
    assert redirect_path(await run(substate(LoginState), "load")) == lands


async def test_an_event_while_the_database_is_down_gets_the_message(
        substate: Any, signed_in: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _, token = signed_in(Role.STUDENT)
    open_page(substate(SessionState), token, routes.HOME)
    # A real PostgreSQL address where nothing listens: the connection is refused.
    monkeypatch.setattr(db, "database_url",
                        lambda: "postgresql+psycopg://nobody:nothing@127.0.0.1:9/none")
    events = await run(substate(StudentHomeState), "load")
    assert DATABASE_UNAVAILABLE in str(events)
