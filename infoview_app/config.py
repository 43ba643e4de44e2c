"""Settings read from the environment (the database URL is Reflex's own db_url)."""

import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Literal, TypedDict


def _number(name: str, default: str, what: str, low: float, high: float) -> float:
    """The environment variable ``name`` as a number from ``low`` to ``high``; a clear
    error at start-up for anything else."""
    raw = os.environ.get(name, default)
    try:
        value = float(raw)
    except ValueError:
        raise RuntimeError(f"{name} must be {what}, not {raw!r}.") from None
    if not low <= value <= high:
        raise RuntimeError(f"{name} must be {what} from {low:g} to {high:g}, not {raw!r}.")
    return value


def session_lifetime() -> timedelta:
    """How long a sign-in lasts: INFOVIEW_SESSION_DAYS, 14 days by default."""
    return timedelta(days=_number("INFOVIEW_SESSION_DAYS", "14", "a number of days",
                                  0.001, 3650))


class Argon2Cost(TypedDict):
    time_cost: int
    memory_cost: int  # KiB
    parallelism: int


def argon2_parameters() -> Argon2Cost:
    """Argon2's cost: INFOVIEW_ARGON2_TIME_COST (passes, 3), INFOVIEW_ARGON2_MEMORY_KIB
    (65536, i.e. 64 MiB) and INFOVIEW_ARGON2_PARALLELISM (4), argon2-cffi's defaults. A
    password hashed with other values is hashed again with these at its next sign-in."""
    return Argon2Cost(
        time_cost=int(_number("INFOVIEW_ARGON2_TIME_COST", "3", "a whole number", 1, 20)),
        memory_cost=int(_number("INFOVIEW_ARGON2_MEMORY_KIB", "65536", "a number of KiB",
                                8192, 4_194_304)),
        parallelism=int(_number("INFOVIEW_ARGON2_PARALLELISM", "4", "a whole number", 1, 64)))


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: Literal["starttls", "tls", "none"]
    user: str
    password: str
    sender: str  # the From address


_SMTP_PORTS = {"starttls": 587, "tls": 465, "none": 25}


def smtp_settings() -> SmtpSettings | None:
    """The outgoing mail server: INFOVIEW_SMTP_HOST (unset: no mail is sent),
    INFOVIEW_SMTP_SECURITY (starttls, tls or none; starttls by default), INFOVIEW_SMTP_PORT
    (587, 465 or 25 by the security), INFOVIEW_SMTP_USER and INFOVIEW_SMTP_PASSWORD (no
    login when unset) and INFOVIEW_MAIL_FROM (no-reply@ the host by default)."""
    host = os.environ.get("INFOVIEW_SMTP_HOST", "").strip()
    if not host:
        return None
    security = os.environ.get("INFOVIEW_SMTP_SECURITY", "starttls").strip().lower()
    if security not in ("starttls", "tls", "none"):
        raise RuntimeError(f"INFOVIEW_SMTP_SECURITY must be starttls, tls or none, not "
                           f"{security!r}.")
    port = int(_number("INFOVIEW_SMTP_PORT", str(_SMTP_PORTS[security]), "a port number",
                       1, 65535))
    return SmtpSettings(host=host, port=port, security=security,
                        user=os.environ.get("INFOVIEW_SMTP_USER", ""),
                        password=os.environ.get("INFOVIEW_SMTP_PASSWORD", ""),
                        sender=os.environ.get("INFOVIEW_MAIL_FROM", f"no-reply@{host}"))


AUDIT_RETENTION_DEFAULT = 365


def audit_retention_days() -> int:
    """How many days the audit log keeps an event before `infoview prune-audit` deletes it:
    INFOVIEW_AUDIT_RETENTION_DAYS, 365 by default."""
    return int(_number("INFOVIEW_AUDIT_RETENTION_DAYS", str(AUDIT_RETENTION_DEFAULT),
                       "a whole number of days", 1, 36500))


def self_registration_domains() -> tuple[str, ...]:
    """The email domains students may register with themselves:
    INFOVIEW_SELF_REGISTRATION_DOMAINS, comma-separated (say "northfield.edu"; its subdomains
    count too). Empty, the default: any address."""
    raw = os.environ.get("INFOVIEW_SELF_REGISTRATION_DOMAINS", "")
    return tuple(domain.strip().lower().lstrip("@") for domain in raw.split(",")
                 if domain.strip())


def _switch(name: str, default: str) -> bool:
    """An on/off setting: on, true, yes or 1; off, false, no or 0."""
    raw = os.environ.get(name, default).strip().lower()
    if raw in ("on", "true", "yes", "1"):
        return True
    if raw in ("off", "false", "no", "0"):
        return False
    raise RuntimeError(f"{name} must be on or off, not {raw!r}.")


def password_sign_in() -> bool:
    """INFOVIEW_PASSWORD_SIGN_IN (on by default): off hides the password forms of /login and
    /register and refuses their handlers, for an institution that signs in only through its
    OpenID provider."""
    return _switch("INFOVIEW_PASSWORD_SIGN_IN", "on")


@dataclass(frozen=True)
class OidcSettings:
    """Sign-in with the institution's OpenID Connect provider (README: "Signing in with your
    institution")."""

    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    button_label: str
    # Where the provider sends the browser back: this base + routes.OIDC_CALLBACK. Empty:
    # the app's deploy URL (rxconfig.py, REFLEX_DEPLOY_URL).
    redirect_base: str
    # The ID token's claim that names the user's groups or roles; empty: roles are only
    # what an admin grants in InfoView.
    role_claim: str
    staff_values: frozenset[str]
    admin_values: frozenset[str]


def _values(name: str) -> frozenset[str]:
    return frozenset(v.strip() for v in os.environ.get(name, "").split(",") if v.strip())


def oidc_settings() -> OidcSettings | None:
    """The provider's settings (INFOVIEW_OIDC_*), or None when INFOVIEW_OIDC_ISSUER is unset
    (no "Sign in with" button)."""
    issuer = os.environ.get("INFOVIEW_OIDC_ISSUER", "").strip()
    if not issuer:
        return None
    if not issuer.startswith(("https://", "http://")):
        raise RuntimeError(f"INFOVIEW_OIDC_ISSUER must be a URL, not {issuer!r}.")
    client_id = os.environ.get("INFOVIEW_OIDC_CLIENT_ID", "").strip()
    client_secret = os.environ.get("INFOVIEW_OIDC_CLIENT_SECRET", "")
    if not client_id or not client_secret:
        raise RuntimeError("INFOVIEW_OIDC_ISSUER is set: INFOVIEW_OIDC_CLIENT_ID and "
                           "INFOVIEW_OIDC_CLIENT_SECRET must be set too.")
    scopes = " ".join(os.environ.get("INFOVIEW_OIDC_SCOPES", "openid email profile").split())
    if "openid" not in scopes.split():
        raise RuntimeError(f"INFOVIEW_OIDC_SCOPES must include openid, not {scopes!r}.")
    return OidcSettings(
        issuer=issuer, client_id=client_id, client_secret=client_secret, scopes=scopes,
        button_label=os.environ.get("INFOVIEW_OIDC_BUTTON_LABEL", "").strip()
        or "Sign in with your institution",
        redirect_base=os.environ.get("INFOVIEW_OIDC_REDIRECT_BASE", "").strip().rstrip("/"),
        role_claim=os.environ.get("INFOVIEW_OIDC_ROLE_CLAIM", "").strip(),
        staff_values=_values("INFOVIEW_OIDC_STAFF_VALUES"),
        admin_values=_values("INFOVIEW_OIDC_ADMIN_VALUES"))


SECRET_KEY_MIN = 32
DEV_SECRET_FILE = Path(".infoview-secret-key")


def _production() -> bool:
    return os.environ.get("REFLEX_ENV_MODE", "").strip().lower() == "prod"


def secret_key() -> bytes:
    """The server's secret (INFOVIEW_SECRET_KEY, at least 32 characters), which signs the
    links emailed to people (unsubscribe). Required in production (REFLEX_ENV_MODE=prod): a
    clear error at start-up without it. In development a random one is generated once and
    kept in ``.infoview-secret-key`` in the working directory, so the app and the
    ``infoview`` command share it."""
    raw = os.environ.get("INFOVIEW_SECRET_KEY", "").strip()
    if raw:
        if len(raw) < SECRET_KEY_MIN:
            raise RuntimeError(f"INFOVIEW_SECRET_KEY must be at least {SECRET_KEY_MIN} "
                               "characters (e.g. python -c 'import secrets; "
                               "print(secrets.token_urlsafe(32))').")
        return raw.encode()
    if _production():
        raise RuntimeError("INFOVIEW_SECRET_KEY is not set: in production it must be, the same "
                           "for the app and for `infoview send-reminders` (generate one with "
                           "python -c 'import secrets; print(secrets.token_urlsafe(32))').")
    try:
        fd = os.open(DEV_SECRET_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made by an earlier start (or by the app or the command at the same moment)
    else:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(32))
    return DEV_SECRET_FILE.read_text().strip().encode()


def events_in_flight() -> int:
    """Events one worker processes at once: INFOVIEW_EVENTS_IN_FLIGHT, 8 by default. Further
    events wait for a slot before they take their tab's state lock (infoview_app/admission.py).
    Database calls are synchronous, so more at once only lengthens each one's lock hold."""
    value = _number("INFOVIEW_EVENTS_IN_FLIGHT", "8", "a whole number of events", 1, 1000)
    if not value.is_integer():
        raise RuntimeError(f"INFOVIEW_EVENTS_IN_FLIGHT must be a whole number, not {value:g}.")
    return int(value)


def busy_notice_after() -> float:
    """Seconds an event waits for a slot before its tab shows "Busy, trying again...":
    INFOVIEW_BUSY_NOTICE_AFTER_S, 1 by default."""
    return _number("INFOVIEW_BUSY_NOTICE_AFTER_S", "1", "a number of seconds", 0, 60)
