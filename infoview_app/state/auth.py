"""Sign-in, registration and sign-out."""

import hashlib
from typing import TYPE_CHECKING, Any

import reflex as rx

from infoview_app import db, routes
from infoview_app.config import session_lifetime
from infoview_app.models import Role
from infoview_app.services.accounts import user_accounts
from infoview_app.state.base import (
    PUBLIC,
    SIGNED_IN,
    FormState,
    SessionState,
    acting,
    app_throttle,
    client_address,
    guarded,
    in_argon2_pool,
)


def _form_value(form_data: Any, key: str) -> Any:
    return form_data.get(key) if isinstance(form_data, dict) else None


def _claim_kept_text(user_id: int) -> Any:
    """Text the browser kept unsent (assets/unsent.js) belongs to whoever typed it: when
    someone else signs in on this browser, it is forgotten. The tag only tells users apart."""
    tag = hashlib.sha256(f"infoview-unsent:{user_id}".encode()).hexdigest()[:16]
    return rx.call_script(f"window.infoviewUnsent?.claim({tag!r})")


class SignedOutPage(FormState, mixin=True):
    """The sign-in and sign-up pages: a form, and a signed-in visitor goes home instead."""

    if TYPE_CHECKING:
        # SessionState's, which every state using this mixin also derives from.
        def _home_if_signed_in(self) -> Any: ...

    @guarded(PUBLIC)
    async def load(self) -> Any:
        self.errors = {}
        return self._home_if_signed_in()


class LoginState(SignedOutPage, SessionState):

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> Any:
        """Throttled per client address before any password is checked (services/core/throttle.py);
        the check itself runs in the Argon2 pool."""
        self.errors = {}
        email = _form_value(form_data, "email")
        async with app_throttle().sign_in(client_address(self), email):
            user, token = await in_argon2_pool(user_accounts.sign_in, email,
                                               _form_value(form_data, "password"),
                                               session_lifetime(), by=acting(self))
        await self._begin_session(token, user.id, user.name, user.role.value)
        next_path = routes.safe_next(self.router.url.query_parameters.get("next", ""))
        return [_claim_kept_text(user.id), rx.redirect(next_path or routes.home_for(user.role))]


class RegisterState(SignedOutPage, SessionState):

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> Any:
        """Counted per client address first (services/core/throttle.py); the hashing runs in the
        Argon2 pool."""
        self.errors = {}
        await app_throttle().registration(client_address(self))
        new = await in_argon2_pool(user_accounts.register_student, form_data,
                                   session_lifetime(), by=acting(self))
        await self._begin_session(new.token, new.user_id, new.name, Role.STUDENT.value)
        return [_claim_kept_text(new.user_id), rx.redirect(routes.HOME)]


class LogoutState(SessionState):
    @guarded(SIGNED_IN)
    async def logout(self) -> Any:
        with db.session() as session:
            user_accounts.sign_out(session, self.auth_token, by=acting(self))
        return await self._signed_out()


class ShellState(SessionState):
    @guarded(SIGNED_IN)
    def load(self) -> None:
        """Only the guard's work is needed: it resolves who is signed in for the navigation."""
