"""The interview as an RFC 5545 .ics file, read back with the icalendar library."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar, Event

from infoview_app.models.explorations import InterviewMode
from infoview_app.services.connect.calendar_files import (
    DEFAULT_UID_DOMAIN,
    PRODID,
    ics_filename,
    interview_ics,
    uid_domain_for,
)
from infoview_app.services.core.errors import InvalidInput

EASTERN = timezone(timedelta(hours=-5))
START = datetime(2026, 3, 10, 10, 0, tzinfo=EASTERN)  # 15:00 UTC
CREATED = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def make(**overrides: Any) -> bytes:
    arguments: dict[str, Any] = {
        "uid_domain": "infoview.example.edu", "interview_id": 12, "start": START,
        "duration_minutes": 30, "mode": InterviewMode.IN_PERSON,
        "location": "Engineering Building, room 204", "contact_name": "Dana Reyes",
        "field_name": "Civil engineering", "student_name": "Ana Lopez", "created": CREATED,
    }
    arguments.update(overrides)
    return interview_ics(**arguments)


def parse(ics: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def refused(field: str, **overrides: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        make(**overrides)
    assert field in error.value.errors, error.value.errors
    return error.value


def test_every_field_of_the_calendar_and_event() -> None:
    calendar, event = parse(make())
    assert str(calendar["PRODID"]) == PRODID == "-//InfoView//Informational interview//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]) == "interview-12@infoview.example.edu"
    assert event.decoded("DTSTAMP") == CREATED
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    assert str(event["SUMMARY"]) == "Informational interview with Dana Reyes"
    assert str(event["LOCATION"]) == "Engineering Building, room 204"
    assert "URL" not in event


def test_times_are_written_in_utc() -> None:
    ics = make(start=datetime(2026, 3, 11, 0, 15, tzinfo=timezone(timedelta(hours=9))))
    assert b"\r\nDTSTART:20260310T151500Z\r\n" in ics
    assert b"\r\nDTEND:20260310T154500Z\r\n" in ics
    assert b"\r\nDTSTAMP:20260301T093000Z\r\n" in ics
    assert b"TZID" not in ics and b"VTIMEZONE" not in ics


def test_description_reminds_the_student_what_to_do() -> None:
    description = str(parse(make())[1]["DESCRIPTION"])
    lines = description.split("\n")
    assert lines[0] == ("Informational interview about Civil engineering with Dana Reyes: "
                        "30 minutes, in person.")
    assert "- Arrive 10 minutes early." in lines
    assert "- Ask for a business card (or their contact details)." in lines
    assert "- Ask for the names of two more people to talk to." in lines
    assert "- Thank them, then send a hand-written thank-you note within 48 hours." in lines
    assert lines[-1] == "Booked by Ana Lopez with InfoView."
    no_student = str(parse(make(student_name="  "))[1]["DESCRIPTION"])
    assert "Booked by" not in no_student


def test_an_alarm_30_minutes_before() -> None:
    alarms = parse(make())[1].walk("VALARM")
    assert len(alarms) == 1
    alarm = alarms[0]
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-30)
    assert str(alarm["DESCRIPTION"]) == "Informational interview with Dana Reyes in 30 minutes"


@pytest.mark.parametrize("minutes", [20, 25, 30])
def test_duration_from_20_to_30_minutes(minutes: int) -> None:
    event = parse(make(duration_minutes=minutes))[1]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=minutes)
    assert f"{minutes} minutes, in person." in str(event["DESCRIPTION"])


def test_duration_defaults_to_30_minutes() -> None:
    ics = interview_ics(uid_domain="x.edu", interview_id=1, start=START,
                        mode=InterviewMode.PHONE, location="", contact_name="Dana",
                        field_name="Law", student_name="", created=CREATED)
    event = parse(ics)[1]
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=30)


@pytest.mark.parametrize("minutes", [19, 31, 0, -30, 60, "30", 30.0, True, None])
def test_other_durations_are_refused(minutes: object) -> None:
    error = refused("duration_minutes", duration_minutes=minutes)
    assert error.errors["duration_minutes"] == "Choose a length from 20 to 30 minutes."


def test_phone_location_defaults_to_phone_call() -> None:
    event = parse(make(mode=InterviewMode.PHONE, location=""))[1]
    assert str(event["LOCATION"]) == "Phone call"
    assert "by phone" in str(event["DESCRIPTION"])
    given = parse(make(mode="phone", location="Dana calls me: +1 555 0100"))[1]
    assert str(given["LOCATION"]) == "Dana calls me: +1 555 0100"


def test_video_location_is_the_link() -> None:
    link = "https://meet.example.com/abc-defg-hij?pwd=x;y,z"
    event = parse(make(mode=InterviewMode.VIDEO, location=f"  {link} "))[1]
    assert str(event["LOCATION"]) == link
    assert str(event["URL"]) == link
    assert "by video call" in str(event["DESCRIPTION"])
    assert "- Join a few minutes early and check your sound and camera." in str(
        event["DESCRIPTION"]).split("\n")


@pytest.mark.parametrize("location", ["", "Zoom", "meet.example.com/abc",
                                      "javascript:alert(1)", "https://", "https://a b.com",
                                      "ftp://files.example.com"])
def test_video_needs_a_web_link(location: str) -> None:
    refused("location", mode=InterviewMode.VIDEO, location=location)


def test_in_person_needs_a_place_of_at_most_300_characters() -> None:
    refused("location", location="  ")
    refused("location", location="x" * 301)
    assert str(parse(make(location="x" * 300))[1]["LOCATION"]) == "x" * 300


def test_unknown_mode_is_refused() -> None:
    refused("mode", mode="carrier pigeon")


@pytest.mark.parametrize(("field", "value"), [
    ("start", datetime(2026, 3, 10, 10, 0)),  # naive
    ("start", "2026-03-10T10:00:00Z"),
    ("start", datetime(1, 1, 1, tzinfo=UTC)),
    ("created", datetime(2026, 3, 1, 9, 30)),
    ("uid_domain", ""),
    ("uid_domain", "bad domain"),
    ("uid_domain", "a@b.edu"),
    ("uid_domain", "-x.edu"),
    ("uid_domain", "x" * 64 + ".edu"),
    ("interview_id", 0),
    ("interview_id", -1),
    ("interview_id", "abc"),
    ("contact_name", ""),
    ("contact_name", "x" * 121),
    ("contact_name", "Dana\x00Reyes"),
    ("contact_name", "Dana\x1bReyes"),
    ("contact_name", "Dana\ud800"),
    ("field_name", "   "),
    ("field_name", "x" * 151),
    ("student_name", "x" * 121),
    ("location", "Room 5\x07"),
])
def test_bad_arguments_are_refused_by_field(field: str, value: object) -> None:
    refused(field, **{field: value})


def test_every_bad_field_is_reported_at_once() -> None:
    error = refused("contact_name", contact_name="", duration_minutes=45, uid_domain="?")
    assert set(error.errors) == {"contact_name", "duration_minutes", "uid_domain"}


def test_uid_domain_is_lower_cased() -> None:
    assert str(parse(make(uid_domain=" InfoView.Example.EDU "))[1]["UID"]) == (
        "interview-12@infoview.example.edu")


@pytest.mark.parametrize(("host", "domain"), [
    ("InfoView.Example.EDU:3000", "infoview.example.edu"), ("localhost", "localhost"),
    ("[::1]:3000", DEFAULT_UID_DOMAIN), ("", DEFAULT_UID_DOMAIN), (None, DEFAULT_UID_DOMAIN),
    ("evil host", DEFAULT_UID_DOMAIN), ("a_b.example", DEFAULT_UID_DOMAIN),
    ("-bad.example", DEFAULT_UID_DOMAIN)])
def test_the_uid_domain_is_the_page_s_host_or_the_fallback(host: object, domain: str) -> None:
    assert uid_domain_for(host) == domain
    assert str(parse(make(uid_domain=domain))[1]["UID"]) == f"interview-12@{domain}"


def test_special_characters_round_trip() -> None:
    name = "Zoë O'Brien-Núñez, PhD; «Jr» 🎓 \\ 李"
    location = "Café Noir, 12 Rue de l'Église; room 5\n2nd floor \\ back door"
    ics = make(contact_name=name, location=location, field_name="R&D; QA, \"tests\"")
    event = parse(ics)[1]
    assert str(event["SUMMARY"]) == f"Informational interview with {name}"
    assert str(event["LOCATION"]) == location
    assert "about R&D; QA, \"tests\" with" in str(event["DESCRIPTION"])
    unfolded = ics.replace(b"\r\n ", b"")
    assert "LOCATION:Café Noir\\, 12 Rue de l'Église\\; room 5\\n2nd floor \\\\ back door".encode(
        ) in unfolded


def test_line_breaks_in_names_become_spaces_and_addresses_keep_theirs() -> None:
    event = parse(make(contact_name="Dana\r\n  Reyes\t", location="Line 1\r\nLine 2\r\r\n"))[1]
    assert str(event["SUMMARY"]) == "Informational interview with Dana Reyes"
    assert str(event["LOCATION"]) == "Line 1\nLine 2"


def check_content_lines(ics: bytes) -> None:
    """RFC 5545 3.1: CRLF line ends, lines of at most 75 octets, folds between characters."""
    assert ics.endswith(b"\r\n")
    assert ics.count(b"\n") == ics.count(b"\r\n")
    assert ics.count(b"\r") == ics.count(b"\r\n")
    for line in ics.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a multi-byte character


def test_lines_are_crlf_and_long_ones_folded() -> None:
    long_place = "Très long bâtiment des sciences appliquées, aile Est 🎓, " * 5
    ics = make(location=long_place[:300], contact_name="Ünïcödé Ñame " * 9)
    check_content_lines(ics)
    assert any(line.startswith(b" ") for line in ics.split(b"\r\n"))
    assert ics.startswith(b"BEGIN:VCALENDAR\r\n")
    assert ics.endswith(b"END:VCALENDAR\r\n")
    event = parse(ics)[1]
    assert str(event["LOCATION"]) == " ".join(long_place[:300].split())


_NAME = st.text(
    alphabet=st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=120,
).filter(lambda text: bool(text.split()))


@given(_NAME, _NAME, st.sampled_from(list(InterviewMode)))
def test_any_printable_names_round_trip(contact: str, place: str, mode: InterviewMode) -> None:
    location = "https://meet.example.com/x" if mode is InterviewMode.VIDEO else place
    ics = make(contact_name=contact, location=location, mode=mode, student_name=contact)
    check_content_lines(ics)
    event = parse(ics)[1]
    assert str(event["SUMMARY"]) == f"Informational interview with {' '.join(contact.split())}"
    if mode is not InterviewMode.VIDEO:
        assert str(event["LOCATION"]) == " ".join(place.split())


def test_output_is_deterministic() -> None:
    assert make() == make()


def test_download_file_name() -> None:
    assert ics_filename(12) == "informational-interview-12.ics"
    with pytest.raises(InvalidInput):
        ics_filename(0)
