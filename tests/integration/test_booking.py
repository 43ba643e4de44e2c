"""Booking the interview (step 4) against a real database: local time to UTC, validation,
stages, the outreach reminders it ends, owner scoping and the .ics download."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from icalendar import Calendar
from sqlmodel import Session, func, select

from infoview_app.models import (
    Contact,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewStatus,
    PipelineStage,
)
from infoview_app.models._base import utcnow
from infoview_app.services.connect import booking, outreach
from infoview_app.services.core.errors import InvalidInput, NotFound
from infoview_app.services.follow_up import to_do
from infoview_app.services.journey import explorations
from tests.factories import contact_id, student_with_exploration

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"
DOMAIN = "infoview.example.edu"


BOOKING: dict[str, Any] = {"date": "2026-03-10", "time": "10:00", "mode": "in_person",
                           "location": "Lakeside Clinic, 2nd floor", "timezone": CHICAGO}


def _book(session: Session, owner: int, contact: Any, now: datetime = NOW,
          **changes: Any) -> dict[str, Any]:
    return booking.book_interview(session, owner, contact, **{**BOOKING, **changes}, now=now)


def _stage(session: Session, contact_id: int) -> PipelineStage:
    session.expire_all()
    contact = session.get(Contact, contact_id)
    assert contact is not None
    return PipelineStage(contact.stage)


def _interviews(session: Session) -> list[Interview]:
    session.expire_all()
    return list(session.exec(select(Interview).order_by(Interview.id)).all())


# --- booking -------------------------------------------------------------------------------

def test_booking_stores_utc_and_marks_the_contact_scheduled(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam)
    # 10:00 in Chicago on 10 March 2026 is daylight time (UTC-5): 15:00 UTC.
    assert booked == {
        "id": booked["id"], "contact_id": sam, "contact_name": "Sam Okafor",
        "exploration_id": exploration, "field_name": "Physical therapy",
        "scheduled_at": "2026-03-10T15:00:00+00:00", "ends_at": "2026-03-10T15:30:00+00:00",
        "duration_minutes": 30, "mode": "in_person",
        "location": "Lakeside Clinic, 2nd floor", "status": "scheduled"}
    [stored] = _interviews(session)
    assert stored.scheduled_at == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert (stored.owner_id, stored.contact_id, stored.exploration_id) == (owner, sam,
                                                                           exploration)
    assert stored.status == InterviewStatus.SCHEDULED
    assert _stage(session, sam) is PipelineStage.SCHEDULED


@pytest.mark.parametrize(("day", "at", "zone", "utc"), [
    ("2026-01-12", "09:30", CHICAGO, datetime(2026, 1, 12, 15, 30, tzinfo=UTC)),  # CST, UTC-6
    ("2026-03-10", "10:00", CHICAGO, datetime(2026, 3, 10, 15, 0, tzinfo=UTC)),  # CDT, UTC-5
    ("2026-03-10", "10:00", "Asia/Kolkata", datetime(2026, 3, 10, 4, 30, tzinfo=UTC)),
    (date(2026, 3, 10), time(23, 15), "Pacific/Auckland",
     datetime(2026, 3, 10, 10, 15, tzinfo=UTC)),  # NZDT, UTC+13
    ("2026-11-01", "01:30", CHICAGO,  # passed twice as clocks fall back: the first, CDT
     datetime(2026, 11, 1, 6, 30, tzinfo=UTC)),
])
def test_local_time_becomes_utc(session: Session, day: Any, at: Any, zone: str,
                                utc: datetime) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    booked = _book(session, owner, sam, now=now, date=day, time=at, timezone=zone)
    assert booked["scheduled_at"] == utc.isoformat()
    assert _interviews(session)[0].scheduled_at == utc


def test_booking_ends_the_contacts_outreach_reminders(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    lee = contact_id(session, owner, exploration, "Lee Chen")
    for person in (sam, lee):
        outreach.log_attempt(session, owner, person, "phone", "no_answer", date(2026, 2, 20),
                             now=NOW)
    done = session.exec(select(FollowUpTask).where(
        FollowUpTask.contact_id == sam, FollowUpTask.kind == FollowUpKind.OUTREACH_NUDGE)).one()
    to_do.mark_done(session, owner, done.id, utcnow().date())
    session.add(FollowUpTask(owner_id=owner, exploration_id=exploration, contact_id=sam,
                             kind=FollowUpKind.LINKEDIN_CONNECT, due_on=date(2026, 3, 2)))
    session.commit()

    _book(session, owner, sam)
    session.expire_all()
    remaining = session.exec(select(FollowUpTask.contact_id, FollowUpTask.kind,
                                    FollowUpTask.status)).all()
    assert sorted((c, FollowUpKind(k).value, FollowUpStatus(s).value)
                  for c, k, s in remaining) == sorted([
        (sam, "outreach_nudge", "done"),  # history stays
        (sam, "linkedin_connect", "open"),  # not an outreach reminder
        (lee, "outreach_nudge", "open"), (lee, "move_on", "open"),  # another contact
    ])


def test_booking_never_moves_a_contact_back(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration, stage=PipelineStage.THANKED)
    _book(session, owner, sam)
    assert _stage(session, sam) is PipelineStage.THANKED


@pytest.mark.parametrize(("mode", "location", "stored"), [
    ("phone", "", "Phone call"),
    ("phone", "She will call my cell", "She will call my cell"),
    ("video", "https://meet.example.com/abc-defg", "https://meet.example.com/abc-defg"),
])
def test_modes_and_their_places(session: Session, mode: str, location: str,
                                stored: str) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam, mode=mode, location=location, duration_minutes="20")
    assert (booked["mode"], booked["location"], booked["duration_minutes"]) == (
        mode, stored, 20)


# --- validation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("changes", "fields"), [
    ({"duration_minutes": 19}, {"duration_minutes"}),
    ({"duration_minutes": 31}, {"duration_minutes"}),
    ({"duration_minutes": "thirty"}, {"duration_minutes"}),
    ({"duration_minutes": True}, {"duration_minutes"}),
    ({"mode": "video", "location": ""}, {"location"}),
    ({"mode": "video", "location": "Zoom, room 5"}, {"location"}),
    ({"mode": "in_person", "location": "  "}, {"location"}),
    ({"mode": "carrier_pigeon"}, {"mode"}),
    ({"timezone": "Mars/Olympus_Mons"}, {"timezone"}),
    ({"timezone": "localtime"}, {"timezone"}),
    ({"timezone": "../../etc/passwd"}, {"timezone"}),
    ({"timezone": None}, {"timezone"}),
    ({"date": "2026-02-30"}, {"date"}),
    ({"date": "tomorrow"}, {"date"}),
    ({"time": "25:00"}, {"time"}),
    ({"time": "10:00+05:00"}, {"time"}),
    ({"date": "2026-02-28"}, {"date"}),  # before NOW: a past day
    ({"date": "2026-03-01", "time": "05:59"}, {"time"}),  # earlier today in Chicago
    ({"date": "2027-03-10"}, {"date"}),  # more than a year ahead
    ({"date": "2026-03-08", "time": "02:30"}, {"time"}),  # skipped: clocks spring forward
    ({"duration_minutes": 31, "mode": "video", "location": "", "timezone": "Nowhere"},
     {"duration_minutes", "location", "timezone"}),  # every bad field at once
])
def test_invalid_bookings_are_refused_and_change_nothing(session: Session,
                                                         changes: dict[str, Any],
                                                         fields: set[str]) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    outreach.log_attempt(session, owner, sam, "phone", "no_answer", date(2026, 2, 27), now=NOW)
    with pytest.raises(InvalidInput) as error:
        _book(session, owner, sam, **changes)
    assert set(error.value.errors) == fields
    assert _interviews(session) == []
    assert _stage(session, sam) is PipelineStage.CONTACTED
    assert session.exec(select(func.count()).select_from(FollowUpTask)).one() == 2


def test_duration_bounds_are_accepted(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    lee = contact_id(session, owner, exploration, "Lee Chen")
    assert _book(session, owner, sam, duration_minutes=20)["duration_minutes"] == 20
    assert _book(session, owner, lee, duration_minutes=30)["ends_at"] == (
        "2026-03-10T15:30:00+00:00")


def test_one_upcoming_interview_per_contact(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    first = _book(session, owner, sam)
    with pytest.raises(InvalidInput) as error:
        _book(session, owner, sam, date="2026-03-12")
    assert error.value.field == "contact_id"
    booking.cancel_interview(session, owner, first["id"])
    assert _book(session, owner, sam, date="2026-03-12")["status"] == "scheduled"
    assert len(_interviews(session)) == 2


# --- reschedule and cancel -----------------------------------------------------------------

def test_reschedule_and_cancel(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam)
    moved = booking.reschedule_interview(
        session, owner, booked["id"], date="2026-03-11", time="14:30", duration_minutes=25,
        mode="video", location="https://meet.example.com/xyz", timezone="America/New_York",
        now=NOW)
    assert moved["id"] == booked["id"]
    assert (moved["scheduled_at"], moved["duration_minutes"], moved["mode"]) == (
        "2026-03-11T18:30:00+00:00", 25, "video")
    [stored] = _interviews(session)
    assert stored.scheduled_at == datetime(2026, 3, 11, 18, 30, tzinfo=UTC)
    assert stored.location == "https://meet.example.com/xyz"

    with pytest.raises(InvalidInput) as error:
        booking.reschedule_interview(session, owner, booked["id"], **{
            **BOOKING, "date": "2026-02-01"}, now=NOW)
    assert set(error.value.errors) == {"date"}
    assert _interviews(session)[0].scheduled_at == datetime(2026, 3, 11, 18, 30, tzinfo=UTC)

    cancelled = booking.cancel_interview(session, owner, booked["id"])
    assert cancelled["status"] == "cancelled"
    assert booking.cancel_interview(session, owner, booked["id"])["status"] == "cancelled"
    assert _interviews(session)[0].status == InterviewStatus.CANCELLED
    assert _stage(session, sam) is PipelineStage.SCHEDULED  # never backwards
    with pytest.raises(InvalidInput, match=r"^This interview was cancelled: book a new one"):
        booking.reschedule_interview(session, owner, booked["id"], **BOOKING, now=NOW)
    with pytest.raises(InvalidInput):
        booking.interview_ics_for(session, owner, booked["id"], DOMAIN)
    assert booking.upcoming_interviews(session, owner, now=NOW) == []


def test_a_completed_interview_cannot_be_cancelled(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam)
    stored = session.get(Interview, booked["id"])
    assert stored is not None
    stored.status = InterviewStatus.COMPLETED
    session.add(stored)
    session.commit()
    with pytest.raises(InvalidInput):
        booking.cancel_interview(session, owner, booked["id"])
    assert _interviews(session)[0].status == InterviewStatus.COMPLETED
    # Rescheduling it says so in the pages' words: "held", never the stored "completed".
    with pytest.raises(InvalidInput, match=r"^This interview was held: book a new one"):
        booking.reschedule_interview(session, owner, booked["id"], **BOOKING, now=NOW)


# --- owner scoping -------------------------------------------------------------------------

def test_someone_elses_contact_or_interview_reads_as_not_found(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    other, other_exploration = student_with_exploration(session, 2)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam)
    with pytest.raises(NotFound):
        _book(session, other, sam, date="2026-03-12")
    with pytest.raises(NotFound):
        booking.reschedule_interview(session, other, booked["id"],
                                     **{**BOOKING, "date": "2026-03-12"}, now=NOW)
    with pytest.raises(NotFound):
        booking.cancel_interview(session, other, booked["id"])
    with pytest.raises(NotFound):
        booking.interview_ics_for(session, other, booked["id"], DOMAIN)
    with pytest.raises(NotFound):
        booking.upcoming_interviews(session, other, exploration, now=NOW)
    with pytest.raises(NotFound):
        booking.cancel_interview(session, owner, 10**9)
    assert booking.upcoming_interviews(session, other, now=NOW) == []
    assert booking.upcoming_interviews(session, other, other_exploration, now=NOW) == []
    [stored] = _interviews(session)
    assert (stored.status, stored.scheduled_at) == (
        InterviewStatus.SCHEDULED, datetime(2026, 3, 10, 15, 0, tzinfo=UTC))


# --- upcoming ------------------------------------------------------------------------------

def test_upcoming_interviews_soonest_first_and_by_exploration(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    second = explorations.start_exploration(session, owner, "Occupational therapy")
    sam = contact_id(session, owner, exploration)
    lee = contact_id(session, owner, exploration, "Lee Chen")
    ola = contact_id(session, owner, second, "Ola Nordmann")
    _book(session, owner, sam, date="2026-03-12")
    _book(session, owner, lee, date="2026-03-10", duration_minutes=20)
    _book(session, owner, ola, date="2026-03-11")
    every = booking.upcoming_interviews(session, owner, now=NOW)
    assert [i["contact_name"] for i in every] == ["Lee Chen", "Ola Nordmann", "Sam Okafor"]
    assert every[1]["field_name"] == "Occupational therapy"
    assert [i["contact_name"] for i in booking.upcoming_interviews(
        session, owner, exploration, now=NOW)] == ["Lee Chen", "Sam Okafor"]
    # Lee's 20 minutes run 15:00-15:20 UTC on the 10th: under way at 15:10, over at 15:20.
    during = datetime(2026, 3, 10, 15, 10, tzinfo=UTC)
    assert booking.upcoming_interviews(session, owner, now=during)[0]["contact_name"] == (
        "Lee Chen")
    after = datetime(2026, 3, 10, 15, 20, tzinfo=UTC)
    assert [i["contact_name"] for i in booking.upcoming_interviews(
        session, owner, now=after)] == ["Ola Nordmann", "Sam Okafor"]


# --- the calendar file ---------------------------------------------------------------------

def test_ics_download_parses_with_the_right_start_in_utc(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam, date="2026-01-12", time="09:30", duration_minutes=25,
                   now=datetime(2026, 1, 5, tzinfo=UTC))
    filename, ics = booking.interview_ics_for(session, owner, str(booked["id"]), DOMAIN,
                                              now=datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
    assert filename == f"informational-interview-{booked['id']}.ics"
    assert isinstance(ics, bytes)
    calendar = Calendar.from_ical(ics)
    [event] = calendar.walk("VEVENT")
    # 09:30 in Chicago in January is standard time (UTC-6): 15:30 UTC.
    assert event.decoded("DTSTART") == datetime(2026, 1, 12, 15, 30, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 1, 12, 15, 55, tzinfo=UTC)
    assert b"DTSTART:20260112T153000Z" in ics
    assert event.decoded("DTSTAMP") == datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    assert str(event["UID"]) == f"interview-{booked['id']}@{DOMAIN}"
    assert str(event["SUMMARY"]) == "Informational interview with Sam Okafor"
    assert str(event["LOCATION"]) == "Lakeside Clinic, 2nd floor"
    assert "Physical therapy" in str(event["DESCRIPTION"])
    assert "Booked by Student 1" in str(event["DESCRIPTION"])


def test_ics_for_a_video_call_carries_the_link(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam, mode="video",
                   location="https://meet.example.com/abc-defg", timezone="Europe/Oslo")
    _, ics = booking.interview_ics_for(session, owner, booked["id"], DOMAIN)
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # CET, UTC+1
    assert str(event["URL"]) == "https://meet.example.com/abc-defg"


def test_ics_refuses_a_bad_domain(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    booked = _book(session, owner, sam)
    with pytest.raises(InvalidInput) as error:
        booking.interview_ics_for(session, owner, booked["id"], "not a domain")
    assert error.value.field == "uid_domain"


def test_booked_time_is_timezone_aware_after_reading_back(session: Session) -> None:
    owner, exploration = student_with_exploration(session, 1)
    sam = contact_id(session, owner, exploration)
    _book(session, owner, sam)
    session.expire_all()
    stored = session.exec(select(Interview)).one()
    assert stored.scheduled_at.utcoffset() == timedelta(0)
