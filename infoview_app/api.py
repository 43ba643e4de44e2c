"""The app's own HTTP routes beside Reflex's: a student's private calendar feed,
``GET /calendar/<token>.ics`` (services/connect/calendar_feed.py), and the reminder emails'
one-click unsubscribe (api_mail.py); and ``GET /ready``, whether this worker's database and
Redis answer (api_ready.py).

``with_api`` is one of the app's ``api_transformer``s: it puts these routes in front of the
Reflex backend (and whatever wraps it), so every other path, the websocket and uploads
included, goes on to Reflex unchanged. The database work runs in a worker thread, never on the
event loop. A token that opens no feed gets a bare 404 that says nothing about why, and counts
against the client's address (services/core/throttle.py), which past its limit gets 429.
"""

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from reflex.config import get_config
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route

from infoview_app import db, routes
from infoview_app.api_mail import unsubscribe
from infoview_app.api_ready import ready_route
from infoview_app.models._base import utcnow
from infoview_app.services.connect import calendar_feed
from infoview_app.services.connect.calendar_files import ICS_MEDIA_TYPE, uid_domain_for
from infoview_app.services.core import throttle
from infoview_app.services.core.errors import Throttled

Message = MutableMapping[str, Any]
ASGIApp = Callable[[Message, Callable[[], Awaitable[Message]],
                    Callable[[Message], Awaitable[None]]], Awaitable[None]]

FEED_HEADERS = {"Cache-Control": "private, no-store",
                "Content-Disposition": 'inline; filename="infoview.ics"',
                "X-Content-Type-Options": "nosniff"}


def feed_path(token: str) -> str:
    """The feed's path on the backend (with REFLEX_BACKEND_PATH, if any)."""
    return get_config().prepend_backend_path(f"{routes.CALENDAR_FEED}/{token}.ics")


def backend_url(path: str) -> str:
    """The https (or http) URL of one of these routes at the backend's configured public
    address (REFLEX_API_URL, with REFLEX_BACKEND_PATH): never built from a request's Host
    header, which the asker chooses."""
    return f"{get_config().api_url.rstrip('/')}{get_config().prepend_backend_path(path)}"


def feed_url(token: str) -> str:
    return backend_url(f"{routes.CALENDAR_FEED}/{token}.ics")


def _uid_domain() -> str:
    """The host in every UID: the configured address's, the same on every request."""
    return uid_domain_for(urlsplit(get_config().api_url).netloc)


def _app_url() -> str:
    return (get_config().deploy_url or "").rstrip("/")


def client_address(scope: Message) -> str:
    """The client's address as Reflex reads it for its sockets: the peer, or with
    REFLEX_TRUSTED_PROXY_HOPS the one that many hops back in X-Forwarded-For."""
    client = scope.get("client")
    address = client[0] if client else ""
    hops = get_config().trusted_proxy_hops
    if hops:
        forwarded = [value.decode("latin-1") for name, value in scope.get("headers", [])
                     if name.lower() == b"x-forwarded-for"]
        hops_seen = [ip.strip() for ip in ",".join(forwarded).split(",") if ip.strip()]
        if len(hops_seen) >= hops:
            address = hops_seen[-hops]
    return throttle.address_key(address)


def _feed(token: str) -> bytes | None:
    with db.session() as session:
        return calendar_feed.feed_for_token(session, token, uid_domain=_uid_domain(),
                                            now=utcnow(), app_url=_app_url())


async def calendar_feed_route(request: Request) -> Response:
    """One student's feed as text/calendar, or 404 (429 for an address guessing)."""
    address = client_address(request.scope)
    limiter = throttle.shared(get_config().redis_url)
    try:
        await limiter.feed_request(address)
    except Throttled:
        return PlainTextResponse("Too many requests.", status_code=429)
    body = await run_in_threadpool(_feed, request.path_params["token"])
    if body is None:
        await limiter.feed_miss(address)
        return PlainTextResponse("Not found.", status_code=404)
    return Response(body, media_type=f"{ICS_MEDIA_TYPE}; charset=utf-8", headers=FEED_HEADERS)


async def unsubscribe_route(request: Request) -> Response:
    """The reminder emails' unsubscribe (api_mail.py), with the client's address read as
    every other route reads it."""
    return await unsubscribe(request, client_address(request.scope))


def with_api(app: ASGIApp) -> ASGIApp:
    """``app`` (the Reflex backend) behind InfoView's own routes."""
    return Starlette(routes=[
        Route(feed_path("{token}"), calendar_feed_route, methods=["GET", "HEAD"]),
        Route(get_config().prepend_backend_path(routes.UNSUBSCRIBE), unsubscribe_route,
              methods=["GET", "POST"]),
        Route(get_config().prepend_backend_path(routes.READY), ready_route,
              methods=["GET", "HEAD"]),
        Mount("", app=app),
    ])
