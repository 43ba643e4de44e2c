"""The user's own time zone through the real handlers: the browser's zone asked for at every
sign-in and stored at the first, and the account page's choice (refused beside the field)."""

from typing import Any

import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData
from sqlmodel import select

from infoview_app import db, routes
from infoview_app.models import Role, User
from infoview_app.state.account import AccountState
from infoview_app.state.auth import BrowserZoneState, LoginState
from infoview_app.state.base import SessionState
from tests.factories import PASSWORD
from tests.state.conftest import (
    ORIGIN,
    asks_for_the_browsers_zone,
    call,
    open_page,
    redirect_path,
    run,
)


def _tab(n: int, path: str = routes.LOGIN) -> rx.State:
    """A new browser tab (its own root state and socket)."""
    root = rx.State()
    root.router = RouterData(session=SessionData(session_id=f"socket-{n}", client_ip="::1"),
                             url=ReflexURL(ORIGIN + path))
    return root


def _on(tab: rx.State, state_class: type) -> Any:
    return tab.get_substate(state_class.get_full_name().split(".")[1:])


def _zone(user_id: int) -> str | None:
    with db.session() as session:
        return session.exec(select(User.time_zone).where(User.id == user_id)).one()


async def _sign_in(n: int, email: str, browser_zone: Any) -> Any:
    """Sign in on a new tab and answer the zone lookup as that tab's browser would."""
    tab = _tab(n)
    events = await run(_on(tab, LoginState), "submit", {"email": email, "password": PASSWORD})
    assert redirect_path(events) == routes.HOME and asks_for_the_browsers_zone(events)
    call(_on(tab, BrowserZoneState), "adopt", browser_zone)
    return tab


async def test_the_first_sign_in_takes_the_browsers_zone_and_the_next_keeps_it(
        signed_in: Any) -> None:
    user_id, _ = signed_in(Role.STUDENT, name="Maya Chen")
    with db.session() as session:
        email = session.get(User, user_id).email
    await _sign_in(1, email, "Mars/Olympus")  # not a zone: not taken
    assert _zone(user_id) is None
    await _sign_in(2, email, "America/Los_Angeles")
    assert _zone(user_id) == "America/Los_Angeles"
    await _sign_in(3, email, "Europe/Berlin")  # on a trip: the account keeps its zone
    assert _zone(user_id) == "America/Los_Angeles"


def test_a_visitor_cannot_set_anyones_zone(signed_in: Any) -> None:
    user_id, _ = signed_in(Role.STUDENT)
    tab = _tab(4, routes.HOME)
    events = call(_on(tab, BrowserZoneState), "adopt", "Europe/Berlin")
    assert redirect_path(events) == routes.login_url(routes.HOME)
    assert _zone(user_id) is None


def test_the_account_page_shows_and_saves_the_zone_and_refuses_others_beside_it(
        signed_in: Any, substate: Any) -> None:
    user_id, token = signed_in(Role.STUDENT)
    open_page(substate(SessionState), token, routes.ACCOUNT)
    account = substate(AccountState)
    call(account, "load")
    assert (account.time_zone, account.institution_zone) == ("", "UTC")
    call(account, "save_time_zone", {"time_zone": "America/New_York"})
    assert account.errors == {} and account.time_zone == "America/New_York"
    assert _zone(user_id) == "America/New_York"
    for bad in ({"time_zone": "America/Gotham"}, {"time_zone": 5}, {}, "America/Chicago"):
        call(account, "save_time_zone", bad)
        assert account.errors == {"time_zone": "Choose your time zone from the list."}, bad
        assert account.time_zone == "America/New_York" == _zone(user_id)
    call(account, "save_time_zone", {"time_zone": ""})
    assert account.errors == {} and account.time_zone == "" and _zone(user_id) is None
