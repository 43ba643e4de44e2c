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
