"""Nothing of a student reaches the next person at the same tab (issue 10, point 1).

Reflex keeps a tab's states on the server under its client token, which is no secret, and its
hydration sends them to whoever connects with that token. A raw socket plays the next person:
it reconnects with the closed tab's client token after the student signed out, deleted the
account, or let the session expire, and must receive none of the strings planted in the
student's notes, pitch, research notes and contact.
"""

import time
from collections.abc import Callable
from typing import Any

import pytest
from reflex.state import State
from sqlmodel import select, update

from infoview_app import db, routes
from infoview_app.models import AuthSession, User
from infoview_app.services.accounts import user_accounts
from infoview_app.state.account import AccountState
from infoview_app.state.auth import LoginState, LogoutState
from infoview_app.state.base import SessionState
from tests.live.conftest import PASSWORD, expire_sessions
from tests.live.interview_data import eventually
from tests.live.socket_client import ReflexSocket, Replies, event_name, form, storage_key
from tests.private_data import PlantedJourney, planted_journey

AUTH_TOKEN = storage_key(SessionState, "auth_token")


def _signed_in_tab(backend_url: str, user: dict[str, Any]) -> tuple[ReflexSocket, str]:
    tab = ReflexSocket(backend_url, path=routes.LOGIN)
    tab.connect()
    replies = tab.call(event_name(LoginState, "submit"),
                       form_data=form({"email": user["email"], "password": user["password"]}))
    token = replies.var(SessionState, "auth_token")
    assert token, replies.text()[:1000]
    return tab, token


def _open_every_page(tab: ReflexSocket, journey: PlantedJourney) -> str:
    return "".join(tab.navigate(path).text() for path in journey.pages())


def _reconnect(backend_url: str, client_token: str, path: str,
               local_storage: dict[str, Any] | None) -> Replies:
    """Connect with a closed tab's client token and hydrate, as the next person's reload of
    that tab does (or a script that read the token from the socket URL)."""
    for _ in range(40):
        intruder = ReflexSocket(backend_url, path=path)
        intruder.token = client_token
        try:
            replies = intruder.connect(local_storage)
            if intruder.token == client_token:
                return replies
        finally:
            intruder.close()
        time.sleep(0.25)  # the backend had not yet released the closed tab's token
    pytest.fail("the backend kept the closed tab's client token in use")


def _deactivate(user_id: int) -> None:
    with db.session() as session:
        session.exec(update(User).where(User.id == user_id).values(is_active=False))
        session.commit()


def _revoke_sessions(user_id: int) -> None:
    with db.session() as session:
        session.exec(user_accounts.ending_sessions(user_id))
        session.commit()


ENDINGS = ["sign-out", "account deletion", "session expiry", "sessions revoked",
           "account deactivated", "tab closed"]
# Endings that leave the session token in the browser's storage, which the reload presents.
TOKEN_LEFT_BEHIND = {"session expiry": expire_sessions, "sessions revoked": _revoke_sessions,
                     "account deactivated": _deactivate}


@pytest.mark.parametrize("ending", ENDINGS)
def test_the_next_person_at_the_tab_receives_nothing_of_the_student(
        backend_url: str, make_user: Callable[..., dict[str, Any]], ending: str) -> None:
    student = make_user(name="Priya Private")
    journey = planted_journey(student["id"])
    tab, session_token = _signed_in_tab(backend_url, student)
    seen = _open_every_page(tab, journey)
    # Positive control: the pages did load every secret into the tab's states.
    assert journey.found_in(seen) == list(journey.secrets)

    browser_storage: dict[str, Any] = {AUTH_TOKEN: ""}
    if ending == "sign-out":
        replies = tab.call(event_name(LogoutState, "logout"))
        assert replies.redirects()[-1] == routes.LOGIN
    elif ending == "account deletion":
        tab.navigate(routes.ACCOUNT)
        replies = tab.call(event_name(AccountState, "delete_account"),
                           form_data=form({"delete_password": PASSWORD}))
        assert replies.redirects()[-1] == routes.LOGIN
    elif ending in TOKEN_LEFT_BEHIND:
        TOKEN_LEFT_BEHIND[ending](student["id"])
        browser_storage = {AUTH_TOKEN: session_token}  # what the browser still holds
    else:  # a script reusing the client token of a tab that is simply closed
        browser_storage = {}
    tab.close()

    for path in (routes.HOME, routes.exploration_url(journey.exploration_id, 5), routes.NOTES):
        replies = _reconnect(backend_url, tab.token, path, browser_storage)
        assert replies, "the reconnect received no hydration"
        assert replies.sent(State, "is_hydrated")
        assert journey.found_in(replies.text()) == [], f"leaked on {path}"


def test_the_owner_reconnecting_with_a_live_session_gets_their_data_back(
        backend_url: str, make_user: Callable[..., dict[str, Any]]) -> None:
    """Positive control for the forgetting: a reload by the signed-in student keeps the tab."""
    student = make_user(name="Omar Owner")
    journey = planted_journey(student["id"])
    tab, session_token = _signed_in_tab(backend_url, student)
    _open_every_page(tab, journey)
    tab.close()
    replies = _reconnect(backend_url, tab.token, routes.NOTES, {AUTH_TOKEN: session_token})
    assert journey.found_in(replies.text()), "the owner's own notes page came back empty"
    assert replies.var(SessionState, "user_name") == "Omar Owner"


def test_account_deletion_leaves_no_stored_state_on_disk(
        backend_url: str, make_user: Callable[..., dict[str, Any]]) -> None:
    """The disk state manager keeps each state of a tab in .states/: after the account is
    deleted, none of those files holds the student's data."""
    from reflex.utils.prerequisites import get_states_dir

    student = make_user(name="Dina Disk")
    journey = planted_journey(student["id"])
    tab, _ = _signed_in_tab(backend_url, student)
    _open_every_page(tab, journey)
    states_dir = get_states_dir().absolute()

    def stored() -> str:
        texts = []
        for path in states_dir.glob("*.pkl"):
            try:
                texts.append(path.read_bytes().decode("utf-8", "replace"))
            except FileNotFoundError:  # the state manager purged it meanwhile
                continue
        return "".join(texts)

    # Positive control: the states were written to disk with the student's data in them.
    eventually(lambda: journey.found_in(stored()))
    tab.navigate(routes.ACCOUNT)
    tab.call(event_name(AccountState, "delete_account"),
             form_data=form({"delete_password": PASSWORD}))
    tab.close()
    eventually(lambda: not journey.found_in(stored()))
    with db.session() as session:
        assert session.exec(select(AuthSession).where(
            AuthSession.user_id == student["id"])).first() is None
