"""Sign-in (with a password or with the institution's OpenID provider), registration with
an emailed address check, password reset by email, and sign-out."""

import hashlib
import secrets
import time
from typing import TYPE_CHECKING, Any

import reflex as rx
from sqlmodel import Session

from infoview_app import db, routes
from infoview_app.config import (
    OidcSettings,
    oidc_settings,
    password_sign_in,
    self_registration_domains,
    session_lifetime,
    smtp_settings,
)
from infoview_app.models import Role
from infoview_app.services.accounts import (
    oidc,
    oidc_accounts,
    recovery,
    registration,
    user_accounts,
    user_zones,
)
from infoview_app.services.core import mail
from infoview_app.services.core.errors import AuthError, InvalidInput, ServiceError, Throttled
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
    logger,
    page_url,
)


def _form_value(form_data: Any, key: str) -> Any:
    return form_data.get(key) if isinstance(form_data, dict) else None


def _claim_kept_text(user_id: int) -> Any:
    """Text the browser kept unsent (assets/unsent.js) belongs to whoever typed it: when
    someone else signs in on this browser, it is forgotten. The tag only tells users apart."""
    tag = hashlib.sha256(f"infoview-unsent:{user_id}".encode()).hexdigest()[:16]
    return rx.call_script(f"window.infoviewUnsent?.claim({tag!r})")


class BrowserZoneState(SessionState):
    """The browser's time zone, reported right after a sign-in: stored as the user's own
    only if known and the user has none yet (services/accounts/user_zones.py)."""

    @guarded(SIGNED_IN)
    def adopt(self, name: Any) -> None:
        with db.session() as session:
            user_zones.adopt_browser_zone(session, self._user_id, name)


def _signed_in(user_id: int, destination: str) -> list[Any]:
    """The events that end every sign-in: the kept text claimed, the browser's time zone
    reported (Intl, as every browser names it) and the page to go to."""
    return [_claim_kept_text(user_id),
            rx.call_script("Intl.DateTimeFormat().resolvedOptions().timeZone",
                           callback=BrowserZoneState.adopt),
            rx.redirect(destination)]


def _oidc_button_label() -> str:
    settings = oidc_settings()
    return settings.button_label if settings is not None else ""


def _require_password_sign_in() -> None:
    if not password_sign_in():
        raise AuthError("Sign-in with a password is turned off here: use your institution's "
                        "sign-in.")


class SignedOutPage(FormState, mixin=True):
    """The pages of someone not signed in (sign-in, registration, the emailed links'): a
    form, and a signed-in visitor goes home instead. Which ways to sign in they offer is read
    from the settings (config.py) at start-up, and again on every load."""

    # The "Sign in with ..." button's label; "" when no provider is set up (no button).
    oidc_button: rx.Field[str] = rx.field(_oidc_button_label())
    # Whether the password forms show (INFOVIEW_PASSWORD_SIGN_IN).
    password_forms: rx.Field[bool] = rx.field(password_sign_in())

    if TYPE_CHECKING:
        # SessionState's, which every state using this mixin also derives from.
        def _home_if_signed_in(self) -> Any: ...
        def _present_kept_token(self) -> Any: ...
        router: Any

    def _loaded(self) -> None:
        """What a page's load adds (nothing by default)."""

    def _not_signed_in(self) -> Any:
        """What a page's load returns to a visitor not signed in (nothing by default)."""
        return None

    @guarded(PUBLIC)
    async def load(self) -> Any:
        self.errors = {}
        self.oidc_button, self.password_forms = _oidc_button_label(), password_sign_in()
        self._loaded()
        return self._home_if_signed_in() or self._not_signed_in()


class LoginState(SignedOutPage, SessionState):

    def _not_signed_in(self) -> Any:
        """A tab that lost its state on the server presents the token it kept."""
        return self._present_kept_token()

    def _loaded(self) -> None:
        """The reason a sign-in with the provider was refused (routes.login_refused_url: a
        code, never text from the URL)."""
        code = self.router.url.query_parameters.get("oidc", "")
        if isinstance(code, str) and code in oidc.REFUSALS:
            self.errors = {"form": oidc.REFUSALS[code]}

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> Any:
        """Throttled per client address before any password is checked (services/core/throttle.py);
        the check itself runs in the Argon2 pool."""
        self.errors = {}
        _require_password_sign_in()
        email = _form_value(form_data, "email")
        async with app_throttle().sign_in(client_address(self), email):
            user, token = await in_argon2_pool(user_accounts.sign_in, email,
                                               _form_value(form_data, "password"),
                                               session_lifetime(), by=acting(self))
        await self._begin_session(token, user.id, user.name, user.role.value)
        next_path = routes.safe_next(self.router.url.query_parameters.get("next", ""))
        return _signed_in(user.id, next_path or routes.home_for(user.role))


CONFIRM_HINT = "We'll email you a link to confirm it."


class EmailingPage(SignedOutPage, mixin=True):
    """A signed-out page whose form is answered by email (registration, a password reset):
    "check your email" once sent (``sent_to``), or what to do instead when this InfoView
    can't send email (``mail_ready``)."""

    sent_to: rx.Field[str] = rx.field("")
    mail_ready: rx.Field[bool] = rx.field(True)

    def _loaded(self) -> None:
        self.sent_to = ""
        self.mail_ready = smtp_settings() is not None


class RegisterState(EmailingPage, SessionState):
    email_hint: rx.Field[str] = rx.field(CONFIRM_HINT)

    def _loaded(self) -> None:
        super()._loaded()
        domains = " or ".join(f"@{domain}" for domain in self_registration_domains())
        self.email_hint = f"Use your {domains} address. {CONFIRM_HINT}" if domains \
            else CONFIRM_HINT

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> None:
        """Counted per client address, and per address emailed, first (services/core/
        throttle.py); the hashing runs in the Argon2 pool. The page then says "check your
        email", whether the address was new or not (services/accounts/registration.py)."""
        self.errors, self.sent_to = {}, ""
        _require_password_sign_in()
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

    def _loaded(self) -> None:
        with db.session() as session:
            self.link_works = self._link_works(session, self._token())


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
        return [*_signed_in(new.user_id, routes.HOME),
                rx.toast.success("Your address is confirmed. Welcome to InfoView!")]


class ForgotPasswordState(EmailingPage, SessionState):

    @guarded(PUBLIC)
    async def submit(self, form_data: dict[str, Any]) -> None:
        """The same answer whether or not the address has an account; the email goes out in
        a mail thread (services/core/mail.py)."""
        self.errors, self.sent_to = {}, ""
        _require_password_sign_in()
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
        _require_password_sign_in()
        await in_argon2_pool(recovery.reset_password, self._token(),
                             _form_value(form_data, "password"),
                             _form_value(form_data, "confirm_password"), by=acting(self))
        return [rx.redirect(routes.LOGIN),
                rx.toast.success("Your new password is set. Sign in with it.")]


def _oidc_redirect_uri(settings: OidcSettings) -> str:
    """The callback URL registered at the provider: INFOVIEW_OIDC_REDIRECT_BASE, else the
    app's deploy URL (rxconfig.py, REFLEX_DEPLOY_URL), + routes.OIDC_CALLBACK. Never the
    page's own URL, which the browser reports."""
    if settings.redirect_base:
        return f"{settings.redirect_base}{routes.OIDC_CALLBACK}"
    return page_url(routes.OIDC_CALLBACK)


def _to_login(state: Any, error: ServiceError) -> Any:
    """A refused sign-in with the provider: to /login with the reason's code, signed out."""
    if isinstance(error, oidc.OidcRefused):
        code = error.code
        if error.detail:
            logger.warning("Sign-in with the provider refused (%s): %s", code, error.detail)
    else:
        code = "busy" if isinstance(error, Throttled) else "failed"
    return rx.redirect(routes.login_refused_url(code))


def _settings() -> OidcSettings:
    settings = oidc_settings()
    if settings is None:
        raise oidc.OidcRefused("off")
    return settings


class OidcState(SessionState):
    """Sign-in with the institution's OpenID provider (services/accounts/oidc.py). The
    secrets of a started sign-in stay in this tab's backend vars, never sent to the browser;
    the callback uses them once."""

    _oidc_state: str = ""
    _oidc_nonce: str = ""
    _oidc_verifier: str = ""
    _oidc_started: float = 0.0
    _oidc_next: str = ""
    # The ID token of the provider sign-in that opened this tab's session: the hint of the
    # provider's sign-out (LogoutState.logout).
    _id_token: str = ""

    @guarded(PUBLIC, refused=_to_login)
    async def start(self) -> Any:
        """The sign-in page's "Sign in with ..." button: to the provider's authorize page."""
        settings = _settings()
        metadata = await oidc.discover(settings.issuer)
        request = oidc.authorization_request(metadata, settings, _oidc_redirect_uri(settings))
        self._oidc_state, self._oidc_nonce = request.state, request.nonce
        self._oidc_verifier, self._oidc_started = request.code_verifier, time.time()
        self._oidc_next = routes.safe_next(self.router.url.query_parameters.get("next", ""))
        return rx.redirect(request.url)

    def _take_request(self) -> tuple[str, str, str, float, str]:
        """The started sign-in's secrets, forgotten here: each is used once."""
        taken = (self._oidc_state, self._oidc_nonce, self._oidc_verifier, self._oidc_started,
                 self._oidc_next)
        self._oidc_state = self._oidc_nonce = self._oidc_verifier = self._oidc_next = ""
        self._oidc_started = 0.0
        return taken

    @guarded(PUBLIC, refused=_to_login)
    async def callback(self) -> Any:
        """The page the provider sends the browser back to: the ``state`` must be the one
        this tab started with (and not too old), then the code is exchanged, the ID token
        verified, and the account signed in as a password sign-in would be."""
        query = self.router.url.query_parameters
        expected, nonce, verifier, started, next_path = self._take_request()
        returned, error = query.get("state", ""), query.get("error")
        if not expected or time.time() - started > oidc.REQUEST_LIFETIME_SECONDS:
            raise oidc.OidcRefused("state", "no sign-in started on this tab")
        # An error answer carries the state too, but some providers leave it out: one
        # without it only ends the started sign-in, with the provider's message.
        if (returned or error is None) and not (isinstance(returned, str) and
                                                secrets.compare_digest(returned.encode(),
                                                                       expected.encode())):
            raise oidc.OidcRefused("state", "not the state this tab's sign-in started with")
        if error is not None:
            raise oidc.OidcRefused("denied" if error == "access_denied" else "provider",
                                   f"the provider answered {error!r}")
        settings = _settings()
        metadata = await oidc.discover(settings.issuer)
        id_token = await oidc.exchange_code(metadata, settings, query.get("code"), verifier,
                                            _oidc_redirect_uri(settings))
        identity = await oidc.verified_identity(metadata, settings, id_token, nonce)
        user, token = await in_argon2_pool(oidc_accounts.sign_in_with_identity, identity,
                                           session_lifetime(), by=acting(self))
        await self._begin_session(token, user.id, user.name, user.role.value)
        self._id_token = id_token
        return _signed_in(user.id, next_path or routes.home_for(user.role))


class LogoutState(SessionState):
    @guarded(SIGNED_IN)
    async def logout(self) -> Any:
        """End the InfoView session; after a sign-in with the provider, sign out there too
        when it offers it (its end_session_endpoint), coming back to /login."""
        with db.session() as session:
            user_accounts.sign_out(session, self.auth_token, by=acting(self))
        id_token = (await self.get_state(OidcState))._id_token
        events = await self._signed_out()
        settings = oidc_settings()
        if id_token and settings is not None:
            back = _oidc_redirect_uri(settings).removesuffix(routes.OIDC_CALLBACK)
            if url := await oidc.provider_sign_out_url(settings.issuer, id_token,
                                                       f"{back}{routes.LOGIN}"):
                events[-1] = rx.redirect(url)
        return events


class ShellState(SessionState):
    @guarded(SIGNED_IN)
    def load(self) -> None:
        """Only the guard's work is needed: it resolves who is signed in for the navigation."""
