"""Step 4, Connect: the booked interview as an RFC 5545 calendar file (.ics) the student
downloads into any calendar app. Built with the icalendar library, which escapes text
(commas, semicolons, backslashes, newlines) and folds lines at 75 octets."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event

from infoview_app.models.explorations import InterviewMode
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput

PRODID = "-//InfoView//Informational interview//EN"
ICS_MEDIA_TYPE = "text/calendar"
DEFAULT_UID_DOMAIN = "infoview.local"
DEFAULT_DURATION_MINUTES = 30
DURATION_RANGE = (20, 30)
LOCATION_MAX = 300
NAME_MAX = 120
FIELD_NAME_MAX = 150
PHONE_LOCATION = "Phone call"
ALARM_BEFORE = timedelta(minutes=30)

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_DOMAIN = re.compile(rf"(?=.{{1,253}}\Z){_LABEL}(?:\.{_LABEL})*")
_HOW = {InterviewMode.IN_PERSON: "in person", InterviewMode.PHONE: "by phone",
        InterviewMode.VIDEO: "by video call"}
_BE_EARLY = {InterviewMode.IN_PERSON: "Arrive 10 minutes early.",
             InterviewMode.PHONE: "Be somewhere quiet, ready a few minutes early.",
             InterviewMode.VIDEO: "Join a few minutes early and check your sound and camera."}
_REMINDERS = ("Ask for a business card (or their contact details).",
              "Ask for the names of two more people to talk to.",
              "Thank them, then send a hand-written thank-you note within 48 hours.")


def _clean_text(value: Any, field: str, *, max_length: int, label: str, required: bool = True,
                multiline: bool = False) -> str:
    """Trimmed text with its spacing tidied (line breaks kept only if ``multiline``) and no
    control characters, which calendar text may not hold."""
    value = check.text(value, field, max_length=max_length, required=required, label=label)
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n") if multiline else [value]
    value = "\n".join(tidy for line in lines if (tidy := " ".join(line.split())))
    return check.plain(value, field, label, line_breaks=multiline)


def valid_duration(value: Any, *, from_form: bool = False) -> int:
    """The interview's length in whole minutes, 20 to 30 (the default is 30); with
    ``from_form``, a form's digit string ("30") is accepted as its number."""
    low, high = DURATION_RANGE
    return check.whole_number(value, "duration_minutes", low=low, high=high, text=from_form,
                              message=f"Choose a length from {low} to {high} minutes.")


def valid_location(mode: Any, location: Any) -> str:
    """Where the interview happens: a place in person (line breaks kept for an address),
    an http(s) link for a video call, and for a phone call whatever the student noted or
    "Phone call"."""
    mode = check.choice(mode, InterviewMode, "mode")
    place = _clean_text(location, "location", max_length=LOCATION_MAX, label="Location",
                        required=False, multiline=True)
    if mode is InterviewMode.PHONE:
        return place or PHONE_LOCATION
    if mode is InterviewMode.VIDEO:
        parts = urlsplit(place)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(
                char.isspace() for char in place):
            raise InvalidInput("Paste the video call link, starting with https://.", "location")
    elif not place:
        raise InvalidInput("Enter where you will meet.", "location")
    return place


def _utc(value: Any, field: str) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput("Choose a date and time with a time zone.", field)
    if not 1900 <= value.year <= 9998:
        raise InvalidInput("Choose a date between 1900 and 9998.", field)
    return value.astimezone(UTC)


def uid_domain_for(host: Any) -> str:
    """The domain in an interview's UID: the host the page was reached at (the Host header,
    without its port), or ``DEFAULT_UID_DOMAIN`` when that is no host name (an IPv6
    address, letters outside ASCII, nothing at all)."""
    name = host.strip().lower() if isinstance(host, str) else ""
    name = "" if name.startswith("[") else name.rsplit(":", 1)[0]
    return name if _DOMAIN.fullmatch(name) else DEFAULT_UID_DOMAIN


def _uid_domain(value: Any) -> str:
    domain = value.strip().lower() if isinstance(value, str) else ""
    if not _DOMAIN.fullmatch(domain):
        raise InvalidInput("The calendar domain must be a host name.", "uid_domain")
    return domain


def _description(*, field_name: str, contact_name: str, student_name: str,
                 mode: InterviewMode, duration_minutes: int) -> str:
    lines = [f"Informational interview about {field_name} with {contact_name}: "
             f"{duration_minutes} minutes, {_HOW[mode]}.", "", "Remember:",
             *(f"- {reminder}" for reminder in (_BE_EARLY[mode], *_REMINDERS))]
    if student_name:
        lines += ["", f"Booked by {student_name} with InfoView."]
    return "\n".join(lines)


class InterviewFields(TypedDict):
    """One interview as a calendar event shows it (validated, or as stored)."""
    uid_domain: str
    interview_id: int
    start: datetime
    created: datetime
    duration_minutes: int
    mode: InterviewMode
    location: str
    contact_name: str
    field_name: str
    student_name: str


def interview_uid(interview_id: int, uid_domain: str) -> str:
    """The interview's UID, the same in the downloaded file and in the calendar feed, so
    that an edit replaces the event instead of adding one."""
    return f"interview-{interview_id}@{uid_domain}"


def interview_event(fields: InterviewFields, *, cancelled: bool = False) -> Event:
    """The VEVENT of one interview: in UTC, with its place (and, for a video call, its link
    as URL) and a display alarm 30 minutes before; a cancelled one is STATUS:CANCELLED and
    has no alarm. ``created`` is DTSTAMP, the moment the calendar is made."""
    summary = f"Informational interview with {fields['contact_name']}"
    event = Event()
    event.add("uid", interview_uid(fields["interview_id"], fields["uid_domain"]))
    event.add("dtstamp", fields["created"])
    event.add("dtstart", fields["start"])
    event.add("dtend", fields["start"] + timedelta(minutes=fields["duration_minutes"]))
    event.add("summary", summary)
    if fields["location"]:
        event.add("location", fields["location"])
    if fields["mode"] is InterviewMode.VIDEO and fields["location"]:
        event.add("url", fields["location"])
    event.add("description", _description(
        field_name=fields["field_name"], contact_name=fields["contact_name"],
        student_name=fields["student_name"], mode=fields["mode"],
        duration_minutes=fields["duration_minutes"]))
    if cancelled:
        event.add("status", "CANCELLED")
        return event
    event.add("status", "CONFIRMED")
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -ALARM_BEFORE)
    alarm.add("description", f"{summary} in {ALARM_BEFORE.seconds // 60} minutes")
    event.add_component(alarm)
    return event


def published_calendar(*events: Event, **properties: Any) -> Calendar:
    """A calendar of ``events`` as InfoView publishes them (METHOD:PUBLISH), with any extra
    calendar ``properties`` (name: value)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    for name, value in properties.items():
        calendar.add(name.replace("_", "-"), value)
    for event in events:
        calendar.add_component(event)
    return calendar


def interview_ics(*, uid_domain: str, interview_id: int, start: datetime,
                  duration_minutes: int = DEFAULT_DURATION_MINUTES, mode: InterviewMode,
                  location: str, contact_name: str, field_name: str, student_name: str,
                  created: datetime) -> bytes:
    """A one-event calendar (METHOD:PUBLISH) for a booked interview, as .ics bytes (UTF-8,
    CRLF line endings), with a display alarm 30 minutes before.

    ``start`` and ``created`` must be timezone-aware; both are written in UTC. ``created``
    is the moment the file is made (DTSTAMP): pass the current time, a parameter only so
    the output is reproducible. The UID is stable per interview, so importing the file
    again after a change updates the same event. Raises InvalidInput naming each bad field.
    """
    clean = check.form(
        InterviewFields,
        uid_domain=lambda: _uid_domain(uid_domain),
        interview_id=lambda: check.record_id(interview_id, "interview_id"),
        start=lambda: _utc(start, "start"),
        created=lambda: _utc(created, "created"),
        duration_minutes=lambda: valid_duration(duration_minutes),
        mode=lambda: check.choice(mode, InterviewMode, "mode"),
        location=lambda: valid_location(mode, location),
        contact_name=lambda: _clean_text(contact_name, "contact_name", max_length=NAME_MAX,
                                         label="Contact name"),
        field_name=lambda: _clean_text(field_name, "field_name", max_length=FIELD_NAME_MAX,
                                       label="Field"),
        student_name=lambda: _clean_text(student_name, "student_name", max_length=NAME_MAX,
                                         label="Your name", required=False),
    )
    return published_calendar(interview_event(clean)).to_ical()


def ics_filename(interview_id: int) -> str:
    """The download's file name, e.g. "informational-interview-12.ics"."""
    return f"informational-interview-{check.record_id(interview_id, 'interview_id')}.ics"
