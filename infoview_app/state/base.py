"""The one access guard.

Any browser can call any public handler with any arguments, so every handler of every state
is declared with ``@guarded(POLICY)``, naming who may call it (one of the policies below).
Before the handler's body runs, the guard resolves the session token from the browser's
LocalStorage into the current user (a fresh database look-up on every event: a revoked session
or a deactivated account stops working at once), refuses a missing user or a wrong role, and
afterwards turns a ServiceError into messages beside the form's fields (``FormState``) or a
toast, so no server exception reaches the page. Handlers never catch ServiceError themselves.
"""

import asyncio
import contextvars
import functools
import inspect
import logging
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import reflex as rx
from reflex.config import get_config
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from infoview_app import db, routes
from infoview_app.models import Role
from infoview_app.services.accounts import passwords, user_accounts
from infoview_app.services.accounts.audit import Actor
from infoview_app.services.core import throttle
from infoview_app.services.core.errors import InvalidInput, ServiceError
from infoview_app.services.core.time_zones import today_in

GUARD_MARK = "__infoview_guard__"  # on every guarded handler: its Policy
UPLOAD_TOKEN = "session_token"  # the parameter of an upload handler that carries the proof
logger = logging.getLogger("infoview")
R = TypeVar("R")
# What an event gets while the database can't be reached (a restart, a fail-over): the
# transaction was rolled back, so nothing was half-saved; the page's autosaved text stays in
# the browser and is sent again (assets/unsent.js); the pool reconnects once it is back.
DATABASE_UNAVAILABLE = "The database is unavailable; retrying."


@dataclass(frozen=True)
class Policy:
    """Who may call a handler: the roles of the signed-in users it admits, or None when it
    also admits visitors who are not signed in."""

    name: str
    roles: frozenset[Role] | None


STUDENT = Policy("students", frozenset({Role.STUDENT}))
# The career office: its staff and its admins.
STAFF = Policy("staff", frozenset({Role.STAFF, Role.ADMIN}))
ADMIN = Policy("admins", frozenset({Role.ADMIN}))
SIGNED_IN = Policy("signed in", frozenset(Role))  # any signed-in user
# Also visitors who are not signed in (the sign-in and registration forms, the office's
# contact block); the user is still resolved if there is one. See ``guarded``.
PUBLIC = Policy("public", None)


class Refusal(NamedTuple):
    """What a refused event returns instead of running the handler (None: nothing at all)."""

    events: Any


def refusal_messages(error: ServiceError) -> dict[str, str]:
    """A refused request's message(s) by form field ("form": one that belongs to no field)."""
    if isinstance(error, InvalidInput) and error.errors:
        return dict(error.errors)
    return {error.field or "form": error.message}


class FormState(rx.State, mixin=True):
    """A state whose page shows a form: the guard puts a refused request's messages beside
    its fields, in ``errors`` (see ``refusal_messages``), rather than in a toast."""

    errors: rx.Field[dict[str, str]] = rx.field(default_factory=dict)


SESSION_STORAGE_KEY = "infoview_session"  # the browser's LocalStorage key of the session token
# Who is signed in on a tab: what forgetting the rest of a tab keeps (in this order).
_SESSION_FIELDS = ("auth_token", "user_name", "user_role", "_user_id", "_role", "_data_owner",
                   "_zone_key", "_token_sid")


class SessionState(rx.State):
    """Root of every InfoView state: the session token and who is signed in."""

    auth_token: str = rx.LocalStorage("", name=SESSION_STORAGE_KEY)
    user_name: rx.Field[str] = rx.field("")
    user_role: rx.Field[str] = rx.field("")

    _user_id: int = 0
    _role: str = ""
    # Whose data the pages of this tab have loaded (0: nobody's). The tab's states are
    # forgotten (see state/tab_privacy.py) before anyone else's session, or none, is served.
    _data_owner: int = 0
    # Set when the guard could only forget the states loaded for this event: the tab privacy
    # middleware forgets the rest before the next event.
    _forget_pending: bool = False
    # The socket connection on which auth_token was last set. Reflex keeps state under the
    # tab's client token, which is no secret (it is in the socket URL): a script reusing a
    # closed tab's client token without presenting the session token must not inherit it.
    _token_sid: str = ""
    # The signed-in user's ``institution.reader_zone`` as of this event's guard (its key).
    _zone_key: str = "UTC"

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name == "auth_token":
            # Set by the browser on (re)connect (hydrate) or by a sign-in on this connection.
            super().__setattr__("_token_sid", self._socket_id())

    def _socket_id(self) -> str:
        return self.router.session.session_id or ""

    def _presented_token(self) -> str:
        """The session token, only if it was presented on the current connection."""
        if self.auth_token and self._token_sid == self._socket_id():
            return self.auth_token
        return ""

    def _refusal(self, policy: Policy, upload: bool, arguments: dict[str, Any],
                 session: Session) -> Refusal | None:
        """The guard's check before a handler runs (see ``guarded``): None to run it."""
        if upload and not self._uploader_holds_token(arguments.get(UPLOAD_TOKEN)):
            logger.warning("Upload refused: it did not carry the tab's session token.")
            return Refusal(None)
        refusing = self._admit(policy.roles, session)
        return None if refusing is None else Refusal(refusing)

    async def _count_visitor(self, policy: Policy) -> None:
        """A visitor's event on a public handler, counted per client address
        (services/throttle.py): Throttled past the limit."""
        if policy.roles is None and not self._user_id:
            await app_throttle().visitor_event(client_address(self))

    def _admit(self, roles: frozenset[Role] | None, session: Session) -> Any:
        """Resolve the signed-in user (and the zone their pages read times in, which the
        same statement returns); return None to proceed or the event that refuses."""
        user = user_accounts.resolve_session(session, self._presented_token())
        if self._data_owner and (user is None or user.id != self._data_owner):
            self._forget_loaded_states()
        if user is None:
            self._user_id, self._role, self._data_owner = 0, "", 0
            self._show_user("", "")
            if roles is None:
                return None
            if self.auth_token:
                self.auth_token = ""
            url = self.router.url
            return rx.redirect(routes.login_url(f"{url.path}?{url.query}" if url.query
                                                else url.path))
        self._user_id, self._role, self._data_owner = user.id, user.role.value, user.id
        self._zone_key = user.zone
        self._show_user(user.name, user.role.value)
        if roles is not None and user.role not in roles:
            return rx.redirect(routes.NOT_ALLOWED)
        return None

    async def _signed_out(self) -> list[Any]:
        """After signing out or deleting the account: forget the user in every state of this
        tab on the server and in the browser, with any text it still kept unsent
        (assets/unsent.js), and go to the sign-in page."""
        await self._forget_tab()
        return [rx.call_script("window.infoviewUnsent?.clear()"), rx.redirect(routes.LOGIN)]

    async def _begin_session(self, token: str, user_id: int, name: str, role: str) -> None:
        """A sign-in on this tab: a tab still holding someone else's data forgets it first."""
        if self._data_owner and self._data_owner != user_id:
            await self._forget_tab()
        self.auth_token = token
        self._data_owner = user_id
        self._show_user(name, role)

    def _forget_loaded_states(self) -> None:
        """Reset every InfoView state loaded for this event to its defaults (frontend and
        backend vars alike). A state manager that loads states lazily (Redis) may hold more
        of them: the tab privacy middleware forgets those before the next event. Who is signed
        in is kept: the guard sets it right after (none, or the user it has just admitted)."""
        session_state = self._session_state()
        session_state._reset_keeping_session()
        session_state._forget_pending = True

    async def _forget_tab(self, *, keep_session: bool = False) -> None:
        """Reset every InfoView state of this tab, loading those not loaded yet, so nothing
        of the user is left on the server: the state manager then stores the defaults over
        what it kept (in memory, in .states/ on disk, or in Redis). ``keep_session`` keeps
        who is signed in on the tab now (the rest of a ``_forget_loaded_states``)."""
        root = self._get_root_state()
        for state_class in tab_state_classes():
            await root.get_state(state_class)
        session_state = await root.get_state(SessionState)
        assert isinstance(session_state, SessionState)
        if keep_session:
            session_state._reset_keeping_session()
        else:
            session_state.reset()

    def _reset_keeping_session(self) -> None:
        """Reset this SessionState and its loaded substates, but not who is signed in."""
        kept = {name: getattr(self, name) for name in _SESSION_FIELDS}
        self.reset()
        for name, value in kept.items():  # _token_sid last: setting auth_token moves it
            setattr(self, name, value)

    def _session_state(self) -> "SessionState":
        state: Any = self
        while type(state) is not SessionState:
            state = state.parent_state
        return state

    def _assign(self, **values: Any) -> None:
        """Set vars, skipping unchanged ones: an unchanged var sends nothing to the browser."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _show_user(self, name: str, role: str) -> None:
        self._assign(user_name=name, user_role=role)

    def _reader_zone(self) -> ZoneInfo:
        """The signed-in user's ``institution.reader_zone``, as the guard read it with the
        session on this event: no statement of its own."""
        return ZoneInfo(self._zone_key)

    def _today(self) -> date:
        """The signed-in user's today (``institution.today_for``) in ``_reader_zone``."""
        return today_in(self._reader_zone())

    def _home_if_signed_in(self) -> Any:
        """On the sign-in and sign-up pages: a signed-in visitor goes to the page asked for
        (a safe ``next``), else to their home."""
        if not self._user_id:
            return None
        next_path = routes.safe_next(self.router.url.query_parameters.get("next", ""))
        return rx.redirect(next_path or routes.home_for(self._role))

    def _present_kept_token(self) -> Any:
        """On the sign-in page of a tab that presented no session token on this connection:
        if the browser still keeps one, reload the page, which presents it (hydrate), and the
        signed-in visitor goes on to the page asked for. That is a tab whose state the server
        lost (Redis restarted): its next event found no state and the guard sent it here.
        Once only: after the reload the tab holds the token, valid or not."""
        if self._user_id or self.auth_token:
            return None
        return rx.call_script(f"localStorage.getItem({SESSION_STORAGE_KEY!r}) && "
                              "window.location.reload()")

    def _refuse_input(self, error: ServiceError) -> Any:
        """Show a refused request's message(s): beside the fields of a form state, else in a
        toast. What the guard does with a ServiceError unless the handler says otherwise."""
        if isinstance(self, FormState):
            self.errors = refusal_messages(error)
            return None
        return rx.toast.error(error.message)

    def _uploader_holds_token(self, token: Any) -> bool:
        """Whether an upload carries exactly the session token this tab holds (see
        ``guarded(upload=True)``); compared in constant time."""
        held = self.auth_token
        return (isinstance(token, str) and isinstance(held, str) and bool(held)
                and secrets.compare_digest(token.encode(), held.encode()))


def tab_state_classes() -> list[type[SessionState]]:
    """Every InfoView state class: SessionState and all its descendants, so a state that a
    future page adds is forgotten with the rest without the page doing anything."""
    found, todo = [], [SessionState]
    while todo:
        state_class = todo.pop()
        found.append(state_class)
        todo.extend(sub for sub in state_class.get_substates() if issubclass(sub, SessionState))
    return found


# Where ``guarded(off_loop=True)`` handlers run, guard and all: a worker's event loop serves
# other tabs while they wait on the database. Bounded below the engine's pool (5 + 10).
OFF_LOOP_THREADS = 4
_off_loop_pool = ThreadPoolExecutor(max_workers=OFF_LOOP_THREADS,
                                    thread_name_prefix="infoview-handler")


def guarded(policy: Policy, *, upload: bool = False,
            refused: Callable[[Any, ServiceError], Any] | None = None,
            off_loop: bool = False, read_only: bool = False) -> Callable[[Callable], Any]:
    """Declare a public event handler behind the access guard, admitting the users of
    ``policy``: STUDENT, STAFF (staff and admins), ADMIN, SIGNED_IN (any signed-in user) or
    PUBLIC. PUBLIC also admits visitors who are not signed in (sign-in and registration
    forms), still resolving the user if there is one; such handlers are async, so that the
    visitor's event is counted per client address (services/throttle.py) without blocking
    the event loop, and refused past the limit.

    A ServiceError from the handler becomes messages beside a form state's fields, or a toast
    (``SessionState._refuse_input``); handlers never catch it themselves. ``refused(state,
    error)`` replaces that mapping for a handler whose page shows a refusal otherwise: a page
    whose record is gone says so, a form whose inputs are named otherwise than the service's
    fields shows the messages beside them.

    ``upload=True`` declares a file-upload handler. An upload is a POST to Reflex's
    ``/_upload`` that names a tab by its client token, which is no secret (it is in the socket
    URL), and Reflex runs the handler on that tab's state with the router data of the tab's own
    last socket event: the connection check of ``_presented_token`` can't tell the tab from a
    stranger. So the upload must carry the tab's session token itself, bound by the page as
    the handler's ``session_token`` argument (``SessionState.auth_token``). An upload without
    exactly the token this tab holds is refused silently: no redirect, no message and no change
    to the tab, as the uploader may be someone else, who must learn nothing and must not sign
    the tab's owner out. With it, the upload is admitted like any event.

    ``off_loop=True`` runs a handler that is not async (guard and all) in a bounded thread
    pool (``OFF_LOOP_THREADS``) instead of on the worker's event loop; Reflex awaits it. The
    tab's state is locked for the event, so only this thread touches it meanwhile.

    ``read_only=True`` declares a handler that is not async and only reads the database
    (``db.event_session(read_only=True)``: on PostgreSQL no ``BEGIN``/``ROLLBACK`` and no
    checkout ping, 3 round trips fewer). If its connection turns out dead (the server
    restarted), guard and handler run once more on a fresh one: reading twice is harmless.
    """
    if not isinstance(policy, Policy):
        raise TypeError("guarded() needs the policy it admits: STUDENT, STAFF, ADMIN, "
                        "SIGNED_IN or PUBLIC.")
    if upload and policy.roles is None:
        raise ValueError("guarded(upload=True) admits signed-in users only.")
    refuse = refused or SessionState._refuse_input

    def decorate(fn: Callable) -> Any:
        if not inspect.isfunction(fn) or inspect.isgeneratorfunction(fn) or (
                inspect.isasyncgenfunction(fn)):
            raise TypeError(f"{fn}: guarded handlers are functions that return events.")
        if upload and (not inspect.iscoroutinefunction(fn)
                       or UPLOAD_TOKEN not in inspect.signature(fn).parameters):
            raise TypeError(f"{fn}: an upload handler is async and takes {UPLOAD_TOKEN}.")
        if policy.roles is None and not inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn}: guarded(PUBLIC) handlers are async.")
        if (off_loop or read_only) and inspect.iscoroutinefunction(fn):
            raise TypeError(f"{fn}: guarded(off_loop=True, read_only=True) are for handlers "
                            "that are not async.")
        # The same guard around both kinds of handler; Reflex awaits the async ones (uploads,
        # password work, visitors' events) and calls the others on the event loop.
        # Reflex passes an event's arguments by name.
        handler: Callable[..., Any]
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def guarded_async(self: SessionState, *args: Any, **kwargs: Any) -> Any:
                try:
                    with db.session() as session:  # its own: the handler may await or use threads
                        refusal = self._refusal(policy, upload, kwargs, session)
                    if refusal is not None:
                        return refusal.events
                    await self._count_visitor(policy)
                    return await fn(self, *args, **kwargs)
                except ServiceError as error:
                    return refuse(self, error)
                except DBAPIError as error:
                    return database_unavailable(error)
            handler = guarded_async
        else:
            @functools.wraps(fn)
            def guarded_sync(self: SessionState, *args: Any, **kwargs: Any) -> Any:
                retry = read_only
                while True:
                    try:
                        # The guard's session serves the handler's first ``db.session()`` too.
                        with db.event_session(read_only=read_only) as session:
                            if (refusal := self._refusal(policy, upload, kwargs, session)
                                    ) is not None:
                                return refusal.events
                            return fn(self, *args, **kwargs)
                    except ServiceError as error:
                        return refuse(self, error)
                    except DBAPIError as error:
                        if retry and error.connection_invalidated:
                            retry = False  # a read on a connection the server dropped
                            continue
                        return database_unavailable(error)
            handler = guarded_sync
            if off_loop:
                on_loop = guarded_sync

                @functools.wraps(fn)
                async def guarded_off_loop(self: SessionState, *args: Any, **kwargs: Any
                                           ) -> Any:
                    run = functools.partial(contextvars.copy_context().run, on_loop, self,
                                            *args, **kwargs)
                    return await asyncio.get_running_loop().run_in_executor(_off_loop_pool, run)
                handler = guarded_off_loop

        setattr(handler, GUARD_MARK, policy)
        return rx.event(handler)

    return decorate


def database_unavailable(error: DBAPIError) -> Any:
    """A database error that is the connection's (``connection_invalidated``, or an
    OperationalError: the server is down or restarting) becomes the page's message; any other
    is a bug and goes to the app's error handler."""
    from sqlalchemy.exc import OperationalError

    if not (error.connection_invalidated or isinstance(error, OperationalError)):
        raise error
    logger.warning("Database unavailable: %s", error.orig or error)
    return rx.toast.error(DATABASE_UNAVAILABLE, id="database-unavailable")


def client_address(state: SessionState) -> str:
    """The client's address as Reflex saw it (the socket's peer, or X-Forwarded-For behind
    REFLEX_TRUSTED_PROXY_HOPS trusted proxies): what throttling counts against."""
    return throttle.address_key(state.router.session.client_ip)


def page_url(path: str) -> str:
    """A page at the app's configured address (REFLEX_DEPLOY_URL), for emailed links: never
    built from the request's Host header, which whoever asks chooses."""
    return f"{(get_config().deploy_url or '').rstrip('/')}{path}"


def acting(state: SessionState) -> Actor:
    """Who is acting on this event, as the audit log records them: the user the guard
    resolved (None for a visitor) and the client address."""
    return Actor(state._user_id or None, client_address(state))


def app_throttle() -> throttle.Throttle:
    """The app's throttle: counts in Reflex's Redis when it has one, so workers share them."""
    return throttle.shared(get_config().redis_url)


def in_session(service: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Call a service with a database session of its own (for a worker thread)."""
    with db.session() as session:
        return service(session, *args, **kwargs)


async def in_argon2_pool(service: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """Call a service that hashes or checks a password, with a database session of its own,
    in the bounded Argon2 pool (services/accounts/passwords.py): never on the event loop."""
    return await passwords.in_pool(functools.partial(in_session, service, *args, **kwargs))


def reset_form(form_id: str) -> Any:
    """Clear a form in the browser after it was saved (form ids are constants, not input)."""
    return rx.call_script(f"document.getElementById({form_id!r})?.reset()")
