"""Settings read from the environment (the database URL is Reflex's own db_url)."""

import os
from datetime import timedelta


def session_lifetime() -> timedelta:
    """How long a sign-in lasts: INFOVIEW_SESSION_DAYS, 14 days by default."""
    raw = os.environ.get("INFOVIEW_SESSION_DAYS", "14")
    try:
        days = float(raw)
    except ValueError:
        message = f"INFOVIEW_SESSION_DAYS must be a number of days, not {raw!r}."
        raise RuntimeError(message) from None
    if days <= 0:
        raise RuntimeError("INFOVIEW_SESSION_DAYS must be positive.")
    return timedelta(days=days)


AUDIT_RETENTION_DEFAULT = 365


def audit_retention_days() -> int:
    """How many days the audit log keeps an event before `infoview prune-audit` deletes it:
    INFOVIEW_AUDIT_RETENTION_DAYS, 365 by default."""
    raw = os.environ.get("INFOVIEW_AUDIT_RETENTION_DAYS", str(AUDIT_RETENTION_DEFAULT)).strip()
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise RuntimeError("INFOVIEW_AUDIT_RETENTION_DAYS must be a whole number of days, "
                           f"1 or more, not {raw!r}.")
    return int(raw)
