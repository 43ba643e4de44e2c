"""A raw Socket.IO client that speaks to the live backend exactly as Reflex's frontend does
(reflex_base/.templates/web/utils/state.js and reflex/app.py EventNamespace), with no browser.

The wire protocol, as found in Reflex 0.10.1:

* Socket.IO over the websocket transport, at path ``/_event`` and in namespace ``/_event``
  (the frontend calls ``io("ws://host/_event", {path: "/_event"})``, so the path is also the
  namespace), with the query ``token=<client token uuid>``: the tab's key into the server-side
  state.
* The first event rides in the CONNECT packet's ``auth``: ``{"event": {name:
  "<root state>.hydrate_and_load", payload: {"vars": {...}}, router_data: {...}}}``. Its
  ``vars`` are the browser-storage values, keyed by ``<state full name>.<var>_rx_state_``:
  that is how a LocalStorage var such as ``SessionState.auth_token`` reaches the backend.
  ``reflex___state____update_vars_internal_state.update_vars_internal`` sends them later on.
* Every other event is ``emit("event", {name: "<state full name>.<handler>", payload:
  {<arg>: <value>}, router_data: {pathname, asPath, query}})``; a submitted form's argument
  is ``{"__reflex_form_data__": [[name, value], ...]}``.
* The backend answers with ``"event"`` messages ``{"delta": {<state>: {<var>_rx_state_:
  value}}, "events": [{name: "_redirect" | "_call_function" | ..., payload}]}`` (a toast is a
  ``_call_function``), and with ``"new_token"`` if the client token is already connected.
  Events of one client token are processed one after another, in order, so a cheap event
  sent after a call (the barrier below) answers only once the call has been fully processed
  (backend events a handler chains are queued behind it; InfoView's handlers chain none).
"""

import json
import queue
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import socketio
from reflex.state import OnLoadInternalState, State
from reflex_base.constants.state import FIELD_MARKER

NAMESPACE = "/_event"
FORM_DATA_KEY = "__reflex_form_data__"
_BARRIER_PARAM = "iv_barrier"
_REQUIRED = object()


def storage_key(state: type[State], var: str) -> str:
    """The key under which the frontend sends a browser-storage var's value."""
    return f"{state.get_full_name()}.{var}{FIELD_MARKER}"


def event_name(state: type[State], handler: str) -> str:
    """The full name of a state's event handler, as the frontend sends it."""
    return f"{state.get_full_name()}.{handler}"


def form(values: dict[str, Any]) -> dict[str, Any]:
    """A form's fields as the frontend submits them (ordered entries under one key)."""
    return {FORM_DATA_KEY: [[name, value] for name, value in values.items()]}


def router_data(path: str, query: dict[str, str] | None = None) -> dict[str, Any]:
    """The router data the frontend attaches to every event sent from the page at ``path``
    (which may carry its own query string, as ``/exploration?id=3&step=2``)."""
    path, _, own_query = path.partition("?")
    query = {**dict(pair.split("=", 1) for pair in own_query.split("&") if pair),
             **(query or {})}
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    data: dict[str, Any] = {"pathname": path, "asPath": path + suffix}
    if query:
        data["query"] = dict(query)
    return data


def _hydrated(update: dict[str, Any]) -> bool:
    """Whether a reply marks the page hydrated: its on_load handlers have all run."""
    root = (update.get("delta") or {}).get(State.get_full_name(), {})
    return root.get(f"is_hydrated{FIELD_MARKER}") is True


class Replies(list[dict[str, Any]]):
    """The ``"event"`` messages the backend sent back, in order."""

    def var(self, state: type[State], name: str, default: Any = _REQUIRED) -> Any:
        """The last value sent for a state var; ``default`` (or KeyError) if none was sent."""
        key, field = state.get_full_name(), f"{name}{FIELD_MARKER}"
        values = [delta[field] for update in self
                  if field in (delta := (update.get("delta") or {}).get(key) or {})]
        if values:
            return values[-1]
        if default is _REQUIRED:
            raise KeyError(f"{key}.{name} was not sent")
        return default

    def sent(self, state: type[State], name: str) -> bool:
        """Whether any reply carried a value for this state var."""
        absent = object()
        return self.var(state, name, absent) is not absent

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        """The frontend events sent back (``_redirect``, ``_call_function``...), by name."""
        found = [event for update in self for event in update.get("events") or []]
        return [event for event in found if name is None or event.get("name") == name]

    def redirects(self) -> list[str]:
        """The paths of the redirects sent back."""
        return [event["payload"]["path"] for event in self.events("_redirect")]

    def text(self) -> str:
        """Everything sent back as one JSON string, to search for a message."""
        return json.dumps(list(self), default=str)


class ReflexSocket:
    """One browser tab's connection to the backend: a client token and a socket."""

    def __init__(self, backend_url: str, *, path: str = "/", timeout: float = 15.0,
                 source_address: str | None = None) -> None:
        """``source_address``: connect from this loopback address (127.0.0.2, ...) instead
        of 127.0.0.1, so that the server sees another client address (no proxy header
        needed, nothing the server is told to trust)."""
        self.backend_url = backend_url.rstrip("/")
        self.path = path
        self.timeout = timeout
        self.token = str(uuid.uuid4())
        self._inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        extra = {"socket": self._bound_socket(source_address)} if source_address else {}
        self._sio = socketio.Client(reconnection=False, websocket_extra_options=extra)
        self._sio.on("event", self._inbox.put, namespace=NAMESPACE)
        self._sio.on("new_token", self._take_new_token, namespace=NAMESPACE)

    def _bound_socket(self, source_address: str) -> socket.socket:
        """A TCP connection to the backend from ``source_address``, for the websocket."""
        host, _, port = self.backend_url.split("://", 1)[1].partition(":")
        return socket.create_connection((host, int(port or 80)), timeout=self.timeout,
                                        source_address=(source_address, 0))

    def _take_new_token(self, token: str) -> None:
        """The backend moved this tab to another token (its own was in use), as state.js."""
        self.token = token

    def connect(self, local_storage: dict[str, Any] | None = None, *,
                hydrate: bool = True) -> Replies:
        """Open the socket with the hydrate event, as a page load of ``self.path`` does, and
        return the replies once the page's on_load handlers have run.

        ``local_storage`` maps ``storage_key(...)`` to the values the browser would send.
        ``hydrate=False`` sends no hydrate event (no browser does that; a script can).
        """
        payload = {"vars": dict(local_storage)} if local_storage else {}
        boot = {"name": event_name(State, "hydrate_and_load"), "payload": payload,
                "router_data": router_data(self.path)}
        self._sio.connect(f"{self.backend_url}?token={self.token}", socketio_path=NAMESPACE,
                          transports=["websocket"], namespaces=[NAMESPACE],
                          auth={"event": boot} if hydrate else None,
                          wait_timeout=self.timeout)
        if not hydrate:
            return Replies()
        # The page's on_load chain ends with is_hydrated = True.
        return self._collect(_hydrated)

    def send(self, name: str, path: str | None = None, *,
             page_query: dict[str, str] | None = None, **payload: Any) -> None:
        """Send one event without waiting for its replies (``barrier`` collects them).
        ``page_query`` is the page URL's query (``?id=...``)."""
        self._sio.emit("event", {"name": name, "payload": payload,
                                 "router_data": router_data(path or self.path, page_query)},
                       namespace=NAMESPACE)

    def call(self, name: str, path: str | None = None, *,
             page_query: dict[str, str] | None = None, **payload: Any) -> Replies:
        """Send one event and return every reply to it, once it has been fully processed
        (the barrier keeps the page's query too)."""
        self.send(name, path, page_query=page_query, **payload)
        return self.barrier(path, page_query)

    def barrier(self, path: str | None = None,
                page_query: dict[str, str] | None = None) -> Replies:
        """Wait until every event sent so far has been processed; return their replies.

        Sends the frontend's own harmless ``set_is_hydrated(True)`` with a unique query
        parameter: the reply that echoes it is, by per-token ordering, the last one.
        """
        nonce = uuid.uuid4().hex
        self._sio.emit("event", {"name": event_name(OnLoadInternalState, "set_is_hydrated"),
                                 "payload": {"value": True},
                                 "router_data": router_data(
                                     path or self.path,
                                     {**(page_query or {}), _BARRIER_PARAM: nonce})},
                       namespace=NAMESPACE)

        def is_echo(update: dict[str, Any]) -> bool:
            url = (update.get("delta") or {}).get(State.get_full_name(), {}).get(
                f"rx_router_url{FIELD_MARKER}") or {}
            return url.get("query_parameters", {}).get(_BARRIER_PARAM) == nonce

        replies = self._collect(is_echo)
        replies.pop()  # the barrier's own reply
        return replies

    def _collect(self, last: Callable[[dict[str, Any]], bool]) -> Replies:
        replies, deadline = Replies(), time.monotonic() + self.timeout
        while True:
            try:
                update = self._inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"No complete reply within {self.timeout} s: "
                                   f"{replies.text()[:2000]}") from None
            replies.append(update)
            if last(update):
                return replies

    def navigate(self, path: str) -> Replies:
        """Go to another page of the app in this tab, as the browser's client-side navigation
        does: the new page's on_load handlers, with its URL."""
        self.path = path
        self._sio.emit("event", {"name": event_name(OnLoadInternalState, "on_load_internal"),
                                 "payload": {}, "router_data": router_data(path)},
                       namespace=NAMESPACE)
        # The page's on_load handlers are chained behind it and end with is_hydrated = True.
        return self._collect(_hydrated)

    def close(self) -> None:
        """Disconnect, as closing the tab does."""
        self._sio.disconnect()


@contextmanager
def open_socket(backend_url: str, *, path: str = "/",
                local_storage: dict[str, Any] | None = None,
                source_address: str | None = None) -> Iterator[ReflexSocket]:
    """A connected, hydrated ReflexSocket at ``path``, closed afterwards."""
    client = ReflexSocket(backend_url, path=path, source_address=source_address)
    client.connect(local_storage)
    try:
        yield client
    finally:
        client.close()
