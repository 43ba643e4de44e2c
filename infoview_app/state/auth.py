"""Sign-in, registration and sign-out."""

import hashlib
from typing import TYPE_CHECKING, Any

import reflex as rx

from infoview_app import db, routes
from infoview_app.config import session_lifetime, smtp_settings
from infoview_app.models import Role
from infoview_app.services.accounts import recovery, user_accounts
from infoview_app.services.core import mail
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
    reset_page_url,
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


class ForgotPasswordState(SignedOutPage, SessionState):
    sent_to: rx.Field[str] = rx.field("")
    mail_ready: rx.Field[bool] = rx.field(True)

    @guarded(PUBLIC)
    async def load(self) -> Any:
        self.errors, self.sent_to = {}, ""
        self.mail_ready = smtp_settings() is not None
        return self._home_if_signed_in()

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> None:
        """The same answer whether or not the address has an account; the email goes out in
        a mail thread (services/core/mail.py)."""
        self.errors, self.sent_to = {}, ""
        email = _form_value(form_data, "email")
        await app_throttle().password_reset(client_address(self), email)
        with db.session() as session:
            reset = recovery.request_reset(session, email, reset_page_url(), by=acting(self))
        if reset is not None:
            mail.post(smtp_settings(), reset.message)
        self.sent_to = str(email).strip()


class ResetPasswordState(SignedOutPage, SessionState):
    link_works: rx.Field[bool] = rx.field(True)

    def _token(self) -> str:
        return self.router.url.query_parameters.get("token", "")

    @guarded(PUBLIC)
    async def load(self) -> Any:
        self.errors = {}
        with db.session() as session:
            self.link_works = recovery.reset_link_works(session, self._token())
        return self._home_if_signed_in()

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> Any:
        """Hashing runs in the Argon2 pool, and only for a live link (the guard throttles
        visitors' events); every session of the account ends."""
        self.errors = {}
        await in_argon2_pool(recovery.reset_password, self._token(),
                             _form_value(form_data, "password"),
                             _form_value(form_data, "confirm_password"), by=acting(self))
        return [rx.redirect(routes.LOGIN),
                rx.toast.success("Your new password is set. Sign in with it.")]


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
