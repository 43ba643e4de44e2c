"""The upload size cap, enforced while the request streams in (an ASGI middleware).

Reflex's ``POST /_upload`` reads the whole multipart body (spooling files to disk) before the
app's handler runs, so a cap checked in the handler comes too late: a 1 GB upload cost the
server a gigabyte first. This middleware sits in front of that endpoint: a Content-Length over
the cap is refused with 413 before any of the body is read, and a body without one (chunked)
is counted as it arrives and refused with 413 as soon as it passes the cap; Reflex then sees a
client that went away and stops. The cap is the import's file cap plus room for the multipart
framing and the handler's bound arguments.
"""

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from reflex.config import get_config
from reflex.constants import Endpoint

from infoview_app.services.develop.contact_import import MAX_FILE_BYTES, TOO_LARGE

MAX_UPLOAD_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024

Message = MutableMapping[str, Any]
ASGIApp = Callable[[Message, Callable[[], Awaitable[Message]],
                    Callable[[Message], Awaitable[None]]], Awaitable[None]]


def _declared_length(scope: Message) -> int | None:
    for name, value in scope.get("headers", []):
        if name.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class UploadLimit:
    """Refuse (413) an upload body over ``limit`` bytes, before or while it streams."""

    def __init__(self, app: ASGIApp, limit: int = MAX_UPLOAD_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit
        self.path = get_config().prepend_backend_path(str(Endpoint.UPLOAD))

    def _applies(self, scope: Message) -> bool:
        path = scope.get("path", "")
        return scope["type"] == "http" and (path == self.path
                                            or path.startswith(self.path + "/"))

    async def _refuse(self, send: Callable[[Message], Awaitable[None]]) -> None:
        body = json.dumps({"detail": TOO_LARGE}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Message, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.limit:
            await self._refuse(send)
            return
        received = 0
        refused = started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    refused = True
                    if not started:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:  # after a refusal, the app's own answer has nowhere to go
                return
            started = True
            await send(message)

        await self.app(scope, counted_receive, guarded_send)
