"""Settings read from the environment (the database URL is Reflex's own db_url)."""

import os
from dataclasses import dataclass
from datetime import timedelta
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
