"""Step 4, Connect: booking the informational interview, changing or cancelling it, and the
.ics calendar file to download.

Decisions:
- The student gives a local date and time plus their IANA time zone ("America/Chicago");
  the start is stored in UTC. A time the clocks skip (spring forward) is refused; a time
  they pass twice (fall back) means the first of the two.
- A booking is at most a year ahead: informational interviews are booked weeks ahead, so a
  later date is almost always a mistyped year.
- One upcoming interview per contact: booking again is refused (a double submit would make
  two), the student reschedules instead.
- A cancelled interview can't be rescheduled or downloaded; book a new one. Cancelling does
  not move the contact back in the pipeline (stages never go backwards).
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from infoview_app.models import (
    Contact,
    Exploration,
    Interview,
    InterviewMode,
    InterviewStatus,
    PipelineStage,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.connect.calendar_files import (
    DEFAULT_DURATION_MINUTES,
    DURATION_RANGE,
    ics_filename,
    interview_ics,
    valid_duration,
    valid_location,
)
from infoview_app.services.connect.outreach import (
    advance_stage,
    clear_outreach_reminders,
)
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.time_zones import today_in, valid_timezone
from infoview_app.services.core.transactions import save, transaction
from infoview_app.services.core.wording import label
from infoview_app.services.journey.explorations import owned_exploration

BOOKING_HORIZON = timedelta(days=366)
def parse_time(value: Any) -> time:
    """A time of day: a naive ``time`` or "HH:MM" (as a time input sends it, seconds allowed)."""
    if isinstance(value, time) and value.tzinfo is None:
        return value
    if isinstance(value, str) and len(value.strip()) <= 8:
        try:
            parsed = time.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is None:
            return parsed
    raise InvalidInput("Enter a time such as 14:30.", "time")


def local_start(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware start for a local date and time; refuses a time skipped by a clock change."""
    start = datetime.combine(day, at, tzinfo=zone)
    if start.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != start.replace(tzinfo=None):
        raise InvalidInput("That time doesn't exist on that day: the clocks change. Choose "
                           "another time.", "time")
    return start


class BookingFields(TypedDict):
    """A validated booking: the Interview columns it sets."""
    scheduled_at: datetime
    duration_minutes: int
    mode: InterviewMode
    location: str


class InterviewView(TypedDict):
    """An interview as the pages show it; times are ISO 8601 in UTC."""
    id: int
    contact_id: int
    contact_name: str
    exploration_id: int
    field_name: str
    scheduled_at: str
    ends_at: str
    duration_minutes: int
    mode: str
    location: str
    status: str


class _BookingForm(TypedDict):
    date: date
    time: time
    duration_minutes: int
    mode: InterviewMode
    location: str
    timezone: ZoneInfo


def _clean_booking(*, day: Any, at: Any, duration_minutes: Any, mode: Any, location: Any,
                   timezone: Any, now: datetime) -> BookingFields:
    """The validated booking: start (aware, UTC), duration, mode and location."""
    clean = check.form(
        _BookingForm,
        date=lambda: check.iso_date(day, "date"),
        time=lambda: parse_time(at),
        duration_minutes=lambda: valid_duration(duration_minutes, from_form=True),
        mode=lambda: check.choice(mode, InterviewMode, "mode"),
        location=lambda: valid_location(mode, location),
        timezone=lambda: valid_timezone(timezone),
    )
    zone = clean["timezone"]
    start = local_start(clean["date"], clean["time"], zone)
    if start <= now:
        past_day = clean["date"] < today_in(zone, now)
        raise InvalidInput("Choose a date in the future." if past_day
                           else "Choose a time later than now.", "date" if past_day else "time")
    if start > now + BOOKING_HORIZON:
        raise InvalidInput("Choose a date within the next year.", "date")
    return BookingFields(scheduled_at=start.astimezone(UTC),
                         duration_minutes=clean["duration_minutes"], mode=clean["mode"],
                         location=clean["location"])


def _refuse_second_booking(session: Session, owner_id: int, contact: Contact, now: datetime,
                           exclude_id: int | None = None) -> None:
    query = select(Interview.id).where(
        Interview.owner_id == owner_id, Interview.contact_id == contact.id,
        Interview.status == InterviewStatus.SCHEDULED,
        Interview.scheduled_at >= now - timedelta(minutes=DURATION_RANGE[1]))
    if exclude_id is not None:
        query = query.where(Interview.id != exclude_id)
    if session.exec(query.limit(1)).first() is not None:
        raise InvalidInput(f"You already have an interview booked with {contact.name}: "
                           "change that one instead.", "contact_id")


def interview_dict(interview: Interview, contact_name: str,
                   field_name: str) -> InterviewView:
    """An interview as plain data; times are ISO 8601 in UTC."""
    start = interview.scheduled_at.astimezone(UTC)
    return InterviewView(
        id=interview.id or 0, contact_id=interview.contact_id, contact_name=contact_name,
        exploration_id=interview.exploration_id, field_name=field_name,
        scheduled_at=start.isoformat(),
        ends_at=(start + timedelta(minutes=interview.duration_minutes)).isoformat(),
        duration_minutes=interview.duration_minutes,
        mode=InterviewMode(interview.mode).value, location=interview.location,
        status=InterviewStatus(interview.status).value,
    )


def _field_name(session: Session, owner_id: int, exploration_id: int) -> str:
    return owned_exploration(session, owner_id, exploration_id).field_name


def _save(session: Session, owner_id: int, interview: Interview, contact: Contact) -> None:
    """Store the interview, mark the contact scheduled and end their outreach reminders:
    the outreach worked. One commit."""
    with transaction(session):
        session.add(interview)
        advance_stage(contact, PipelineStage.SCHEDULED)
        session.add(contact)
        assert contact.id is not None
        clear_outreach_reminders(session, owner_id, contact.id)


def book_interview(session: Session, owner_id: int, contact_id: Any, *, date: Any, time: Any,
                   duration_minutes: Any = DEFAULT_DURATION_MINUTES, mode: Any, location: Any,
                   timezone: Any, now: datetime | None = None) -> InterviewView:
    """Book an interview with one of the student's contacts. ``date`` and ``time`` are local
    to ``timezone``; ``now`` is for tests. Raises InvalidInput naming every bad field."""
    now = now or utcnow()
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    clean = _clean_booking(day=date, at=time, duration_minutes=duration_minutes, mode=mode,
                           location=location, timezone=timezone, now=now)
    if contact.exploration_id is None:
        raise InvalidInput("Add this contact to an exploration first.", "contact_id")
    _refuse_second_booking(session, owner_id, contact, now)
    assert contact.id is not None
    interview = Interview(owner_id=owner_id, contact_id=contact.id,
                          exploration_id=contact.exploration_id,
                          status=InterviewStatus.SCHEDULED, **clean)
    _save(session, owner_id, interview, contact)
    return interview_dict(interview, contact.name,
                          _field_name(session, owner_id, contact.exploration_id))


def _scheduled(session: Session, owner_id: int, interview_id: Any) -> Interview:
    interview = owned(session, Interview, owner_id, interview_id, "interview")
    if interview.status != InterviewStatus.SCHEDULED:
        done = label(InterviewStatus, interview.status).lower()  # "held", "cancelled"
        raise InvalidInput(f"This interview was {done}: book a new one instead.",
                           "interview_id")
    return interview


def reschedule_interview(session: Session, owner_id: int, interview_id: Any, *, date: Any,
                         time: Any, duration_minutes: Any = DEFAULT_DURATION_MINUTES,
                         mode: Any, location: Any, timezone: Any,
                         now: datetime | None = None) -> InterviewView:
    """Change a scheduled interview's time, length, mode or place (same rules as booking).
    """
    now = now or utcnow()
    interview = _scheduled(session, owner_id, interview_id)
    clean = _clean_booking(day=date, at=time, duration_minutes=duration_minutes, mode=mode,
                           location=location, timezone=timezone, now=now)
    contact = owned(session, Contact, owner_id, interview.contact_id, "contact")
    _refuse_second_booking(session, owner_id, contact, now, exclude_id=interview.id)
    interview.scheduled_at = clean["scheduled_at"]
    interview.duration_minutes = clean["duration_minutes"]
    interview.mode = clean["mode"]
    interview.location = clean["location"]
    _save(session, owner_id, interview, contact)
    return interview_dict(interview, contact.name,
                          _field_name(session, owner_id, interview.exploration_id))


def cancel_interview(session: Session, owner_id: int, interview_id: Any) -> InterviewView:
    """Cancel a scheduled interview. Cancelling one already cancelled changes nothing; a
    completed interview can't be cancelled."""
    interview = owned(session, Interview, owner_id, interview_id, "interview")
    if interview.status == InterviewStatus.COMPLETED:
        raise InvalidInput("This interview has taken place already.", "interview_id")
    if interview.status == InterviewStatus.SCHEDULED:
        interview.status = InterviewStatus.CANCELLED
        save(session, interview)
    contact = owned(session, Contact, owner_id, interview.contact_id, "contact")
    return interview_dict(interview, contact.name,
                          _field_name(session, owner_id, interview.exploration_id))


def interview_ics_for(session: Session, owner_id: int, interview_id: Any, uid_domain: str, *,
                      now: datetime | None = None) -> tuple[str, bytes]:
    """The interview as a calendar file: (file name, .ics bytes). Media type:
    calendar.ICS_MEDIA_TYPE."""
    interview = owned(session, Interview, owner_id, interview_id, "interview")
    if interview.status == InterviewStatus.CANCELLED:
        raise InvalidInput("This interview was cancelled.", "interview_id")
    assert interview.id is not None
    contact = owned(session, Contact, owner_id, interview.contact_id, "contact")
    student = session.exec(select(User).where(User.id == owner_id)).one()
    ics = interview_ics(
        uid_domain=uid_domain, interview_id=interview.id, start=interview.scheduled_at,
        duration_minutes=interview.duration_minutes, mode=InterviewMode(interview.mode),
        location=interview.location, contact_name=contact.name,
        field_name=_field_name(session, owner_id, interview.exploration_id),
        student_name=student.name, created=now or utcnow())
    return ics_filename(interview.id), ics


def upcoming_interviews(session: Session, owner_id: int, exploration_id: Any = None, *,
                        now: datetime | None = None) -> list[InterviewView]:
    """Scheduled interviews not yet over, soonest first; of one exploration if given."""
    now = now or utcnow()
    query = (
        select(Interview, Contact.name, Exploration.field_name)
        .join(Contact, col(Contact.id) == col(Interview.contact_id))
        .join(Exploration, col(Exploration.id) == col(Interview.exploration_id))
        .where(Interview.owner_id == owner_id, Contact.owner_id == owner_id,
               Exploration.owner_id == owner_id,
               Interview.status == InterviewStatus.SCHEDULED,
               # The longest interview that could still be under way started this long ago.
               Interview.scheduled_at > now - timedelta(minutes=DURATION_RANGE[1]))
        .order_by(col(Interview.scheduled_at), col(Interview.id)))
    if exploration_id is not None:
        query = query.where(Interview.exploration_id
                            == owned_exploration(session, owner_id, exploration_id).id)
    upcoming: list[InterviewView] = []
    for interview, contact_name, field_name in session.exec(query).all():
        if interview.scheduled_at + timedelta(minutes=interview.duration_minutes) > now:
            upcoming.append(interview_dict(interview, contact_name, field_name))
    return upcoming
