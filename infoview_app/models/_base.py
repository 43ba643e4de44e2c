"""Shared column helpers for the tables."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (SQLModel stores aware datetimes as UTC)."""
    return datetime.now(UTC)
