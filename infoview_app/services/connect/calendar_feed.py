"""A student's private calendar feed (issue 14): one secret URL that Google, Apple or Outlook
calendars subscribe to, listing the student's interviews and due follow-ups.

The URL's token is random (``secrets.token_urlsafe(32)``, 256 bits) and exists in clear only
in the URL: the database keeps its SHA-256 (``CalendarFeed``), so the URL is shown once, when
it is made. A new link replaces the row in one transaction, so the old URL is dead at once;
turning the feed off deletes it. An unknown token, a replaced one and one of a deactivated
account all read the same: no feed.

The feed is RFC 5545 built with icalendar on services/connect/calendar_files.py's interview
event: every interview (a cancelled one stays, STATUS:CANCELLED, so a calendar that kept it
marks it), and every open follow-up as an all-day event on the day it is due (a snoozed one
on the day its snooze ends). UIDs are stable per record (``interview-<id>@<host>``,
``follow-up-<id>@<host>``), so a change replaces the event; a follow-up done or skipped leaves
the feed, and calendars drop it at their next refresh."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Event, vDuration
from sqlmodel import Session, col, delete, select

from infoview_app.models import (
    CalendarFeed,
    Contact,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewMode,
    InterviewStatus,
    User,
)
from infoview_app.services.accounts.user_accounts import hash_token
from infoview_app.services.connect.calendar_files import (
    PHONE_LOCATION,
    InterviewFields,
    interview_event,
    published_calendar,
)
from infoview_app.services.core.transactions import transaction
from infoview_app.services.core.wording import FOLLOW_UP_LABELS, date_label
from infoview_app.services.staff.institution import reader_zone

FEED_NAME = "InfoView: interviews and follow-ups"
FEED_DESCRIPTION = "Your informational interviews and follow-ups from InfoView."
# How often calendars should fetch the feed again (REFRESH-INTERVAL, X-PUBLISHED-TTL):
# an interview booked now shows within the hour. Google ignores it (every few hours).
REFRESH = timedelta(hours=1)
TOKEN_MAX = 100  # secrets.token_urlsafe(32) is 43 characters
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class FeedStatus:
    """Whether the student's feed is on, and since when (a date label in their zone)."""
    on: bool
    made_on: str


def follow_up_uid(task_id: int, uid_domain: str) -> str:
    return f"follow-up-{task_id}@{uid_domain}"


def status(session: Session, user_id: int) -> FeedStatus:
    """Whether ``user_id`` has a feed, and the day its current link was made."""
    made = session.exec(select(CalendarFeed.created_at)
                        .where(CalendarFeed.user_id == user_id)).first()
    if made is None:
        return FeedStatus(on=False, made_on="")
    return FeedStatus(on=True, made_on=date_label(made, reader_zone(session, user_id)))


def new_link(session: Session, user_id: int, now: datetime) -> str:
    """A new secret token for the student's feed, replacing any older one in the same
    transaction (the old URL stops working at once). Returns the token: shown once."""
    token = secrets.token_urlsafe(32)
    with transaction(session):
        session.exec(delete(CalendarFeed).where(col(CalendarFeed.user_id) == user_id))
        session.add(CalendarFeed(user_id=user_id, token_hash=hash_token(token),
                                 created_at=now))
    return token


def turn_off(session: Session, user_id: int) -> None:
    """Delete the student's feed: its URL is dead at once (again: nothing changes)."""
    with transaction(session):
        session.exec(delete(CalendarFeed).where(col(CalendarFeed.user_id) == user_id))


def owner_of(session: Session, token: Any) -> int | None:
    """The active account whose feed ``token`` opens, or None (unknown, replaced, turned
    off, a deactivated account, or not a token at all)."""
    if (not isinstance(token, str) or not 0 < len(token) <= TOKEN_MAX
            or not _TOKEN_CHARS.issuperset(token)):
        return None
    return session.exec(
        select(User.id).join(CalendarFeed, col(CalendarFeed.user_id) == col(User.id))
        .where(CalendarFeed.token_hash == hash_token(token), col(User.is_active))).first()


def _interview_events(session: Session, owner_id: int, uid_domain: str, now: datetime
                      ) -> list[Event]:
    rows = session.exec(
        select(Interview, col(Contact.name), col(Exploration.field_name))
        .join(Contact, col(Contact.id) == col(Interview.contact_id))
        .join(Exploration, col(Exploration.id) == col(Interview.exploration_id))
        .where(Interview.owner_id == owner_id)
        .order_by(col(Interview.scheduled_at), col(Interview.id))).all()
    events = []
    for interview, contact_name, field_name in rows:
        mode = InterviewMode(interview.mode)
        location = interview.location or (PHONE_LOCATION if mode is InterviewMode.PHONE
                                           else "")
        fields = InterviewFields(
            uid_domain=uid_domain, interview_id=interview.id or 0,
            start=interview.scheduled_at, created=now,
            duration_minutes=interview.duration_minutes, mode=mode, location=location,
            contact_name=contact_name, field_name=field_name, student_name="")
        events.append(interview_event(
            fields, cancelled=interview.status == InterviewStatus.CANCELLED))
    return events


def _follow_up_event(task: FollowUpTask, contact_name: str | None, field_name: str | None,
                     uid_domain: str, now: datetime, app_url: str) -> Event:
    day: date = max(task.due_on, task.snoozed_until or task.due_on)
    label = FOLLOW_UP_LABELS[FollowUpKind(task.kind)]
    about = f" in {field_name}" if field_name else ""
    event = Event()
    event.add("uid", follow_up_uid(task.id or 0, uid_domain))
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"{label}: {contact_name}" if contact_name else label)
    event.add("description", f"A follow-up{about}. Mark it done in InfoView"
                             f"{': ' + app_url if app_url else ''}.")
    event.add("transp", "TRANSPARENT")  # a to-do, not a busy day
    return event


def _follow_up_events(session: Session, owner_id: int, uid_domain: str, now: datetime,
                      app_url: str) -> list[Event]:
    rows = session.exec(
        select(FollowUpTask, col(Contact.name), col(Exploration.field_name))
        .join(Contact, col(Contact.id) == col(FollowUpTask.contact_id), isouter=True)
        .join(Exploration, col(Exploration.id) == col(FollowUpTask.exploration_id),
              isouter=True)
        .where(FollowUpTask.owner_id == owner_id, FollowUpTask.status == FollowUpStatus.OPEN)
        .order_by(col(FollowUpTask.due_on), col(FollowUpTask.id))).all()
    return [_follow_up_event(task, contact_name, field_name, uid_domain, now, app_url)
            for task, contact_name, field_name in rows]


def feed_ics(session: Session, owner_id: int, *, uid_domain: str, now: datetime,
             app_url: str = "") -> bytes:
    """The student's feed as .ics bytes: their interviews and open follow-ups, nobody
    else's. ``uid_domain`` is the host in every UID (a host name: keep it the same from
    one request to the next, or calendars see new events); ``now`` is DTSTAMP; ``app_url``
    the app's address for the follow-ups' descriptions. Two queries."""
    events = [*_interview_events(session, owner_id, uid_domain, now),
              *_follow_up_events(session, owner_id, uid_domain, now, app_url)]
    calendar = published_calendar(*events, x_wr_calname=FEED_NAME,
                                  x_wr_caldesc=FEED_DESCRIPTION)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # an X- property: typed here
    return calendar.to_ical()


def feed_for_token(session: Session, token: Any, *, uid_domain: str, now: datetime,
                   app_url: str = "") -> bytes | None:
    """The feed that ``token`` opens, or None when it opens none (see ``owner_of``)."""
    owner_id = owner_of(session, token)
    if owner_id is None:
        return None
    return feed_ics(session, owner_id, uid_domain=uid_domain, now=now, app_url=app_url)
