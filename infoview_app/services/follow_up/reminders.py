"""The reminder digests that `infoview send-reminders` emails (issue 14): to each student, what
is due or overdue today in their own time zone (open follow-ups, snoozes respected) and any
interview tomorrow there, with its calendar file; sent only when there is something, every
day (daily), on Mondays (weekly) or never (off), from 7 am their time (``SEND_FROM``: run
the command hourly). Students only, active, address proven.

Exactly once per student and day of their calendar: the run claims a ``ReminderDigest`` row
per digest (unique per user and day), sends, then marks it sent. A second run finds the rows
sent and sends nothing; a row claimed and not sent (a run killed halfway) is sent by the next
run. The caller runs one run at a time (cli.py holds a lock), so a claimed row it meets is
a dead run's. The digests go out on one SMTP connection by default (``CONNECTIONS``), each
sent then marked, so a killed run re-sends nothing but, at worst, the one digest between the
server's "accepted" and its mark, with the same Message-ID. ``connections`` above 1 sends on
that many connections at once, each in its own thread: faster with a slow mail server, at
the cost of up to one re-sent digest per connection when a run is killed.

The marks' commits don't wait for the disk (PostgreSQL ``synchronous_commit`` off; SQLite
``synchronous=NORMAL`` in its WAL mode), on the senders' own connections only. A killed run
loses nothing by it: the database server (or the WAL file) already has every commit. Only
the database server crashing, or the machine losing power, can lose the last fraction of a
second of marks, and the next run would then send those digests again, with the same
Message-ID.

Bounded reads: students are read a page at a time (``PAGE_SIZE``), and each page's tasks and
tomorrow's interviews with one statement each, so 10,000 students take the same few
statements per page whatever they hold. The writes are one bulk INSERT of a page's claims and
one UPDATE per digest sent: that mark is what makes a restart skip it.
"""

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import Message
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, or_, select

from infoview_app import routes
from infoview_app.config import SmtpSettings
from infoview_app.models import (
    Contact,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewMode,
    InterviewStatus,
    ReminderDigest,
    ReminderFrequency,
    Role,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.accounts.reminder_preferences import unsubscribe_token
from infoview_app.services.connect.calendar_files import (
    ICS_MEDIA_TYPE,
    ics_filename,
    interview_ics,
    uid_domain_for,
)
from infoview_app.services.core import mail
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.mail import Attachment, Letter, Letterhead
from infoview_app.services.core.time_zones import in_zone
from infoview_app.services.core.wording import (
    FOLLOW_UP_LABELS,
    date_label,
    date_time_label,
    plural,
)
from infoview_app.services.staff import institution

log = logging.getLogger("infoview.reminders")

PAGE_SIZE = 500
# SMTP connections (each with its own thread and database connection) sending at once. One
# keeps a killed run's re-sends to the single digest in flight; 10,000 students' digests take
# 26 s on it (docs/benchmarks.md (l)).
CONNECTIONS = 1
# No digest before this hour of the student's morning: run the command hourly and each one
# arrives between 7 and 8 am where they are.
SEND_FROM = time(7)
UNSUBSCRIBE_LABEL = "Stop these reminder emails"
OPEN_LABEL = "Open InfoView"


@dataclass(frozen=True)
class Student:
    """A student who may get a digest today, with their own day."""
    id: int
    email: str
    name: str
    zone: ZoneInfo
    today: date


@dataclass(frozen=True)
class DueItem:
    kind: FollowUpKind
    due_on: date
    contact_name: str


@dataclass(frozen=True)
class InterviewItem:
    id: int
    scheduled_at: datetime
    duration_minutes: int
    mode: InterviewMode
    location: str
    contact_name: str
    field_name: str


@dataclass
class Digest:
    """What one student's digest says."""
    student: Student
    due: list[DueItem] = field(default_factory=list[DueItem])
    interviews: list[InterviewItem] = field(default_factory=list[InterviewItem])


@dataclass
class RunReport:
    """What a run did: digests sent, failed (the server refused them: retried next run),
    students skipped because today's digest was already sent, and pages read."""
    sent: int = 0
    failed: int = 0
    already_sent: int = 0
    pages: int = 0


@dataclass(frozen=True)
class Mailing:
    """Where and how the digests go: the SMTP server, the office's letterhead, the app's
    address (for links), the unsubscribe route's URL (on the backend's address), the secret
    that signs unsubscribe links, and the moment of the run."""
    settings: SmtpSettings
    letterhead: Letterhead
    base_url: str
    unsubscribe_url: str
    secret: bytes
    now: datetime


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone).astimezone(UTC)


def wants_digest(frequency: str, today: date) -> bool:
    """Daily: any day; weekly: Mondays (the student's); off: never."""
    if frequency == ReminderFrequency.DAILY:
        return True
    return frequency == ReminderFrequency.WEEKLY and today.weekday() == 0


_STUDENTS = (sa.select(col(User.id), col(User.email), col(User.name), col(User.time_zone),
                    col(User.reminder_frequency))
             .where(col(User.role) == Role.STUDENT, col(User.is_active).is_(True),
                    col(User.email_verified_at).is_not(None),
                    col(User.reminder_frequency) != ReminderFrequency.OFF,
                    col(User.id) > sa.bindparam("after"))
             .order_by(col(User.id)).limit(sa.bindparam("page_size")))


def _student_page(session: Session, after: int, page_size: int, default_zone: ZoneInfo,
                  now: datetime) -> tuple[list[Student], int | None]:
    """The next page of students who want a digest today (in their zone), and the last id
    read (None when there are no more)."""
    rows = session.execute(_STUDENTS, {"after": after, "page_size": page_size}).all()
    students = []
    for user_id, email, name, zone_name, frequency in rows:
        zone = institution.own_zone(zone_name) or default_zone
        local = now.astimezone(zone)
        if local.time() >= SEND_FROM and wants_digest(frequency, local.date()):
            students.append(Student(user_id, email, name, zone, local.date()))
    return students, (rows[-1][0] if rows else None)


def _sent_already(session: Session, students: list[Student]) -> set[int]:
    """Which of ``students`` were sent today's digest (one statement)."""
    if not students:
        return set()
    rows = session.exec(select(col(ReminderDigest.user_id), col(ReminderDigest.local_date))
                        .where(col(ReminderDigest.user_id).in_([s.id for s in students]),
                               col(ReminderDigest.local_date).in_({s.today for s in students}),
                               col(ReminderDigest.sent_at).is_not(None))).all()
    sent = set(rows)
    return {s.id for s in students if (s.id, s.today) in sent}


def _due_items(session: Session, by_id: dict[int, Digest]) -> None:
    """Each student's open follow-ups due by their today and not snoozed past it, oldest
    first (one statement for the page)."""
    latest = max(d.student.today for d in by_id.values())
    rows = session.execute(
        sa.select(col(FollowUpTask.owner_id), col(FollowUpTask.kind), col(FollowUpTask.due_on),
               col(FollowUpTask.snoozed_until), col(Contact.name))
        .join(Contact, col(Contact.id) == col(FollowUpTask.contact_id), isouter=True)
        .where(col(FollowUpTask.owner_id).in_(list(by_id)),
               col(FollowUpTask.status) == FollowUpStatus.OPEN,
               col(FollowUpTask.due_on) <= latest,
               or_(col(FollowUpTask.snoozed_until).is_(None),
                   col(FollowUpTask.snoozed_until) <= latest))
        .order_by(col(FollowUpTask.owner_id), col(FollowUpTask.due_on),
                  col(FollowUpTask.id))).all()
    for owner_id, kind, due_on, snoozed_until, contact_name in rows:
        digest = by_id[owner_id]
        today = digest.student.today
        if due_on <= today and (snoozed_until is None or snoozed_until <= today):
            digest.due.append(DueItem(FollowUpKind(kind), due_on, contact_name or ""))


def _interviews_tomorrow(session: Session, by_id: dict[int, Digest]) -> None:
    """Each student's interviews booked for tomorrow in their zone (one statement)."""
    spans = {owner: (_midnight(d.student.today + timedelta(days=1), d.student.zone),
                     _midnight(d.student.today + timedelta(days=2), d.student.zone))
             for owner, d in by_id.items()}
    rows = session.execute(
        sa.select(col(Interview.owner_id), col(Interview.id), col(Interview.scheduled_at),
               col(Interview.duration_minutes), col(Interview.mode), col(Interview.location),
               col(Contact.name), col(Exploration.field_name))
        .join(Contact, col(Contact.id) == col(Interview.contact_id))
        .join(Exploration, col(Exploration.id) == col(Interview.exploration_id))
        .where(col(Interview.owner_id).in_(list(by_id)),
               col(Interview.status) == InterviewStatus.SCHEDULED,
               col(Interview.scheduled_at) >= min(start for start, _ in spans.values()),
               col(Interview.scheduled_at) < max(end for _, end in spans.values()))
        .order_by(col(Interview.owner_id), col(Interview.scheduled_at))).all()
    for owner_id, interview_id, at, minutes, mode, location, contact, field_name in rows:
        start, end = spans[owner_id]
        at = in_zone(at, UTC)
        if start <= at < end:
            by_id[owner_id].interviews.append(InterviewItem(
                interview_id, at, minutes, InterviewMode(mode), location, contact, field_name))


def _claim(session: Session, digests: list[Digest], now: datetime) -> None:
    """Claim today's digest of each student (one statement; a row a dead run claimed and
    never sent is already there and stays claimed)."""
    rows = [{"user_id": d.student.id, "local_date": d.student.today, "claimed_at": now}
            for d in digests]
    if not rows:
        return
    table = ReminderDigest.__table__  # pyright: ignore[reportAttributeAccessIssue] SQLModel's table
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table))
    session.execute(insert.on_conflict_do_nothing(
        index_elements=["user_id", "local_date"]), rows)
    session.commit()


_MARK_SENT = (sa.update(ReminderDigest)
              .where(col(ReminderDigest.user_id) == sa.bindparam("uid"),
                     col(ReminderDigest.local_date) == sa.bindparam("day"))
              .values(sent_at=sa.bindparam("sent_at")))


def _marks_connection(engine: sa.Engine) -> sa.Connection:
    """A connection of its own for one sender's marks, whose commits don't wait for the disk
    (see the module): one setting for the connection, not one statement per mark. It is
    discarded, never pooled, after the run (``_Sender.close``), so the setting stays here."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection.execute(sa.text("SET synchronous_commit TO OFF"))
        connection.commit()
    elif engine.dialect.name == "sqlite":
        # WAL mode (db.py): NORMAL syncs at checkpoints, not at each commit; a commit
        # survives the process being killed, only a power cut may undo the last ones.
        connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
        connection.commit()
    return connection


def _mark_sent(connection: sa.Connection, student: Student, at: datetime) -> None:
    connection.execute(_MARK_SENT, {"uid": student.id, "day": student.today, "sent_at": at})
    connection.commit()


def _due_text(item: DueItem, today: date, zone: ZoneInfo) -> str:
    what = FOLLOW_UP_LABELS[item.kind]
    who = f": {item.contact_name}" if item.contact_name else ""
    when = ("due today" if item.due_on == today
            else f"overdue since {date_label(item.due_on, zone, today)}")
    return f"{what}{who} ({when})"


def _interview_text(item: InterviewItem, today: date, zone: ZoneInfo) -> str:
    return (f"Informational interview with {item.contact_name} about {item.field_name}: "
            f"{date_time_label(item.scheduled_at, zone, today)}, "
            f"{plural(item.duration_minutes, 'minute')}")


def _calendar_file(item: InterviewItem, student: Student, host: str, now: datetime
                   ) -> Attachment | None:
    """The interview's .ics (the one step 4 offers), or None when its stored details don't
    make a valid one (an in-person interview with no place noted)."""
    try:
        content = interview_ics(
            uid_domain=uid_domain_for(host), interview_id=item.id, start=item.scheduled_at,
            duration_minutes=item.duration_minutes, mode=item.mode, location=item.location,
            contact_name=item.contact_name, field_name=item.field_name,
            student_name=student.name, created=now)
    except InvalidInput:
        log.info("reminders: no calendar file for interview %d (incomplete details)", item.id)
        return None
    maintype, _, subtype = ICS_MEDIA_TYPE.partition("/")
    return Attachment(ics_filename(item.id), content, maintype, subtype)


def _subject(digest: Digest) -> str:
    parts = []
    if digest.due:
        parts.append(f"{plural(len(digest.due), 'follow-up')} due")
    if digest.interviews:
        parts.append("an interview tomorrow" if len(digest.interviews) == 1
                     else f"{plural(len(digest.interviews), 'interview')} tomorrow")
    return "InfoView: " + " and ".join(parts)


def digest_message(digest: Digest, mailing: Mailing) -> Message:
    """The digest as an email: the list, the interviews' calendar files, a deterministic
    Message-ID per student and day, and the one-click unsubscribe (RFC 8058)."""
    student = digest.student
    base = mailing.base_url.rstrip("/")
    host = urlsplit(base).hostname or ""
    unsubscribe = f"{mailing.unsubscribe_url}?t={unsubscribe_token(student.id, mailing.secret)}"
    items = [_due_text(item, student.today, student.zone) for item in digest.due]
    items += [_interview_text(item, student.today, student.zone) for item in digest.interviews]
    attachments = [file for item in digest.interviews
                   if (file := _calendar_file(item, student, host, mailing.now))]
    day = date_label(student.today, student.zone, student.today)
    paragraphs = [f"Hello {student.name},", f"Here is what is waiting for you on {day}:"]
    if attachments:
        paragraphs.append("The calendar file of tomorrow's interview is attached: open it to "
                          "add the interview to your calendar.")
    domain = mailing.settings.sender.rpartition("@")[2] or "infoview.local"
    letter = Letter(
        to=student.email, subject=_subject(digest), paragraphs=paragraphs, items=items,
        link_label=OPEN_LABEL, link_url=f"{base}{routes.HOME}",
        footer_links=[(UNSUBSCRIBE_LABEL, unsubscribe)], attachments=attachments,
        headers={"List-Unsubscribe": f"<{unsubscribe}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                 "Auto-Submitted": "auto-generated"},
        message_id=f"<digest-{student.id}-{student.today.isoformat()}@{domain}>")
    return mail.compose(letter, mailing.letterhead, mailing.settings.sender)


def page_digests(session: Session, after: int, page_size: int, default_zone: ZoneInfo,
                 now: datetime, report: RunReport) -> tuple[list[Digest], int | None]:
    """The digests of the next page of students that have something in them and were not
    sent today, and the last student id read (None: no more students)."""
    students, last = _student_page(session, after, page_size, default_zone, now)
    if last is None:
        return [], None
    report.pages += 1
    sent = _sent_already(session, students)
    report.already_sent += len(sent)
    by_id = {s.id: Digest(s) for s in students if s.id not in sent}
    if by_id:
        _due_items(session, by_id)
        _interviews_tomorrow(session, by_id)
    return [d for d in by_id.values() if d.due or d.interviews], last


class _Sender:
    """One of the run's senders: its own SMTP connection and its own database connection for
    the marks, used by one thread at a time."""

    def __init__(self, engine: sa.Engine, settings: SmtpSettings) -> None:
        self.bag = mail.Mailbag(settings)
        self.marks = _marks_connection(engine)

    def close(self) -> None:
        self.bag.close()
        self.marks.invalidate()  # its commit setting must not reach the pool
        self.marks.close()


class _Run:
    """The shared part of a run: the report, ``on_sent`` called in order of marking, and a
    sender per thread of the pool (made on first use, closed at the end)."""

    def __init__(self, engine: sa.Engine, mailing: Mailing,
                 on_sent: Callable[[int], None]) -> None:
        self.engine, self.mailing, self.on_sent = engine, mailing, on_sent
        self.report = RunReport()
        self.lock = threading.Lock()
        self.local = threading.local()
        self.senders: list[_Sender] = []

    def sender(self) -> _Sender:
        sender: _Sender | None = getattr(self.local, "sender", None)
        if sender is None:
            sender = _Sender(self.engine, self.mailing.settings)
            self.local.sender = sender
            with self.lock:
                self.senders.append(sender)
        return sender

    def send(self, digest: Digest) -> None:
        """Send one digest, then mark it sent (in this order: see the module)."""
        sender = self.sender()
        if sender.bag.send(digest_message(digest, self.mailing)):
            _mark_sent(sender.marks, digest.student, utcnow())
            with self.lock:
                self.report.sent += 1
                self.on_sent(self.report.sent)
        else:
            with self.lock:
                self.report.failed += 1

    def close(self) -> None:
        for sender in self.senders:
            sender.close()


def send_reminders(session: Session, mailing: Mailing, *, page_size: int = PAGE_SIZE,
                   connections: int = CONNECTIONS,
                   on_sent: Callable[[int], None] = lambda _count: None) -> RunReport:
    """Send every digest due now (see the module), on ``connections`` SMTP connections at
    once. ``on_sent`` is called with the running count after each digest is sent and marked
    (progress, or a test stopping the run), one call at a time."""
    engine = session.get_bind()
    assert isinstance(engine, sa.Engine), "send_reminders needs a session on an engine"
    run = _Run(engine, mailing, on_sent)
    default_zone = institution.time_zone(session)
    after = 0
    try:
        with ThreadPoolExecutor(max_workers=max(1, connections),
                                thread_name_prefix="reminders") as pool:
            while True:
                digests, last = page_digests(session, after, page_size, default_zone,
                                             mailing.now, run.report)
                if last is None:
                    break
                after = last
                _claim(session, digests, utcnow())
                list(pool.map(run.send, digests))  # the page sent before the next is read
    finally:
        run.close()
    return run.report
