"""The reminder digests (`infoview send-reminders`), sent to the real SMTP server the tests
start: contents, who gets one and when, exactly once (a second run, a killed run), and a
number of statements that does not grow with the students."""

import os
import subprocess
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, select

from infoview_app import db, routes
from infoview_app.config import smtp_settings
from infoview_app.models import (
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    InterviewMode,
    InterviewStatus,
    ReminderDigest,
    ReminderFrequency,
    Role,
    User,
)
from infoview_app.services.accounts.reminder_preferences import token_user
from infoview_app.services.core.time_zones import today_in
from infoview_app.services.follow_up import reminders
from infoview_app.services.staff import institution
from tests.factories import add_contact, add_interview, exploration_id
from tests.integration.helpers import statements
from tests.mail_server import Inbox, html_part, text_part

ROOT = Path(__file__).resolve().parents[2]
INFOVIEW = Path(sys.executable).parent / "infoview"
SECRET = b"test-secret-key-for-the-unsubscribe-links-000"
BASE = "https://infoview.northfield.example"
# Monday 7 Dec 2026, 14:00 UTC: Monday in UTC and in the Americas, Tuesday in Auckland.
MONDAY = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
TODAY = MONDAY.date()


def _student(session: Session, *, zone: str | None = None, verified: bool = True,
             active: bool = True, role: Role = Role.STUDENT,
             frequency: ReminderFrequency = ReminderFrequency.DAILY) -> User:
    """An account written directly (no password hashing: these tests make hundreds), with a
    unique address so that tests sharing the mail server don't read each other's mail."""
    email = f"s-{uuid.uuid4().hex[:12]}@uni.edu"
    user = User(email=email, email_key=email, name="Ana Diaz", role=role, password_hash="x",
                is_active=active, email_verified_at=MONDAY - timedelta(days=30) if verified
                else None, time_zone=zone, reminder_frequency=frequency)
    session.add(user)
    session.commit()
    return user


def _task(session: Session, owner: int, kind: FollowUpKind, due_on: date, *,
          contact: int | None = None, snoozed_until: date | None = None,
          status: FollowUpStatus = FollowUpStatus.OPEN) -> None:
    session.add(FollowUpTask(owner_id=owner, kind=kind, due_on=due_on, contact_id=contact,
                             snoozed_until=snoozed_until, status=status))
    session.commit()


def _mailing(now: datetime = MONDAY) -> reminders.Mailing:
    settings = smtp_settings()
    assert settings is not None
    return reminders.Mailing(settings=settings, letterhead=reminders.mail.Letterhead(
        "Northfield College", "Career Office", ("555-0100",)), base_url=BASE,
        unsubscribe_url=f"{BASE}{routes.UNSUBSCRIBE}", secret=SECRET,
        now=now)


def _run(session: Session, now: datetime = MONDAY, page_size: int = reminders.PAGE_SIZE
         ) -> reminders.RunReport:
    return reminders.send_reminders(session, _mailing(now), page_size=page_size)


def _only(inbox: Inbox, user: User) -> EmailMessage:
    received = inbox.to(user.email)
    assert len(received) == 1, f"{len(received)} messages to {user.email}"
    return received[0]


def test_a_digest_lists_what_is_due_and_overdue_with_the_interview_tomorrow(
        session: Session, mail_server: Inbox) -> None:
    student = _student(session)
    assert student.id is not None
    contact = add_contact(session, student.id, exploration_id(session, student.id), "Sam Okafor")
    _task(session, student.id, FollowUpKind.THANK_YOU_NOTE, TODAY, contact=contact.id)
    _task(session, student.id, FollowUpKind.OUTREACH_NUDGE, TODAY - timedelta(days=3),
          contact=contact.id)
    _task(session, student.id, FollowUpKind.LINKEDIN_CONNECT, TODAY + timedelta(days=1))
    _task(session, student.id, FollowUpKind.PROGRESS_UPDATE, TODAY - timedelta(days=1),
          snoozed_until=TODAY + timedelta(days=2))
    _task(session, student.id, FollowUpKind.MOVE_ON, TODAY, status=FollowUpStatus.DONE)
    add_interview(session, contact, datetime(2026, 12, 8, 15, 30, tzinfo=UTC),
                  mode=InterviewMode.VIDEO, location="https://meet.example/abc")
    add_interview(session, contact, datetime(2026, 12, 9, 15, 30, tzinfo=UTC))  # not tomorrow

    report = _run(session)

    assert report.sent >= 1 and report.failed == 0
    message = _only(mail_server, student)
    assert message["Subject"] == "InfoView: 2 follow-ups due and an interview tomorrow"
    text = text_part(message)
    assert "- Mail a hand-written thank-you note: Sam Okafor (due today)" in text
    assert "- Try reaching out again: Sam Okafor (overdue since Fri 4 Dec)" in text
    assert ("- Informational interview with Sam Okafor about Physical therapy: "
            "Tue 8 Dec, 3:30 pm, 30 minutes") in text
    for absent in ("Connect on LinkedIn", "progress update", "consider another contact"):
        assert absent not in text
    assert "<li>Mail a hand-written thank-you note: Sam Okafor (due today)</li>" in html_part(
        message)
    ics = [part for part in message.iter_attachments()
           if part.get_content_type() == "text/calendar"]
    assert len(ics) == 1
    event = Calendar.from_ical(ics[0].get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == datetime(2026, 12, 8, 15, 30, tzinfo=UTC)
    assert str(event["uid"]).startswith("interview-")
    assert message["Message-ID"] == f"<digest-{student.id}-2026-12-07@northfield.example.edu>"


def test_unsubscribe_headers_and_link_carry_a_token_for_this_student_only(
        session: Session, mail_server: Inbox) -> None:
    student = _student(session)
    assert student.id is not None
    _task(session, student.id, FollowUpKind.RECONNECT, TODAY)
    _run(session)
    message = _only(mail_server, student)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = message["List-Unsubscribe"]
    assert header.startswith(f"<{BASE}/mail/unsubscribe?t=") and header.endswith(">")
    token = header[1:-1].split("?t=", 1)[1]
    assert token_user(token, SECRET) == student.id
    assert token_user(token, b"another-secret-another-secret-0000") is None
    assert f"Stop these reminder emails:\n{BASE}/mail/unsubscribe?t={token}" in text_part(
        message)


def test_nobody_is_written_to_without_something_due_or_when_not_a_student(
        session: Session, mail_server: Inbox) -> None:
    idle = _student(session)
    later = _student(session)
    unverified = _student(session, verified=False)
    inactive = _student(session, active=False)
    staff = _student(session, role=Role.STAFF)
    off = _student(session, frequency=ReminderFrequency.OFF)
    assert later.id and unverified.id and inactive.id and staff.id and off.id
    _task(session, later.id, FollowUpKind.THANK_YOU_NOTE, TODAY + timedelta(days=1))
    for user in (unverified, inactive, staff, off):
        assert user.id is not None
        _task(session, user.id, FollowUpKind.THANK_YOU_NOTE, TODAY)
    _run(session)
    for user in (idle, later, unverified, inactive, staff, off):
        assert mail_server.to(user.email) == []


def test_weekly_is_mondays_in_the_students_own_zone(session: Session,
                                                     mail_server: Inbox) -> None:
    # At 14:00 UTC on Monday it is already Tuesday in Auckland.
    here = _student(session, frequency=ReminderFrequency.WEEKLY, zone="America/Chicago")
    auckland = _student(session, frequency=ReminderFrequency.WEEKLY, zone="Pacific/Auckland")
    for user in (here, auckland):
        assert user.id is not None
        _task(session, user.id, FollowUpKind.PROGRESS_UPDATE, TODAY - timedelta(days=10))
    _run(session)
    assert len(mail_server.to(here.email)) == 1
    assert mail_server.to(auckland.email) == []
    _run(session, MONDAY + timedelta(days=1))  # Tuesday: no weekly digest anywhere
    assert len(mail_server.to(here.email)) == 1
    _run(session, MONDAY + timedelta(days=6, hours=5))  # 19:00 UTC Sun: 8 am Mon, Auckland
    assert len(mail_server.to(auckland.email)) == 1


def test_due_today_means_today_in_the_students_zone_from_7_am_there(
        session: Session, mail_server: Inbox) -> None:
    auckland = _student(session, zone="Pacific/Auckland")
    honolulu = _student(session, zone="Pacific/Honolulu")
    for user in (auckland, honolulu):
        assert user.id is not None
        _task(session, user.id, FollowUpKind.LINKEDIN_CONNECT, TODAY + timedelta(days=1))
    _run(session)  # 14:00 UTC: 3 am Tuesday in Auckland, too early
    assert mail_server.to(auckland.email) == []
    _run(session, MONDAY + timedelta(hours=5))  # 8 am Tuesday in Auckland, 9 am Monday here
    assert "Connect on LinkedIn (due today)" in text_part(_only(mail_server, auckland))
    assert mail_server.to(honolulu.email) == []


def test_a_second_run_sends_nothing_twice(session: Session, mail_server: Inbox) -> None:
    users = [_student(session) for _ in range(3)]
    for user in users:
        assert user.id is not None
        _task(session, user.id, FollowUpKind.THANK_YOU_NOTE, TODAY)
    _run(session)
    again = _run(session, MONDAY + timedelta(hours=3))
    assert again.already_sent >= 3
    for user in users:
        _only(mail_server, user)
    _run(session, MONDAY + timedelta(days=1))  # the next day: still overdue, a new digest
    for user in users:
        assert len(mail_server.to(user.email)) == 2


def test_a_claimed_digest_a_dead_run_never_sent_is_sent_by_the_next(
        session: Session, mail_server: Inbox) -> None:
    student = _student(session)
    assert student.id is not None
    _task(session, student.id, FollowUpKind.THANK_YOU_NOTE, TODAY)
    session.add(ReminderDigest(user_id=student.id, local_date=TODAY,
                               claimed_at=MONDAY - timedelta(minutes=5)))
    session.commit()
    _run(session)
    _only(mail_server, student)
    row = session.exec(select(ReminderDigest).where(ReminderDigest.user_id == student.id)).one()
    session.refresh(row)
    assert row.sent_at is not None


def _digest_run_statements(session: Session, students: int) -> tuple[int, int, int]:
    """(reads, writes, digests sent) of a run over ``students`` new students, each with two
    due tasks and an interview tomorrow."""
    for _ in range(students):
        user = _student(session)
        assert user.id is not None
        contact = add_contact(session, user.id, exploration_id(session, user.id))
        _task(session, user.id, FollowUpKind.THANK_YOU_NOTE, TODAY, contact=contact.id)
        _task(session, user.id, FollowUpKind.OUTREACH_NUDGE, TODAY - timedelta(days=2))
        add_interview(session, contact, datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
                      mode=InterviewMode.PHONE, status=InterviewStatus.SCHEDULED)
    with statements(session) as seen:
        report = _run(session)
    verbs = [sql.lstrip().split(None, 1)[0].upper() for sql in seen]
    # Not counted: each sending connection's one SET/PRAGMA (how many of the pool's threads
    # start depends on timing, never on the students: at most reminders.CONNECTIONS).
    assert sum(verb in ("SET", "PRAGMA") for verb in verbs) <= reminders.CONNECTIONS
    writes = sum(verb in ("INSERT", "UPDATE", "DELETE") for verb in verbs)
    return verbs.count("SELECT"), writes, report.sent


def test_the_statements_do_not_grow_with_the_students(session: Session,
                                                      mail_server: Inbox) -> None:
    """Reads: the same few per page of students, whatever they hold. Writes: one bulk claim
    per page and one mark per digest sent (what makes a restart skip it)."""
    small_reads, small_writes, small_sent = _digest_run_statements(session, 20)
    big_reads, big_writes, big_sent = _digest_run_statements(session, 200)
    assert (small_sent, big_sent) == (20, 200)
    assert small_reads == big_reads
    assert small_writes - small_sent == big_writes - big_sent


def _cli(db_url: str, mail_env: dict[str, str], connections: int = reminders.CONNECTIONS,
         **extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **mail_env, "REFLEX_DB_URL": db_url, "REFLEX_DEPLOY_URL": BASE,
           "INFOVIEW_SECRET_KEY": SECRET.decode(), **extra}
    return subprocess.run([str(INFOVIEW), "send-reminders", "--page-size", "4",
                           "--connections", str(connections)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
                          check=False)


@pytest.mark.parametrize("connections", [1, reminders.CONNECTIONS])
def test_a_run_killed_halfway_and_started_again_sends_each_digest_exactly_once(
        sqlite_url: str, mail_server: Inbox, connections: int) -> None:
    """On one connection nothing comes twice; on several, a digest another connection had
    sent and not yet marked when the run died comes again, as the same message."""
    # The CLI runs now: students in a zone where it is noon, so past 7 am whatever the hour.
    hours_ahead = 12 - datetime.now(UTC).hour
    zone = f"Etc/GMT{-hours_ahead:+d}" if hours_ahead else "Etc/GMT"
    with Session(db.engine_for(sqlite_url), expire_on_commit=False) as session:
        users = [_student(session, zone=zone) for _ in range(10)]
        for user in users:
            assert user.id is not None
            _task(session, user.id, FollowUpKind.THANK_YOU_NOTE, today_in(ZoneInfo(zone)))
    mail_env = {name: value for name, value in os.environ.items()
                if name.startswith(("INFOVIEW_SMTP", "INFOVIEW_MAIL"))}

    killed = _cli(sqlite_url, mail_env, connections, INFOVIEW_REMINDERS_EXIT_AFTER="6")
    assert killed.returncode == 3, killed.stderr
    # 6 sent and marked, plus any the other connections had sent and not yet marked.
    killed_sent = sum(len(mail_server.to(user.email)) for user in users)
    assert 6 <= killed_sent <= 6 + connections - 1
    with Session(db.engine_for(sqlite_url)) as session:
        claimed_unsent = session.exec(select(ReminderDigest).where(
            col(ReminderDigest.sent_at).is_(None))).all()
        assert len(claimed_unsent) == 2  # the rest of the page the killed run had claimed
    unmarked = {row.user_id for row in claimed_unsent}

    again = _cli(sqlite_url, mail_env, connections)
    assert again.returncode == 0, again.stderr
    assert "Reminder digests sent: 4;" in again.stdout
    for user in users:  # one digest each; an in-flight one came twice, as the same message
        assert len({message["Message-ID"] for message in mail_server.to(user.email)}) == 1
    twice = {user.id for user in users if len(mail_server.to(user.email)) == 2}
    assert all(len(mail_server.to(user.email)) <= 2 for user in users)
    assert twice <= unmarked and len(twice) <= connections - 1  # only those in flight
    total = sum(len(mail_server.to(user.email)) for user in users)
    assert total == 10 + len(twice)
    third = _cli(sqlite_url, mail_env, connections)
    assert "Reminder digests sent: 0;" in third.stdout
    assert sum(len(mail_server.to(user.email)) for user in users) == total


@pytest.mark.parametrize("zone", ["Europe/Paris", "no/such_zone"])
def test_own_zone_falls_back_to_the_institutions(zone: str) -> None:
    found = institution.own_zone(zone)
    assert (found is not None) == (zone == "Europe/Paris")
