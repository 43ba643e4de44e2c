"""A year's caching for the production build's hashed files (an ASGI middleware).

The frontend build names every file under ``/assets/`` after a hash of its content, so the
file at an address never changes: the browser may keep it for a year without asking again
(``immutable``), and a returning student loads only the page's HTML and its data. Reflex
serves them with no ``Cache-Control`` at all, so browsers revalidated each one on every visit.
Everything else passes untouched: the pages' HTML, the unhashed scripts of the repository's
``assets/`` (``/unsent.js`` and the others change under the same name), the API, uploads and
the ``/_event`` websocket. Compression is Reflex's own: the build writes a gzip copy of each text
file beside it and the static server sends that copy to a browser that accepts gzip.
"""

from collections.abc import Awaitable, Callable

from reflex.config import get_config

from infoview_app.upload_limit import ASGIApp, Message

# Where the frontend build puts its hashed files (Vite's assetsDir).
HASHED_DIR = "/assets/"
IMMUTABLE = b"public, max-age=31536000, immutable"


class StaticCaching:
    """Mark a successful answer for a hashed build file as cacheable for a year."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.prefix = get_config().prepend_frontend_path(HASHED_DIR)

    def _applies(self, scope: Message) -> bool:
        return (scope["type"] == "http" and scope.get("method") in ("GET", "HEAD")
                and scope.get("path", "").startswith(self.prefix))

    async def __call__(self, scope: Message, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        if not self._applies(scope):
            await self.app(scope, receive, send)
            return

        async def caching_send(message: Message) -> None:
            # A 404 (a file that is not there) stays uncached: it may exist after a deploy.
            if message["type"] == "http.response.start" and message["status"] in (200, 304):
                headers = [(name, value) for name, value in message.get("headers", [])
                           if name.lower() != b"cache-control"]
                message = {**message, "headers": [*headers, (b"cache-control", IMMUTABLE)]}
            await send(message)

        await self.app(scope, receive, caching_send)
