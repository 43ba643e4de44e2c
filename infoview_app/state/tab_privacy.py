"""Nothing of a user reaches a connection that has not proved that user's session.

Reflex keeps each tab's states on the server under the tab's client token, which is no secret
(it travels in the socket URL), and its built-in hydration (``hydrate_and_load``, or the older
``hydrate``) sends every state of the tab to whoever connects with that token, without going
through any InfoView handler. So what the pages loaded for one student must be gone before a
connection that has not presented that student's live session token is served.

The mechanism is one Reflex middleware, run before every event of every state:

* A tab remembers whose data its pages loaded (``SessionState._data_owner``, set by the
  access guard when it admits a user).
* Hydration (and ``update_vars_internal``, which also carries the browser's LocalStorage)
  presents the session token in its payload: unless it resolves to that owner, every InfoView
  state of the tab is reset to its defaults (``SessionState._forget_tab``) before Reflex
  builds the snapshot, so the snapshot is empty of user data.
* Any other event on a connection that never presented the token (a script reusing a closed
  tab's client token) finds the tab forgotten the same way; the access guard then refuses it.
* When the guard finds the session gone mid-tab (expired, revoked, account deactivated) it
  resets the states loaded for that event at once and leaves ``_forget_pending`` for the rest,
  which this middleware forgets before the next event.
* Sign-out and account deletion forget every state of the tab themselves.

It covers every state a future page adds: the forgetting walks all descendants of
SessionState (``tab_state_classes``). Reflex's generic ``setvar`` handler, which InfoView
never uses and which would set any var without the guard, is refused here as well.
"""

import asyncio
from typing import Any

from reflex.middleware.middleware import Middleware
from reflex.state import BaseState, State, StateUpdate, UpdateVarsInternalState
from reflex_base.constants.state import FIELD_MARKER

from infoview_app import db
from infoview_app.services.accounts import user_accounts
from infoview_app.state.base import SessionState

_HYDRATE_EVENTS = frozenset(f"{State.get_full_name()}.{name}"
                            for name in ("hydrate", "hydrate_and_load"))
_UPDATE_VARS_EVENT = f"{UpdateVarsInternalState.get_full_name()}.update_vars_internal"
_SESSION_TOKEN_KEY = f"{SessionState.get_full_name()}.auth_token{FIELD_MARKER}"


def _resolve_user_id(token: str) -> int:
    with db.session() as session:
        user = user_accounts.resolve_session(session, token)
    return user.id if user is not None else 0


def _token_in_browser_storage(event_payload: dict[str, Any]) -> str | None:
    """The session token that an event carrying browser storage presents; None if it
    presents none (the key absent); "" if it presents something that is not a token."""
    storage = event_payload.get("vars")
    if not isinstance(storage, dict):
        return None
    if _SESSION_TOKEN_KEY not in storage:
        return None
    token = storage[_SESSION_TOKEN_KEY]
    return token if isinstance(token, str) else ""


class TabPrivacyMiddleware(Middleware):
    """Forget a tab's InfoView states before serving a connection that has not proved the
    session of the user whose data they hold (see the module docstring)."""

    async def preprocess(self, app: Any, state: BaseState, event: Any) -> StateUpdate | None:
        if event.name.rpartition(".")[2] == "setvar":
            return StateUpdate()
        session_state = await state._get_root_state().get_state(SessionState)
        assert isinstance(session_state, SessionState)
        if session_state._forget_pending:
            await session_state._forget_tab(keep_session=True)
        owner = session_state._data_owner
        if not owner:
            return None
        if await self._must_forget(session_state, event, owner):
            await session_state._forget_tab()
        return None

    @staticmethod
    async def _must_forget(session_state: SessionState, event: Any, owner: int) -> bool:
        payload = event.payload if isinstance(event.payload, dict) else {}
        if event.name in _HYDRATE_EVENTS:
            presented = _token_in_browser_storage(payload) or ""
        elif event.name == _UPDATE_VARS_EVENT and (
                token := _token_in_browser_storage(payload)) is not None:
            presented = token
        else:
            # The guard resolves the token on every event of a connection that presented it.
            return not session_state._presented_token()
        if not presented:
            return True
        # A database look-up: off the event loop.
        return await asyncio.to_thread(_resolve_user_id, presented) != owner
