"""Time zones by their IANA names ("America/Chicago"): the ones a student books an interview
in, and the institution's, in which the staff dashboard counts its days and weeks; and the one
"today" of a zone."""

from datetime import UTC, date, datetime, tzinfo
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from infoview_app.models._base import utcnow
from infoview_app.services.core.errors import InvalidInput

TIMEZONE_MAX = 64
# Names in the system's zone database that are not places: the server's own zone and filler.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@cache
def zone_names() -> tuple[str, ...]:
    """Every place's zone name, sorted (for a menu)."""
    return tuple(sorted(available_timezones() - _NOT_PLACES))


@cache
def _known() -> frozenset[str]:
    return frozenset(zone_names())


def _known_name(value: Any) -> str:
    """The zone name in ``value`` if it is one of ``zone_names``, else ""."""
    name = value.strip() if isinstance(value, str) else ""
    return name if len(name) <= TIMEZONE_MAX and name in _known() else ""


def today_in(zone: tzinfo = UTC, now: datetime | None = None) -> date:
    """Today's date in ``zone``: the reader's (``institution.today_for``) or the
    institution's (the staff dashboard's periods). ``now`` is for tests and for callers
    that already hold the instant."""
    return (now or utcnow()).astimezone(zone).date()


def in_zone(at: datetime, zone: tzinfo) -> datetime:
    """``at`` in ``zone``; a naive datetime is UTC (how SQLite returns stored ones)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone)


def valid_timezone(value: Any, field: str = "timezone",
                   message: str = "Choose your time zone from the list.") -> ZoneInfo:
    """An IANA time zone by name; InvalidInput on ``field`` for anything else."""
    name = _known_name(value)
    if not name:
        raise InvalidInput(message, field)
    return ZoneInfo(name)


def known_zone_name(value: Any) -> str:
    """The zone a browser reported by name, if it is one of ``zone_names``; else "" (a
    browser's report is never refused: it is only not taken)."""
    return _known_name(value)
