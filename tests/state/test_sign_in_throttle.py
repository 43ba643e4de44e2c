"""Throttling through the real handlers: sign-in, registration and a visitor's page loads,
each tab with the client address Reflex gives it (services/core/throttle.py)."""

from typing import Any

import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData
from sqlmodel import func, select

from infoview_app import db, routes
from infoview_app.models import AuthSession, Role, User
from infoview_app.services.core import throttle
from infoview_app.state.auth import LoginState, RegisterState
from tests.factories import PASSWORD
from tests.state.conftest import ORIGIN, call, redirect_path

ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


def _tab(address: str, path: str = routes.LOGIN) -> rx.State:
    """A new browser tab (its own root state) connected from ``address``."""
    root = rx.State()
    root.router = RouterData(session=SessionData(session_id=f"socket-{address}",
                                                 client_ip=address),
                             url=ReflexURL(ORIGIN + path))
    return root


def _on(tab: rx.State, state_class: type) -> Any:
    return tab.get_substate(state_class.get_full_name().split(".")[1:])


def _count(model: type, *where: Any) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()


async def test_a_sprayer_is_refused_and_the_owner_still_signs_in(signed_in: Any) -> None:
    owner_id, _ = signed_in(Role.STUDENT, name="Owner")
    with db.session() as session:
        owner_email = session.get(User, owner_id).email
    sessions_before = _count(AuthSession, AuthSession.user_id == owner_id)
    attacker = _on(_tab(ATTACKER), LoginState)
    for n in range(throttle.ADDRESS_FAILURES[0].amount):
        await call(attacker, "submit", {"email": f"guess{n}@uni.edu", "password": PASSWORD})
        assert attacker.errors == {"password": "Wrong email or password."}
    # Throttled: refused beside the form before any check, even with the right password.
    events = await call(attacker, "submit", {"email": owner_email, "password": PASSWORD})
    assert attacker.errors == {"form": "Too many attempts from this address. "
                                       "Try again in 1 minute."}
    assert redirect_path(events) is None and attacker.auth_token == ""
    assert _count(AuthSession, AuthSession.user_id == owner_id) == sessions_before
    # The owner, in a tab of their own address, signs in.
    owner = _on(_tab(OWNER), LoginState)
    events = await call(owner, "submit", {"email": owner_email, "password": PASSWORD})
    assert owner.errors == {} and owner.auth_token
    assert redirect_path(events) == routes.HOME


async def test_registration_is_counted_per_address(app_db: str) -> None:
    register = _on(_tab(ATTACKER, routes.REGISTER), RegisterState)
    for _ in range(throttle.REGISTRATIONS[0].amount):
        await call(register, "submit", {"name": "", "email": "x@uni.edu", "password": ""})
        assert "form" not in register.errors
    valid = {"name": "Bo", "email": "bo@uni.edu", "password": PASSWORD}
    await call(register, "submit", valid)
    assert register.errors == {"form": "Too many attempts from this address. "
                                       "Try again in 1 minute."}
    assert _count(User, User.email == "bo@uni.edu") == 0
    other = _on(_tab(OWNER, routes.REGISTER), RegisterState)
    await call(other, "submit", valid)
    assert other.errors == {} and other.sent_to == "bo@uni.edu"
    assert _count(User, User.email == "bo@uni.edu") == 1


async def test_a_visitors_events_are_counted_but_a_signed_in_users_are_not(
        signed_in: Any) -> None:
    visitor = _on(_tab(ATTACKER), LoginState)
    for _ in range(throttle.VISITOR_EVENTS[0].amount):
        await call(visitor, "load")
        assert visitor.errors == {}
    await call(visitor, "load")
    assert visitor.errors == {"form": "Too many requests from this address. "
                                      "Try again in 1 minute."}
    # A signed-in user on the same address is not a visitor: their tab is not refused.
    _, token = signed_in(Role.STUDENT)
    tab = _tab(ATTACKER)
    _on(tab, LoginState).parent_state.auth_token = token
    user_page = _on(tab, LoginState)
    assert redirect_path(await call(user_page, "load")) == routes.HOME
    assert user_page.errors == {}
