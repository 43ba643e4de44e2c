"""The one-click unsubscribe of the reminder digests (RFC 8058), an API route of the app
(``routes.UNSUBSCRIBE``, routed by api.py), answered without signing in: the link's token says who.

POST (what a mail client's "Unsubscribe" button sends, ``List-Unsubscribe=One-Click``, and what
the page's button sends) turns the digests off and answers 200. GET only shows a page with
that button: mail scanners open links to check them, and must not unsubscribe anyone by it.
A forged, altered or unknown token is refused with 400 and changes nothing.
"""

import html

from reflex.config import get_config
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from infoview_app import db, routes
from infoview_app.config import secret_key
from infoview_app.services.accounts import reminder_preferences

TITLE = "Reminder emails"
_STYLE = ("body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;"
          "padding:0 1rem;line-height:1.5;color:#1a1a1a}"
          "button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;"
          "background:#0d7a6f;color:#fff;cursor:pointer}"
          "button:focus-visible{outline:3px solid #0a4f48;outline-offset:2px}"
          "a{color:#0a5f56}")


def _page(heading: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)} · InfoView</title><style>{_STYLE}</style></head>"
        f"<body><main><h1>{html.escape(heading)}</h1>{body}</main></body></html>",
        status_code=status, headers={"Cache-Control": "no-store",
                                     "Referrer-Policy": "no-referrer"})


def _refused() -> HTMLResponse:
    return _page("This link does not work",
                 "<p>The unsubscribe link is incomplete or was changed. Use the link from "
                 "the latest reminder email, or choose how often you get reminders on your "
                 f'<a href="{routes.ACCOUNT}">account page</a>.</p>', 400)


def _unsubscribe(token: str, client: str) -> bool:
    with db.session() as session:
        return reminder_preferences.unsubscribe(session, token, secret_key(), client=client)


async def unsubscribe(request: Request, client: str) -> HTMLResponse:
    """The page or the one-click answer; ``client`` is the asker's address for the audit
    log, as api.py reads it (behind REFLEX_TRUSTED_PROXY_HOPS proxies too)."""
    token = request.query_params.get("t", "")
    if reminder_preferences.token_user(token, secret_key()) is None:
        return _refused()
    if request.method == "GET":
        path = get_config().prepend_backend_path(routes.UNSUBSCRIBE)
        action = html.escape(f"{path}?t={token}", quote=True)
        return _page(TITLE, "<p>Stop the reminder emails InfoView sends you about follow-ups "
                     "and interviews?</p>"
                     f'<form method="post" action="{action}">'
                     '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
                     "<button type=\"submit\">Stop reminder emails</button></form>")
    if not await run_in_threadpool(_unsubscribe, token, client):
        return _refused()
    return _page("You are unsubscribed",
                 "<p>InfoView will send you no more reminder emails. To have them again, "
                 f'choose how often on your <a href="{routes.ACCOUNT}">account page</a>.</p>')

