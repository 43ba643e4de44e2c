"""The private calendar feed (issue 14) through its real ASGI route, on SQLite and PostgreSQL:
a valid RFC 5545 calendar (parsed with icalendar) of one student's interviews and open
follow-ups, stable UIDs across an edit, a cancellation marked, revocation, nobody else's data,
and a bare 404 for any token that opens nothing."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from icalendar import Calendar, Event
from sqlalchemy import event
from sqlmodel import Session
from starlette.testclient import TestClient

from infoview_app import db
from infoview_app.api import feed_path, with_api
from infoview_app.models import FollowUpKind, FollowUpTask, Role
from infoview_app.services.accounts import user_accounts
from infoview_app.services.accounts.audit import Actor
from infoview_app.services.connect import booking, calendar_feed, outreach
from infoview_app.services.core import throttle
from infoview_app.services.core.wording import FOLLOW_UP_LABELS
from infoview_app.services.follow_up import to_do
from infoview_app.services.interview import interview_mode
from infoview_app.upload_limit import MAX_UPLOAD_BODY_BYTES, UploadLimit
from tests.factories import PASSWORD, contact_id, student_with_exploration

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CHICAGO = "America/Chicago"
VIDEO_LINK = "https://meet.example.org/sam-okafor"


async def _backend(scope: Any, receive: Any, send: Any) -> None:
    """Stands in for the Reflex backend behind the routes: answers 200 "reflex"."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"reflex"})


@pytest.fixture
def client(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app's routes in front of a stand-in backend, wrapped as the app wraps them
    (UploadLimit first, then with_api), on the test's database."""
    monkeypatch.setattr(db, "database_url", lambda: db_url)
    with TestClient(with_api(UploadLimit(_backend))) as test_client:
        yield test_client


def _book(session: Session, owner: int, contact: int, day: str, **changes: Any) -> int:
    form = {"date": day, "time": "10:00", "mode": "in_person",
            "location": "Lakeside Clinic, 2nd floor", "timezone": CHICAGO, **changes}
    return booking.book_interview(session, owner, contact, **form, now=NOW)["id"]


class Student:
    """A student with a video interview, a cancelled one, a held one (its follow-ups open),
    3B7 reminders after a phone call, and one follow-up skipped and one snoozed."""

    def __init__(self, session: Session, n: int, names: tuple[str, str, str, str]) -> None:
        self.id, exploration = student_with_exploration(session, n)
        sam, lee, kim, pat = (contact_id(session, self.id, exploration, name)
                              for name in names)
        self.names = names
        self.video = _book(session, self.id, sam, "2026-03-10", mode="video",
                           location=VIDEO_LINK)
        self.cancelled = _book(session, self.id, lee, "2026-03-12")
        booking.cancel_interview(session, self.id, self.cancelled)
        self.held = _book(session, self.id, kim, "2026-03-03")
        tasks = interview_mode.complete_interview(session, self.id, self.held,
                                                  will_report_back=True,
                                                  today=date(2026, 3, 4))
        self.held_tasks = {row["kind"]: row["id"] for row in tasks}
        outreach.log_attempt(session, self.id, pat, "phone", "no_answer", "2026-03-02",
                             now=NOW)
        to_do.skip(session, self.id, self.held_tasks[FollowUpKind.LINKEDIN_CONNECT])
        to_do.snooze(session, self.id, self.held_tasks[FollowUpKind.PROGRESS_UPDATE],
                     "2026-05-01", today=date(2026, 4, 1))
        self.token = calendar_feed.new_link(session, self.id, NOW)


@pytest.fixture
def two_students(session: Session) -> tuple[Student, Student]:
    return (Student(session, 1, ("Sam Okafor", "Lee Park", "Kim Adeyemi", "Pat Moreau")),
            Student(session, 2, ("Rosa Vidal", "Ivo Brandt", "Mei Tanaka", "Noor Haddad")))


def _fetch(client: TestClient, token: str) -> Calendar:
    response = client.get(feed_path(token))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert response.headers["cache-control"] == "private, no-store"
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")
            if isinstance(event, Event)}


def _host(uid: str) -> str:
    return uid.rsplit("@", 1)[1]


def test_the_feed_is_a_valid_calendar_of_the_students_interviews_and_open_follow_ups(
        client: TestClient, two_students: tuple[Student, Student]) -> None:
    student = two_students[0]
    calendar = _fetch(client, student.token)
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == calendar_feed.FEED_NAME
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    events = _events(calendar)
    host = _host(next(iter(events)))

    video = events[f"interview-{student.video}@{host}"]
    # 10:00 in Chicago on 10 March 2026 (daylight time, UTC-5) is 15:00 UTC; 30 minutes.
    assert video.decoded("DTSTART") == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    assert video.decoded("DTEND") - video.decoded("DTSTART") == timedelta(minutes=30)
    assert str(video["SUMMARY"]) == "Informational interview with Sam Okafor"
    assert str(video["LOCATION"]) == VIDEO_LINK and str(video["URL"]) == VIDEO_LINK
    assert str(video["STATUS"]) == "CONFIRMED"
    assert len(video.walk("VALARM")) == 1
    held = events[f"interview-{student.held}@{host}"]
    assert str(held["LOCATION"]) == "Lakeside Clinic, 2nd floor"

    follow_ups = {uid: event for uid, event in events.items() if uid.startswith("follow-up-")}
    thank_you = follow_ups.pop(
        f"follow-up-{student.held_tasks[FollowUpKind.THANK_YOU_NOTE]}@{host}")
    # An all-day event: a DATE, not a DATE-TIME, one day long.
    assert thank_you["DTSTART"].params["VALUE"] == "DATE"
    start = thank_you.decoded("DTSTART")
    assert type(start) is date
    assert thank_you.decoded("DTEND") == start + timedelta(days=1)
    assert str(thank_you["SUMMARY"]) == (
        f"{FOLLOW_UP_LABELS[FollowUpKind.THANK_YOU_NOTE]}: Kim Adeyemi")
    assert str(thank_you["TRANSP"]) == "TRANSPARENT"
    # The snoozed progress update falls on the day its snooze ends; the skipped LinkedIn
    # task is not in the feed.
    progress = follow_ups.pop(
        f"follow-up-{student.held_tasks[FollowUpKind.PROGRESS_UPDATE]}@{host}")
    assert progress.decoded("DTSTART") == date(2026, 5, 1)
    assert f"follow-up-{student.held_tasks[FollowUpKind.LINKEDIN_CONNECT]}@{host}" not in events
    # What remains are the 3B7 reminders after the unanswered call to Pat.
    assert sorted(str(event["SUMMARY"]) for event in follow_ups.values()) == sorted(
        f"{FOLLOW_UP_LABELS[kind]}: Pat Moreau"
        for kind in (FollowUpKind.OUTREACH_NUDGE, FollowUpKind.MOVE_ON))
    assert all(type(event.decoded("DTSTART")) is date for event in follow_ups.values())


def test_an_edit_keeps_every_uid_and_changes_the_event(
        client: TestClient, session: Session, two_students: tuple[Student, Student]) -> None:
    student = two_students[0]
    before = _events(_fetch(client, student.token))
    booking.reschedule_interview(session, student.id, student.video, date="2026-03-11",
                                 time="14:30", duration_minutes=20, mode="video",
                                 location=VIDEO_LINK, timezone=CHICAGO, now=NOW)
    after = _events(_fetch(client, student.token))
    assert set(after) == set(before)
    uid = f"interview-{student.video}@{_host(next(iter(after)))}"
    assert after[uid].decoded("DTSTART") == datetime(2026, 3, 11, 19, 30, tzinfo=UTC)
    assert after[uid].decoded("DTEND") == datetime(2026, 3, 11, 19, 50, tzinfo=UTC)
    assert before[uid].decoded("DTSTART") == datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


def test_a_cancelled_interview_is_marked_cancelled_and_a_closed_follow_up_leaves(
        client: TestClient, session: Session, two_students: tuple[Student, Student]) -> None:
    student = two_students[0]
    events = _events(_fetch(client, student.token))
    host = _host(next(iter(events)))
    cancelled = events[f"interview-{student.cancelled}@{host}"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled.walk("VALARM") == []
    thank_you = student.held_tasks[FollowUpKind.THANK_YOU_NOTE]
    assert f"follow-up-{thank_you}@{host}" in events
    to_do.mark_done(session, student.id, thank_you, date(2026, 3, 5))
    assert f"follow-up-{thank_you}@{host}" not in _events(_fetch(client, student.token))


def test_a_feed_holds_nothing_of_another_student(
        client: TestClient, session: Session, two_students: tuple[Student, Student]) -> None:
    for student, other in (two_students, two_students[::-1]):
        response = client.get(feed_path(student.token))
        text = response.content.decode()
        assert all(name in text for name in student.names)
        assert not any(name in text for name in other.names)
        theirs = {f"interview-{other.video}@", f"interview-{other.held}@",
                  *(f"follow-up-{task}@" for task in other.held_tasks.values())}
        assert not any(uid.startswith(tuple(theirs))
                       for uid in _events(Calendar.from_ical(response.content)))
    # Every task in the feed is the student's own.
    first = two_students[0]
    task_ids = {int(uid.split("@")[0].removeprefix("follow-up-"))
                for uid in _events(_fetch(client, first.token)) if uid.startswith("follow-up")}
    assert task_ids and all(session.get(FollowUpTask, task).owner_id == first.id  # type: ignore[union-attr]
                            for task in task_ids)


def test_a_new_link_kills_the_old_one_and_turning_off_kills_both(
        client: TestClient, session: Session, two_students: tuple[Student, Student]) -> None:
    student, other = two_students
    old = student.token
    new = calendar_feed.new_link(session, student.id, NOW)
    assert new != old
    assert client.get(feed_path(old)).status_code == 404
    _fetch(client, new)
    _fetch(client, other.token)  # another student's feed is untouched
    calendar_feed.turn_off(session, student.id)
    assert client.get(feed_path(new)).status_code == 404
    assert calendar_feed.status(session, student.id).on is False
    _fetch(client, other.token)


def test_an_unknown_token_gets_a_bare_404(client: TestClient,
                                          two_students: tuple[Student, Student],
                                          session: Session) -> None:
    student = two_students[0]
    revoked = student.token
    calendar_feed.new_link(session, student.id, NOW)
    answers = [client.get(feed_path(token)) for token in (
        revoked, "x" * 43, revoked[:-1], revoked.upper(), "a" * 500, "t%C3%B6ken", "a%20b")]
    assert {answer.status_code for answer in answers} == {404}
    # The same answer whatever was wrong: nothing to tell a revoked link from a guess.
    assert {answer.content for answer in answers} == {b"Not found."}


def test_a_deactivated_accounts_feed_is_gone(client: TestClient, session: Session,
                                             two_students: tuple[Student, Student]) -> None:
    student = two_students[0]
    user_accounts.set_active(session, student.id, Role.STUDENT, False,
                             by=Actor(None, "127.0.0.1"))
    assert client.get(feed_path(student.token)).status_code == 404


def test_deleting_the_account_deletes_its_feed(client: TestClient, session: Session,
                                               two_students: tuple[Student, Student]) -> None:
    student, other = two_students
    user_accounts.delete_account(session, student.id, PASSWORD, by=Actor(None, "127.0.0.1"))
    assert client.get(feed_path(student.token)).status_code == 404
    _fetch(client, other.token)


def test_guessing_is_throttled_per_address(client: TestClient,
                                           two_students: tuple[Student, Student]) -> None:
    limit = throttle.FEED_MISSES[0].amount
    for n in range(limit):
        assert client.get(feed_path(f"guess{n}")).status_code == 404
    assert client.get(feed_path("one-more-guess")).status_code == 429
    # Refused before any lookup: even a live link, from that address.
    assert client.get(feed_path(two_students[0].token)).status_code == 429


def test_other_paths_still_reach_the_backend_and_uploads_keep_their_cap(
        client: TestClient) -> None:
    assert client.get("/ping").text == "reflex"
    assert client.get("/calendar/").text == "reflex"
    refused = client.post("/_upload", content=b"",
                          headers={"content-length": str(MAX_UPLOAD_BODY_BYTES + 1)})
    assert refused.status_code == 413


def test_the_app_wraps_its_backend_with_both() -> None:
    from infoview_app.infoview_app import app

    assert app.api_transformer[:2] == [UploadLimit, with_api]


def _statements(session: Session, token: str) -> int:
    """How many SQL statements serving the feed of ``token`` issues."""
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", counted)
    try:
        with Session(engine) as fresh:
            assert calendar_feed.feed_for_token(fresh, token, uid_domain="infoview.example.edu",
                                                now=NOW) is not None
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def test_the_feed_takes_the_same_few_statements_however_much_it_holds(
        session: Session, two_students: tuple[Student, Student]) -> None:
    student = two_students[0]
    few = _statements(session, student.token)
    session.add_all(FollowUpTask(owner_id=student.id, kind=FollowUpKind.OUTREACH_NUDGE,
                                 due_on=date(2026, 4, 1) + timedelta(days=n))
                    for n in range(200))
    session.commit()
    assert _statements(session, student.token) == few == 3
