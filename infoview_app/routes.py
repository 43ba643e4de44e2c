"""Every route path of the app, and the URL builders. Pages and states use these, never
string literals."""

from urllib.parse import quote, urlsplit

from infoview_app.models import Role

HOME = "/"
LOGIN = "/login"
REGISTER = "/register"
FORGOT_PASSWORD = "/forgot-password"
RESET_PASSWORD = "/reset-password"  # the emailed links' pages
VERIFY_EMAIL = "/verify-email"
# Where the institution's OpenID provider sends the browser back after sign-in.
OIDC_CALLBACK = "/auth/callback"
ACCOUNT = "/account"
STAFF_HOME = "/staff"
ADMIN_STAFF = "/admin/staff"
ADMIN_AUDIT = "/admin/audit"
NOT_ALLOWED = "/not-allowed"
EXPLORATION = "/exploration"
NOTES = "/notes"
NETWORK = "/network"
STAFF_PARTNERS = "/staff/partners"
STAFF_QUESTIONS = "/staff/questions"
STAFF_SETTINGS = "/staff/settings"
# The calendar feed: an API route of the backend (infoview_app/api.py), not a page.
CALENDAR_FEED = "/calendar"
# The one-click unsubscribe of the reminder digests (an API route, not a page: api_mail.py).
UNSUBSCRIBE = "/mail/unsubscribe"
# Readiness for load balancers and monitors: the database and Redis answer (api_ready.py).
READY = "/ready"


def home_for(role: Role | str) -> str:
    return HOME if role == Role.STUDENT else STAFF_HOME


def login_url(next_path: str = "") -> str:
    if not next_path or next_path in (HOME, LOGIN):
        return LOGIN
    return f"{LOGIN}?next={quote(next_path, safe='/')}"


def login_refused_url(code: str) -> str:
    """The sign-in page showing why a sign-in with the provider was refused (services/
    accounts/oidc.REFUSALS names each code)."""
    return f"{LOGIN}?oidc={quote(code, safe='')}"


def safe_next(next_path: object) -> str:
    """A 'next' parameter is followed only if it is a path on this site (no open redirect)."""
    if not isinstance(next_path, str) or not next_path.startswith("/"):
        return ""
    parts = urlsplit(next_path)
    if parts.scheme or parts.netloc or next_path.startswith("//") or "\\" in next_path:
        return ""
    return next_path if len(next_path) <= 300 else ""


# The URL builders take plain values, or Reflex vars in pages (an f-string with a var in it
# becomes a var).

def exploration_url(exploration_id: object, step: object = None) -> str:
    """The stepper of one exploration, at one of its six steps (the suggested one if None)."""
    url = f"{EXPLORATION}?id={exploration_id}"
    return f"{url}&step={step}" if step is not None else url


def notes_url(contact_id: object = None) -> str:
    """The student's interview notes: all of them, or every interview with one contact."""
    return NOTES if contact_id is None else f"{NOTES}?contact={contact_id}"


def network_url(exploration_id: object = None) -> str:
    """The contact network graph, of one exploration's contacts if an id is given."""
    return NETWORK if exploration_id is None else f"{NETWORK}?exploration={exploration_id}"


def webcal_url(url: str) -> str:
    """The same feed for a calendar app to subscribe to: http(s):// becomes webcal://."""
    return "webcal://" + url.split("://", 1)[1] if "://" in url else url
