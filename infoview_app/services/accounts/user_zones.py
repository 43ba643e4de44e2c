"""A user's own time zone (``User.time_zone``): taken from the browser at the first sign-in,
changed on the account page, and None for "the institution's zone" (``reader_zone`` then
falls back to it)."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, update

from infoview_app.models import User
from infoview_app.services.accounts.user_accounts import user_row
from infoview_app.services.core.time_zones import known_zone_name, valid_timezone
from infoview_app.services.core.transactions import save, transaction
from infoview_app.services.staff.institution import time_zone

FIELD = "time_zone"
REFUSED = "Choose your time zone from the list."


@dataclass(frozen=True)
class ZoneSetting:
    """What the account page shows: the user's own zone ("" for the institution's) and the
    institution's, which applies meanwhile."""
    own: str
    institution: str


def zone_setting(session: Session, user_id: int) -> ZoneSetting:
    return ZoneSetting(own=user_row(session, user_id).time_zone or "",
                       institution=time_zone(session).key)


def adopt_browser_zone(session: Session, user_id: int, name: Any) -> bool:
    """Store the zone the browser reported at sign-in, only if it is a known zone and the
    user has none yet (one conditional UPDATE: a second tab's report, or the next sign-in's,
    never overwrites the first or the user's own choice). Whether it was stored."""
    zone = known_zone_name(name)
    if not zone:
        return False
    with transaction(session):
        stored = session.exec(update(User).where(
            col(User.id) == user_id, col(User.time_zone).is_(None)).values(time_zone=zone))
    return bool(stored.rowcount)


def set_time_zone(session: Session, user_id: int, value: Any) -> ZoneSetting:
    """The user's choice on the account page: a zone from the list, or "" for the
    institution's (stored as None, so that a change of the office's zone follows)."""
    name = value.strip() if isinstance(value, str) else value
    zone = None if name == "" else valid_timezone(name, FIELD, REFUSED).key
    user = user_row(session, user_id)
    user.time_zone = zone
    save(session, user)
    return zone_setting(session, user_id)
