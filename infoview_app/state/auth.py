"""Sign-in, registration and sign-out."""

import hashlib
from typing import TYPE_CHECKING, Any

import reflex as rx
from sqlmodel import Session

from infoview_app import db, routes
from infoview_app.config import self_registration_domains, session_lifetime, smtp_settings
from infoview_app.models import Role
from infoview_app.services.accounts import recovery, registration, user_accounts
from infoview_app.services.core import mail
from infoview_app.services.core.errors import InvalidInput
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
    page_url,
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


CONFIRM_HINT = "We'll email you a link to confirm it."


class RegisterState(SignedOutPage, SessionState):
    sent_to: rx.Field[str] = rx.field("")
    mail_ready: rx.Field[bool] = rx.field(True)
    email_hint: rx.Field[str] = rx.field(CONFIRM_HINT)

    @guarded(PUBLIC)
    async def load(self) -> Any:
        self.errors, self.sent_to = {}, ""
        self.mail_ready = smtp_settings() is not None
        domains = " or ".join(f"@{domain}" for domain in self_registration_domains())
        self.email_hint = f"Use your {domains} address. {CONFIRM_HINT}" if domains \
            else CONFIRM_HINT
        return self._home_if_signed_in()

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> None:
        """Counted per client address, and per address emailed, first (services/core/
        throttle.py); the hashing runs in the Argon2 pool. The page then says "check your
        email", whether the address was new or not (services/accounts/registration.py)."""
        self.errors, self.sent_to = {}, ""
        settings = smtp_settings()
        if settings is None:
            raise InvalidInput("This InfoView can't send email yet, so it can't check a new "
                               "address. Ask the career office for an account.", "form")
        await app_throttle().registration(client_address(self))
        done = await in_argon2_pool(
            registration.register_student, form_data,
            registration.Links(verify=page_url(routes.VERIFY_EMAIL),
                               sign_in=page_url(routes.LOGIN),
                               forgot=page_url(routes.FORGOT_PASSWORD)),
            by=acting(self))
        # Counted once the form is valid: fixing a typo sends no email.
        await app_throttle().emailing(client_address(self), done.email)
        mail.post(settings, done.message)
        self.sent_to = done.email


class EmailedLinkPage(SignedOutPage, mixin=True):
    """A page an emailed link opens (its token in the query): it says at once whether the
    link still works, and uses it up only when the person acts, so that a mail scanner
    opening the link uses up nothing."""

    link_works: rx.Field[bool] = rx.field(True)

    def _token(self) -> str:
        return self.router.url.query_parameters.get("token", "")

    def _link_works(self, session: Session, token: str) -> bool:
        raise NotImplementedError

    @guarded(PUBLIC)
    async def load(self) -> Any:
        self.errors = {}
        with db.session() as session:
            self.link_works = self._link_works(session, self._token())
        return self._home_if_signed_in()


class VerifyEmailState(EmailedLinkPage, SessionState):

    def _link_works(self, session: Session, token: str) -> bool:
        return registration.verify_link_works(session, token)

    @guarded(PUBLIC)
    async def confirm(self) -> Any:
        self.errors = {}
        with db.session() as session:
            new = registration.verify_email(session, self._token(), session_lifetime(),
                                            by=acting(self))
        await self._begin_session(new.token, new.user_id, new.name, Role.STUDENT.value)
        return [_claim_kept_text(new.user_id), rx.redirect(routes.HOME),
                rx.toast.success("Your address is confirmed. Welcome to InfoView!")]


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
        await app_throttle().emailing(client_address(self), email)
        with db.session() as session:
            reset = recovery.request_reset(session, email, page_url(routes.RESET_PASSWORD),
                                           by=acting(self))
        if reset is not None:
            mail.post(smtp_settings(), reset.message)
        self.sent_to = str(email).strip()


class ResetPasswordState(EmailedLinkPage, SessionState):

    def _link_works(self, session: Session, token: str) -> bool:
        return recovery.reset_link_works(session, token)

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
