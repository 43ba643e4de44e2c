"""The Reflex app: pages, theme, start-up migrations and the error handler."""

import logging

import reflex as rx
from redis.exceptions import ConnectionError as RedisConnectionError

from infoview_app import admission, db
from infoview_app.api import with_api
from infoview_app.config import secret_key
from infoview_app.pages.registry import register_pages
from infoview_app.state.tab_privacy import TabPrivacyMiddleware
from infoview_app.static_caching import StaticCaching
from infoview_app.upload_limit import UploadLimit

logger = logging.getLogger("infoview")
# An event that met Redis restarting: its outcome unknown (typed text the page keeps is sent
# again once the tab reconnects).
STATE_STORE_UNAVAILABLE = "The server is reconnecting; please try again in a moment."
# What a search engine shows under the app's pages (every page shares it).
DESCRIPTION = ("InfoView walks students through informational interviews in six steps: "
               "research a field, list contacts, prepare, reach out, interview, follow up.")


def _on_backend_error(exception: Exception) -> rx.event.EventSpec:
    """An unexpected error: logged for the operator; the user gets a plain message. Redis
    out of reach (restarting) is no bug: one line, and a message that says so."""
    if isinstance(exception, RedisConnectionError):
        logger.warning("Redis unreachable during an event: %s", exception)
        return rx.toast.error(STATE_STORE_UNAVAILABLE, id="state-store-unavailable")
    logger.error("Unhandled error in an event handler", exc_info=exception)
    return rx.toast.error("Something went wrong and nothing was saved. Please try again.")


async def _apply_migrations() -> None:
    db.upgrade_to_head()


async def _check_secret_key() -> None:
    """Fail at start-up, with the reason, when production has no INFOVIEW_SECRET_KEY (the
    unsubscribe links are signed with it)."""
    secret_key()


app = rx.App(
    stylesheets=["/styles.css"],
    # Keeps autosaved text in the browser until the server has it, hides a field's error once
    # the field changes, and keeps keyboard focus on the page when the control that had it
    # goes away (see the files).
    head_components=[rx.el.script(src="/unsent.js", defer=True),
                     rx.el.script(src="/field_errors.js", defer=True),
                     rx.el.script(src="/focus_keeper.js", defer=True),
                     # The icons (drawn by bench/make_icons.py): browsers, iOS, Android.
                     rx.el.link(rel="icon", href="/favicon.ico", sizes="16x16 32x32 48x48"),
                     rx.el.link(rel="apple-touch-icon", href="/apple-touch-icon.png"),
                     rx.el.link(rel="manifest", href="/manifest.webmanifest"),
                     rx.el.meta(name="description", content=DESCRIPTION)],
    backend_exception_handler=_on_backend_error,
    # The upload size cap, enforced while the body streams in (see the module), then the
    # app's own routes in front (infoview_app/api.py): the calendar feed and the reminder
    # emails' one-click unsubscribe; and a year's caching for the build's hashed files.
    api_transformer=[UploadLimit, with_api, StaticCaching],
)
app.register_lifespan_task(_check_secret_key)
app.register_lifespan_task(_apply_migrations)
# Before every event: a tab's states are forgotten before a connection that has not proved
# the session of the user whose data they hold is served (see state/tab_privacy.py).
app.add_middleware(TabPrivacyMiddleware())
register_pages(app)
# After the pages (whose states make Reflex register its event processor): each worker's
# events wait for a slot before they take their tab's state lock (see infoview_app/admission.py).
app.register_lifespan_task(admission.install)
