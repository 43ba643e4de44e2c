"""Forgetting a tab: every InfoView state is reset when its user is gone, and the middleware
forgets it before serving a connection that has not proved that user's session."""

from datetime import timedelta
from typing import Any

import reflex as rx
from reflex.event import Event
from reflex.istate.data import RouterData, SessionData
from reflex.state import State, UpdateVarsInternalState
from sqlmodel import update

from infoview_app import db, routes
from infoview_app.models import AuthSession, Role
from infoview_app.models._base import utcnow
from infoview_app.state.auth import LoginState, LogoutState
from infoview_app.state.base import SessionState, tab_state_classes
from infoview_app.state.home import StudentHomeState
from infoview_app.state.network import NetworkState
from infoview_app.state.tab_privacy import TabPrivacyMiddleware
from tests.factories import PASSWORD
from tests.live.socket_client import storage_key
from tests.private_data import planted_journey
from tests.state.conftest import SOCKET_ID, call, open_page, redirect_path, run

AUTH_TOKEN = storage_key(SessionState, "auth_token")


def _own_fields(state_class: type) -> dict[str, Any]:
    return {name: field for name, field in state_class.__fields__.items()
            if field._owner is state_class}


def _planted(default: Any) -> Any:
    """A value unlike a field's default, of the same kind."""
    if isinstance(default, bool):
        return not default
    if isinstance(default, int | float):
        return default + 4242
    if isinstance(default, str):
        return default + "planted"
    if isinstance(default, list):
        return [*default, "planted"]
    if isinstance(default, dict):
        return {**default, "planted": "planted"}
    if default is None:  # an optional value not known yet (the network's screen size)
        return "planted"
    raise AssertionError(f"no planted value for a default of type {type(default)}")


def test_every_state_of_the_app_is_an_infoview_state_that_is_forgotten() -> None:
    """A state that a page adds is forgotten with the rest only if it descends from
    SessionState: every state class defined in the app does."""
    import infoview_app.infoview_app  # noqa: F401  (registers every state class)

    app_states = _app_state_classes()
    forgotten = set(tab_state_classes())
    assert len(app_states) >= 20
    assert [cls.__name__ for cls in app_states if cls not in forgotten] == []


def _app_state_classes() -> list[type]:
    found, todo = [], [rx.State]
    while todo:
        state_class = todo.pop()
        todo.extend(state_class.get_substates())
        if state_class.__module__.startswith("infoview_app."):
            found.append(state_class)
    return found


async def test_forgetting_resets_every_var_of_every_state_frontend_and_backend(
        root_state: rx.State) -> None:
    planted: list[tuple[Any, str]] = []
    for state_class in tab_state_classes():
        state = await root_state.get_state(state_class)
        for name, field in _own_fields(state_class).items():
            setattr(state, name, _planted(field.default_value()))
            planted.append((state, name))
    assert len(planted) > 100

    session_state = await root_state.get_state(SessionState)
    await session_state._forget_tab()

    left = [f"{type(state).__name__}.{name}" for state, name in planted
            if getattr(state, name) != _own_fields(type(state))[name].default_value()]
    assert left == []


def _all_vars_text(root_state: rx.State) -> str:
    """Everything the tab's InfoView states hold, frontend and backend vars alike."""
    texts = []
    for state_class in tab_state_classes():
        state = root_state.get_substate(state_class.get_full_name().split(".")[1:])
        texts.extend(repr(getattr(state, name)) for name in _own_fields(state_class))
    return "".join(texts)


async def test_sign_out_forgets_what_the_pages_loaded(root_state: rx.State, substate: Any,
                                                      signed_in: Any) -> None:
    user_id, token = signed_in(Role.STUDENT, name="Sol Student")
    journey = planted_journey(user_id)
    session_state = substate(SessionState)
    open_page(session_state, token, routes.HOME)
    await run(substate(StudentHomeState), "load")
    open_page(session_state, token, routes.network_url(journey.exploration_id))
    call(substate(NetworkState), "load")
    assert journey.found_in(_all_vars_text(root_state)), "the pages loaded no secret"
    assert "Sol Student" in _all_vars_text(root_state)

    events = await call(substate(LogoutState), "logout")

    assert redirect_path(events) == routes.LOGIN
    assert journey.found_in(_all_vars_text(root_state)) == []
    assert "Sol Student" not in _all_vars_text(root_state)
    assert session_state.auth_token == "" and session_state._data_owner == 0


def _hydrate(token: Any = None) -> Event:
    storage = {} if token is None else {AUTH_TOKEN: token}
    return Event(name=f"{State.get_full_name()}.hydrate_and_load",
                 payload={"vars": storage} if storage else {})


async def _student_tab(root_state: rx.State, substate: Any, signed_in: Any,
                       name: str = "Tia Tab") -> tuple[str, SessionState, StudentHomeState]:
    """A tab on which a student opened home: the home state holds the student's name."""
    user_id, token = signed_in(Role.STUDENT, name=name)
    planted_journey(user_id)
    session_state = substate(SessionState)
    open_page(session_state, token, routes.HOME)
    home = substate(StudentHomeState)
    await run(home, "load")
    assert session_state._data_owner == user_id and session_state.user_name == name
    return token, session_state, home


async def _preprocess(root_state: rx.State, event: Event) -> Any:
    return await TabPrivacyMiddleware().preprocess(app=None, state=root_state, event=event)


async def test_hydration_without_the_owners_session_finds_the_tab_forgotten(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    _, other_token = signed_in(Role.STUDENT, name="Otto Other")
    for presented in (None, "", "forged-token", {"not": "a string"}, other_token):
        _, session_state, home = await _student_tab(root_state, substate, signed_in)
        assert home.explorations
        assert await _preprocess(root_state, _hydrate(presented)) is None
        assert session_state.user_name == "" and session_state._data_owner == 0, presented
        assert home.explorations == [], presented


async def test_hydration_with_the_owners_live_session_keeps_the_tab(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    token, session_state, home = await _student_tab(root_state, substate, signed_in)
    await _preprocess(root_state, _hydrate(token))
    assert session_state.user_name == "Tia Tab" and home.explorations


async def test_hydration_after_the_session_expired_finds_the_tab_forgotten(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    token, session_state, home = await _student_tab(root_state, substate, signed_in)
    with db.session() as session:
        session.exec(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    await _preprocess(root_state, _hydrate(token))
    assert session_state.user_name == "" and home.explorations == []


async def test_browser_storage_sync_with_another_users_token_forgets_the_tab(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    _, other_token = signed_in(Role.STUDENT, name="Otto Other")
    _, session_state, home = await _student_tab(root_state, substate, signed_in)
    event = Event(name=f"{UpdateVarsInternalState.get_full_name()}.update_vars_internal",
                  payload={"vars": {AUTH_TOKEN: other_token}})
    await _preprocess(root_state, event)
    assert home.explorations == [] and session_state._data_owner == 0


async def test_an_event_on_a_connection_that_never_presented_the_token_forgets_the_tab(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    _, session_state, home = await _student_tab(root_state, substate, signed_in)
    home_load = Event(name=f"{StudentHomeState.get_full_name()}.load")
    await _preprocess(root_state, home_load)  # the tab's own connection: kept
    assert home.explorations
    session_state.router = RouterData(session=SessionData(session_id="a-script's-socket"),
                                      url=session_state.router.url)
    await _preprocess(root_state, home_load)
    assert home.explorations == [] and session_state._data_owner == 0
    assert session_state.router.session.session_id != SOCKET_ID


async def test_the_generic_setvar_handler_is_refused(root_state: rx.State, substate: Any,
                                                    signed_in: Any) -> None:
    await _student_tab(root_state, substate, signed_in)
    event = Event(name=f"{StudentHomeState.get_full_name()}.setvar",
                  payload={"var_name": "explorations", "value": []})
    refusal = await _preprocess(root_state, event)
    assert refusal is not None and not refusal.delta and not refusal.events


async def test_the_guard_forgets_the_tab_when_the_session_ended_mid_tab(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    _, session_state, home = await _student_tab(root_state, substate, signed_in)
    with db.session() as session:
        session.exec(update(AuthSession).values(revoked_at=utcnow()))
        session.commit()
    assert redirect_path(await run(home, "load")) == routes.login_url(routes.HOME)
    assert home.explorations == [] and session_state.user_name == ""
    assert session_state._forget_pending  # the middleware forgets the rest next time
    await _preprocess(root_state, Event(name=f"{StudentHomeState.get_full_name()}.load"))
    assert not session_state._forget_pending


async def test_a_user_admitted_after_someone_elses_data_keeps_the_session_through_the_rest(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    """The guard resets the states loaded for the event and leaves the rest to the
    middleware, which must not sign out the user the guard has just admitted."""
    _, session_state, home = await _student_tab(root_state, substate, signed_in)
    network = substate(NetworkState)
    network.nodes = [{"id": "planted"}]
    _, other_token = signed_in(Role.STUDENT, name="Bea Next")
    open_page(session_state, other_token, routes.HOME)
    await run(home, "load")
    assert session_state._forget_pending and session_state.user_name == "Bea Next"
    await _preprocess(root_state, Event(name=f"{StudentHomeState.get_full_name()}.load"))
    assert network.nodes == [] and not session_state._forget_pending
    assert session_state.auth_token == other_token and session_state.user_name == "Bea Next"
    assert session_state._presented_token() == other_token


async def test_signing_in_on_a_tab_with_someone_elses_data_forgets_it_first(
        root_state: rx.State, substate: Any, signed_in: Any) -> None:
    _, session_state, home = await _student_tab(root_state, substate, signed_in)
    user_id, _ = signed_in(Role.STUDENT, name="Cal Second")
    login = substate(LoginState)
    open_page(session_state, "", routes.LOGIN)
    await call(login, "submit", {"email": f"student{user_id}@uni.edu", "password": PASSWORD})
    assert home.explorations == []
    await _preprocess(root_state, Event(name=f"{StudentHomeState.get_full_name()}.load"))
    assert not session_state._forget_pending and session_state._presented_token()
    assert session_state.user_name == "Cal Second" and session_state._data_owner == user_id
