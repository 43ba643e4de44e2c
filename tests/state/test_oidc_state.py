"""Sign-in with the institution's OpenID provider through the real handlers, against a real
provider (tests/oidc_provider.py): the whole flow, forged and replayed callbacks, refusals,
sign-out at the provider, and password sign-in turned off."""

import itertools
import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import reflex as rx
from reflex.istate.data import ReflexURL, RouterData, SessionData
from sqlmodel import func, select

from infoview_app import db, routes
from infoview_app.models import AuthSession, OidcIdentity, Role, User
from infoview_app.services.accounts import oidc, user_accounts
from infoview_app.state.auth import (
    BrowserZoneState,
    LoginState,
    LogoutState,
    OidcState,
    RegisterState,
)
from infoview_app.state.base import SessionState
from tests import factories
from tests.oidc_provider import Provider
from tests.state.conftest import ORIGIN, asks_for_the_browsers_zone, call, redirect_path, run

BASE = "http://localhost:3000"
_addresses = itertools.count(1)


@pytest.fixture
def provider(oidc_provider: Provider, monkeypatch: pytest.MonkeyPatch, app_db: str) -> Provider:
    """The provider set up in InfoView's settings, as an institution would."""
    for name, value in oidc_provider.settings_environment(
            INFOVIEW_OIDC_REDIRECT_BASE=BASE, INFOVIEW_OIDC_BUTTON_LABEL="Sign in with Northfield",
            INFOVIEW_OIDC_ROLE_CLAIM="groups", INFOVIEW_OIDC_STAFF_VALUES="career-office",
            INFOVIEW_OIDC_ADMIN_VALUES="career-office-admins").items():
        monkeypatch.setenv(name, value)
    oidc.forget_cached()
    return oidc_provider


class Tab:
    """One browser tab: its root state, on one socket, at one URL."""

    def __init__(self) -> None:
        self.root = rx.State()
        self.socket = f"socket-{next(_addresses)}"
        self.address = f"198.51.100.{next(_addresses) % 250 + 1}"
        self.events: Any = None  # what the last callback returned
        self.visit(routes.LOGIN)

    def visit(self, path: str) -> None:
        self.root.router = RouterData(
            session=SessionData(session_id=self.socket, client_ip=self.address),
            url=ReflexURL(ORIGIN + path))

    def on(self, state_class: type) -> Any:
        return self.root.get_substate(state_class.get_full_name().split(".")[1:])

    @property
    def session_token(self) -> str:
        return self.on(SessionState).auth_token

    async def start(self, path: str = routes.LOGIN) -> str:
        """Click "Sign in with ...": the provider's authorize URL it is sent to."""
        self.visit(path)
        url = redirect_path(await run(self.on(OidcState), "start"))
        assert url is not None
        return url

    async def come_back(self, query: dict[str, str]) -> str | None:
        """The provider sends the tab back to the callback page with ``query``."""
        self.visit(f"{routes.OIDC_CALLBACK}?{urlencode(query)}")
        self.events = await run(self.on(OidcState), "callback")
        return redirect_path(self.events)


def count(model: type) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def nothing_opened(tab: Tab) -> None:
    assert tab.session_token == "" and tab.on(SessionState)._user_id == 0
    assert count(AuthSession) == 0


async def test_sign_in_with_the_provider_opens_a_session(provider: Provider) -> None:
    provider.set_user("st-1", {"email": "ana@northfield.edu", "email_verified": True,
                               "name": "Ana Ortiz"})
    tab = Tab()
    authorize = await tab.start(f"{routes.LOGIN}?next=/notes")
    query = parse_qs(urlsplit(authorize).query)
    assert authorize.startswith(provider.issuer)
    assert query["redirect_uri"] == [f"{BASE}{routes.OIDC_CALLBACK}"]
    assert query["code_challenge_method"] == ["S256"]
    state = tab.on(OidcState)
    # The secrets stay on the server: nothing the browser gets holds the verifier.
    assert state._oidc_verifier and state._oidc_verifier not in authorize
    assert state._oidc_verifier not in json.dumps(tab.root.dict(), default=str)
    assert query["state"] == [state._oidc_state] and query["nonce"] == [state._oidc_nonce]

    assert await tab.come_back(provider.authorize(authorize, "st-1")) == "/notes"
    with db.session() as session:
        user = user_accounts.resolve_session(session, tab.session_token)
    assert user is not None and (user.name, user.role) == ("Ana Ortiz", Role.STUDENT)
    assert tab.on(SessionState).user_name == "Ana Ortiz"
    # The browser is asked its time zone, which becomes the new account's.
    assert asks_for_the_browsers_zone(tab.events)
    call(tab.on(BrowserZoneState), "adopt", "America/Denver")
    with db.session() as session:
        assert session.get(User, user.id).time_zone == "America/Denver"
    assert state._oidc_state == state._oidc_nonce == state._oidc_verifier == ""
    id_token = state._id_token
    assert id_token and id_token not in json.dumps(tab.root.dict(), default=str)

    # Signing out ends the InfoView session, then the provider's, and comes back to /login.
    token = tab.session_token
    tab.visit(routes.HOME)
    events = await run(tab.on(LogoutState), "logout")
    url = redirect_path(events)
    assert url is not None and url.startswith(f"{provider.issuer}/oauth2/end_session?")
    assert parse_qs(urlsplit(url).query) == {"id_token_hint": [id_token],
                                             "post_logout_redirect_uri": [f"{BASE}/login"]}
    assert state._id_token == "" and tab.session_token == ""
    with db.session() as session:
        assert user_accounts.resolve_session(session, token) is None


async def test_the_role_claim_makes_a_staff_account_that_goes_to_the_staff_home(
        provider: Provider) -> None:
    provider.set_user("st-2", {"email": "lee@northfield.edu", "email_verified": True,
                               "name": "Lee Park", "groups": ["career-office"]})
    tab = Tab()
    assert await tab.come_back(provider.authorize(await tab.start(), "st-2")) == \
        routes.STAFF_HOME
    assert tab.on(SessionState).user_role == Role.STAFF.value


async def test_a_callback_without_a_start_changes_nothing(provider: Provider) -> None:
    """A forged callback: a code and a state this tab never started with."""
    provider.set_user("st-3", {"email": "bo@northfield.edu", "email_verified": True})
    other = Tab()
    stolen = provider.authorize(await other.start(), "st-3")  # someone else's sign-in
    tab = Tab()
    assert await tab.come_back(stolen) == routes.login_refused_url("state")
    assert await tab.come_back({"code": "x", "state": ""}) == routes.login_refused_url("state")
    nothing_opened(tab)
    assert count(User) == 0 and count(OidcIdentity) == 0


async def test_a_wrong_state_is_refused_and_the_started_sign_in_is_spent(
        provider: Provider) -> None:
    provider.set_user("st-4", {"email": "cy@northfield.edu", "email_verified": True})
    tab = Tab()
    back = provider.authorize(await tab.start(), "st-4")
    assert await tab.come_back({**back, "state": "forged"}) == routes.login_refused_url("state")
    # The right state afterwards is refused too: a started sign-in is used once.
    assert await tab.come_back(back) == routes.login_refused_url("state")
    nothing_opened(tab)
    assert count(User) == 0


async def test_a_sign_in_left_too_long_is_refused(provider: Provider) -> None:
    provider.set_user("st-5", {"email": "di@northfield.edu", "email_verified": True})
    tab = Tab()
    back = provider.authorize(await tab.start(), "st-5")
    tab.on(OidcState)._oidc_started -= oidc.REQUEST_LIFETIME_SECONDS + 1
    assert await tab.come_back(back) == routes.login_refused_url("state")
    nothing_opened(tab)


async def test_cancelling_at_the_provider_lands_on_login_with_a_message(
        provider: Provider) -> None:
    tab = Tab()
    back = provider.authorize(await tab.start(), None, deny=True)
    assert back["error"] == "access_denied"
    # An error with another tab's state is no answer to this tab's sign-in.
    assert await tab.come_back({**back, "state": "forged"}) == routes.login_refused_url("state")
    # The answer with this tab's state (as providers send it).
    back = provider.authorize(await tab.start(), None, deny=True)
    back["state"] = tab.on(OidcState)._oidc_state
    assert await tab.come_back(back) == routes.login_refused_url("denied")
    # This provider leaves the state out of its error answer: that is accepted too.
    back = provider.authorize(await tab.start(), None, deny=True)
    assert "state" not in back
    assert await tab.come_back(back) == routes.login_refused_url("denied")
    nothing_opened(tab)
    tab.visit(routes.login_refused_url("denied"))
    await run(tab.on(LoginState), "load")
    assert tab.on(LoginState).errors == {"form": oidc.REFUSALS["denied"]}


async def test_a_failed_code_exchange_opens_no_session(provider: Provider) -> None:
    tab = Tab()
    back = provider.authorize(await tab.start(), "st-6")
    assert await tab.come_back({**back, "code": "not-the-code"}) == \
        routes.login_refused_url("provider")
    nothing_opened(tab)


async def test_an_unverified_email_does_not_take_over_an_account(provider: Provider) -> None:
    with db.session() as session:
        victim = factories.student(session, email="eve@northfield.edu")
    provider.set_user("attacker", {"email": "eve@northfield.edu", "email_verified": False})
    tab = Tab()
    back = provider.authorize(await tab.start(), "attacker")
    assert await tab.come_back(back) == routes.login_refused_url("unverified")
    nothing_opened(tab)
    assert count(OidcIdentity) == 0 and count(User) == 1
    with db.session() as session:
        assert session.get(User, victim) is not None


async def test_only_known_refusals_show_on_the_sign_in_page(app_db: str) -> None:
    tab = Tab()
    tab.visit(f"{routes.LOGIN}?oidc=%3Cb%3Eyour+account+is+locked%3C%2Fb%3E")
    await run(tab.on(LoginState), "load")
    assert tab.on(LoginState).errors == {}


async def test_without_a_provider_there_is_no_button_and_start_is_refused(
        app_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INFOVIEW_OIDC_ISSUER", raising=False)
    tab = Tab()
    await run(tab.on(LoginState), "load")
    assert tab.on(LoginState).oidc_button == "" and tab.on(LoginState).password_forms
    assert redirect_path(await run(tab.on(OidcState), "start")) == \
        routes.login_refused_url("off")


async def test_password_sign_in_off_hides_and_refuses_the_password_forms(
        provider: Provider, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.session() as session:
        user = factories.account(session, Role.STUDENT, name="Fay", email="fay@northfield.edu")
    monkeypatch.setenv("INFOVIEW_PASSWORD_SIGN_IN", "off")
    tab = Tab()
    login = tab.on(LoginState)
    await run(login, "load")
    assert (login.password_forms, login.oidc_button) == (False, "Sign in with Northfield")
    events = await run(login, "submit", {"email": user.email, "password": factories.PASSWORD})
    assert redirect_path(events) is None and "turned off" in login.errors["form"]
    tab.visit(routes.REGISTER)
    register = tab.on(RegisterState)
    await run(register, "load")
    assert register.password_forms is False
    await run(register, "submit", {"name": "Gil", "email": "gil@northfield.edu",
                                   "password": "a-long-enough-password"})
    assert "turned off" in register.errors["form"]
    nothing_opened(tab)
    assert count(User) == 1


async def test_a_password_sign_out_does_not_go_to_the_provider(
        provider: Provider, signed_in: Any) -> None:
    _, token = signed_in(Role.STUDENT)
    tab = Tab()
    tab.visit(routes.HOME)
    tab.on(SessionState).auth_token = token
    assert redirect_path(await run(tab.on(LogoutState), "logout")) == routes.LOGIN
