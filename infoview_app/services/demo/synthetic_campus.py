"""A synthetic campus for trying and measuring the staff dashboard: thousands of students
with explorations, contacts, outreach, interviews and thank-you notes, drawn from a seeded
random generator (the same seed gives the same rows on any database).

Rows are generated a chunk of students at a time and written with bulk inserts (executemany
on SQLite, COPY on PostgreSQL), so a million rows take seconds and little memory. Nobody can
sign in as a synthetic student (their password is random and discarded).
"""

import random
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from pwdlib import PasswordHash
from sqlmodel import Session, SQLModel, col, func, select

from infoview_app.models import (
    AuditEvent,
    AuditKind,
    Contact,
    ContactSource,
    Exploration,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewMode,
    InterviewStatus,
    Occupation,
    OutreachAttempt,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
    Question,
    QuestionOrigin,
    ReminderDigest,
    Role,
    User,
)
from infoview_app.services.accounts import reminder_preferences
from infoview_app.services.core.transactions import transaction

EMAIL_DOMAIN = "campus.synthetic.example"
CHUNK_STUDENTS = 1000
MAX_STUDENTS = 1_000_000
# Tables in the order rows must be written (parents first).
TABLES: tuple[type[SQLModel], ...] = (User, Exploration, ExplorationQuestion, Contact,
                                      OutreachAttempt, Interview, FollowUpTask,
                                      ReminderDigest, AuditEvent)
MAJORS = (("Biology", 14), ("Business", 16), ("Computer science", 12), ("Psychology", 11),
          ("Nursing", 9), ("Kinesiology", 7), ("English", 6), ("Mechanical engineering", 8),
          ("Art and design", 5), ("Education", 7), ("Economics", 4), ("Classics", 0.05))
SOURCES = ((ContactSource.FACULTY, 18), (ContactSource.FAMILY, 22), (ContactSource.FRIEND, 20),
           (ContactSource.LINKEDIN_ALUMNI, 20), (ContactSource.COMMUNITY_PARTNER, 6),
           (ContactSource.REFERRAL, 10), (ContactSource.OTHER, 4))
FIRST_NAMES = ("Ana", "Ben", "Chloé", "Dev", "Emeka", "Fatima", "Greta", "Hiro", "Isla",
               "Jon", "Kai", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven",
               "Tariq", "Uma", "Vik", "Wen", "Xavier", "Yara", "Zoe")
LAST_NAMES = ("Adams", "Baker", "Chen", "Diaz", "Eze", "Fischer", "García", "Haddad", "Ito",
              "Jones", "Kowalski", "López", "Müller", "Nguyen", "O'Brien", "Patel", "Quinn",
              "Rossi", "Smith", "Tanaka", "Usman", "Volkov", "Wang", "Young", "Zhou")
GOOD_PITCH = ("Hi, I'm a junior at the university studying the field you work in, and my "
              "adviser suggested I reach out to you. I'm exploring this career and would value "
              "twenty minutes of your perspective: what your days look like, how you prepared "
              "for the work, and what you wish you had known when you were starting out.")


@dataclass(frozen=True)
class CampusSize:
    """How many rows of each kind (interviews include cancelled and upcoming ones)."""

    students: int = 10_000
    explorations: int = 30_000
    contacts: int = 100_000
    interviews: int = 40_000
    outreach_attempts: int = 200_000

    def scaled(self, factor: float) -> "CampusSize":
        return CampusSize(**{f.name: round(getattr(self, f.name) * factor)
                             for f in fields(self)})


@dataclass(frozen=True)
class Catalogue:
    """What synthetic rows refer to: occupation codes, sample question ids, a password hash,
    the first free id of each table, and the day the campus is generated on."""

    occupation_codes: tuple[str, ...]
    question_ids: tuple[int, ...]
    password_hash: str
    first_ids: dict[str, int]
    today: date


def _table(model: type[SQLModel]) -> sa.Table:
    """The table a model maps (its name is a plain string for every model in TABLES)."""
    return SQLModel.metadata.tables[str(model.__tablename__)]


def catalogue(session: Session, today: date) -> Catalogue:
    """The catalogue of the database behind ``session``."""
    codes = tuple(session.exec(select(Occupation.code).order_by(col(Occupation.code))).all())
    questions = tuple(qid for qid in session.exec(
        select(Question.id).where(Question.origin == QuestionOrigin.SAMPLE)
        .order_by(col(Question.id))).all() if qid is not None)
    first_ids = {table.name: (session.exec(select(func.max(table.c.id))).one() or 0) + 1
                 for table in map(_table, TABLES)}
    unusable = PasswordHash.recommended().hash(secrets.token_urlsafe(24))
    return Catalogue(codes, questions, unusable, first_ids, today)


def _share(total: int, start: int, stop: int, students: int) -> int:
    """Rows of a table that fall to the students [start, stop) (exact over all chunks)."""
    return total * stop // students - total * start // students


def _days_up_to(start: date, most: int, today: date, rng: random.Random) -> int:
    """A number of days after ``start``: up to ``most``, never past ``today``."""
    return rng.randrange(0, max(1, min(most, (today - start).days) + 1))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randrange(8, 21), rng.randrange(60)), UTC)


ColumnValues = dict[str, object]
"""One row of a table, column name to value with its id: what a bulk INSERT or COPY takes."""
CampusChunk = dict[str, list[ColumnValues]]
"""A chunk of the campus: each table's name to its rows, in insertion order."""


@dataclass(frozen=True)
class _ExplorationDrawn:
    """What later rows of a chunk take from an exploration they belong to."""
    id: int
    owner_id: int
    created_at: datetime


@dataclass(frozen=True)
class _ContactDrawn:
    """What later rows take from a contact, and the contact's own row, whose pipeline stage
    moves up as its outreach, interviews and thank-you notes are drawn."""
    id: int
    owner_id: int
    exploration_id: int
    created_at: datetime
    row: ColumnValues

    def promote(self, stage: PipelineStage) -> None:
        """Move the stage up to ``stage`` (never down)."""
        if _STAGES.index(PipelineStage(str(self.row["stage"]))) < _STAGES.index(stage):
            self.row["stage"] = stage.value


_STAGES = list(PipelineStage)


class _Chunk:
    """The rows of one chunk of students, ids continuing from ``ids``."""

    def __init__(self, rng: random.Random, cat: Catalogue, ids: dict[str, int]) -> None:
        self.rng, self.cat, self.ids = rng, cat, ids
        self.now = datetime.combine(cat.today, time(23, 59), UTC)
        self.rows: CampusChunk = {_table(m).name: [] for m in TABLES}

    def add(self, model: type[SQLModel], **values: object) -> int:
        """Append a row to the model's table with the next id; returns the id."""
        table = _table(model).name
        row_id = self.ids[table]
        self.rows[table].append({"id": row_id, **values})
        self.ids[table] += 1
        return row_id

    def students(self, count: int) -> list[int]:
        rng, majors = self.rng, [m for m, _ in MAJORS]
        weights = [w for _, w in MAJORS]
        made = []
        for _ in range(count):
            email = f"student{self.ids['user_account']}@{EMAIL_DOMAIN}"
            made.append(self.add(
                User, email=email, email_key=email,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                role=Role.STUDENT.value, password_hash=self.cat.password_hash,
                major=rng.choices(majors, weights)[0] if rng.random() < 0.95 else None,
                graduation_year=self.cat.today.year + rng.randrange(0, 5),
                share_progress=rng.random() < 0.3, is_active=rng.random() < 0.98,
                created_at=_at(self.cat.today - timedelta(days=rng.randrange(400, 900)), rng)))
        return made

    def explorations(self, count: int, students: list[int]) -> list[_ExplorationDrawn]:
        rng, cat = self.rng, self.cat
        made = []
        for _ in range(count):
            created = _at(cat.today - timedelta(days=rng.randrange(0, 365)), rng)
            pitch = rng.choices(["", GOOD_PITCH, "Hi, I'm a student."], [5, 3, 2])[0]
            owner_id = rng.choice(students)
            exploration_id = self.add(
                Exploration, owner_id=owner_id,
                field_name=f"Field {rng.randrange(1, 400)}",
                occupation_code=(rng.choice(cat.occupation_codes)
                                 if cat.occupation_codes and rng.random() < 0.7 else None),
                current_step=1, research_notes=rng.choice(["", "", "Read the O*NET page."]),
                pitch=pitch, pitch_who_i_am="", pitch_what_i_study="", pitch_why_this_field="",
                pitch_why_this_person="", job_search_started=False, created_at=created,
                updated_at=created)
            made.append(_ExplorationDrawn(exploration_id, owner_id, created))
            if cat.question_ids and rng.random() < 0.5:
                for position, qid in enumerate(rng.sample(
                        cat.question_ids, min(len(cat.question_ids), rng.randrange(1, 6)))):
                    self.add(ExplorationQuestion, exploration_id=exploration_id, question_id=qid,
                             position=position)
        return made

    def contacts(self, count: int, explorations: list[_ExplorationDrawn]) -> list[_ContactDrawn]:
        rng = self.rng
        sources, weights = [s for s, _ in SOURCES], [w for _, w in SOURCES]
        by_exploration: dict[int, list[int]] = {}
        made = []
        for _ in range(count):
            exploration = rng.choice(explorations)
            created = exploration.created_at + timedelta(
                days=_days_up_to(exploration.created_at.date(), 30, self.cat.today, rng),
                minutes=rng.randrange(60))
            source = rng.choices(sources, weights)[0]
            earlier = by_exploration.setdefault(exploration.id, [])
            referred_by = rng.choice(earlier) if source == ContactSource.REFERRAL and earlier \
                else None
            contact_id = self.add(
                Contact, owner_id=exploration.owner_id, exploration_id=exploration.id,
                name=f"Contact {self.ids['contact']}", title="", organization="", email="",
                phone="", linkedin_url="", mailing_address="", source=source.value,
                referred_by_id=referred_by, may_use_referrer_name=referred_by is not None,
                partner_id=None, stage=PipelineStage.IDENTIFIED.value, created_at=created)
            earlier.append(contact_id)
            made.append(_ContactDrawn(contact_id, exploration.owner_id, exploration.id, created,
                                      self.rows["contact"][-1]))
        return made

    def outreach(self, count: int, contacts: list[_ContactDrawn]) -> None:
        rng = self.rng
        for _ in range(count):
            contact = rng.choice(contacts)
            start = contact.created_at.date()
            on = start + timedelta(days=_days_up_to(start, 20, self.cat.today, rng))
            self.add(OutreachAttempt, owner_id=contact.owner_id, contact_id=contact.id,
                     channel=rng.choice(list(OutreachChannel)).value,
                     outcome=rng.choice(list(OutreachOutcome)).value, attempted_on=on, note="",
                     created_at=_at(on, rng))
            contact.promote(PipelineStage.CONTACTED)

    def interviews(self, count: int, contacts: list[_ContactDrawn]) -> None:
        rng = self.rng
        for _ in range(count):
            contact = rng.choice(contacts)
            at = contact.created_at + timedelta(days=rng.randrange(2, 46),
                                             hours=rng.randrange(0, 8))
            if at >= self.now:
                status = InterviewStatus.SCHEDULED
            else:
                status = rng.choices([InterviewStatus.COMPLETED, InterviewStatus.CANCELLED],
                                     [85, 15])[0]
            held = status == InterviewStatus.COMPLETED
            interview_id = self.add(
                Interview, owner_id=contact.owner_id, contact_id=contact.id,
                exploration_id=contact.exploration_id, scheduled_at=at,
                duration_minutes=30, mode=rng.choice(list(InterviewMode)).value, location="",
                status=status.value, notes="", business_card_captured=held,
                arrived_early=held, asked_for_card=held, thanked_them=held,
                will_report_back=False, completed_at=at + timedelta(hours=1) if held else None,
                created_at=min(contact.created_at + timedelta(days=1), self.now))
            if status != InterviewStatus.CANCELLED:
                contact.promote(PipelineStage.SCHEDULED)
            if held:
                contact.promote(PipelineStage.INTERVIEWED)
                self.thank_you(contact, interview_id, at)

    def thank_you(self, contact: _ContactDrawn, interview_id: int, held: datetime) -> None:
        rng = self.rng
        if rng.random() >= 0.9:
            return
        sent = held + timedelta(days=rng.choices([0, 1, 2, 3, 6], [3, 4, 2, 1, 1])[0],
                                hours=rng.randrange(1, 10))
        done = rng.random() < 0.75 and sent <= self.now
        self.add(FollowUpTask, owner_id=contact.owner_id,
                 exploration_id=contact.exploration_id, contact_id=contact.id,
                 interview_id=interview_id, kind=FollowUpKind.THANK_YOU_NOTE.value,
                 due_on=held.date() + timedelta(days=2),
                 status=(FollowUpStatus.DONE if done else FollowUpStatus.OPEN).value,
                 snoozed_until=None, completed_at=sent if done else None,
                 created_at=held + timedelta(hours=1))
        if done:
            contact.promote(PipelineStage.THANKED)


    def reminders(self, students: list[int]) -> None:
        """The reminder digests emailed to each student over the past year (about one a
        fortnight, always before today), and the few who turned them off."""
        rng = self.rng
        for owner in students:
            for ago in sorted(rng.sample(range(1, 365), rng.randrange(0, 26)), reverse=True):
                sent = _at(self.cat.today - timedelta(days=ago), rng)
                self.add(ReminderDigest, user_id=owner, local_date=sent.date(),
                         claimed_at=sent, sent_at=sent)
            if rng.random() < 0.04:
                self.add(AuditEvent, kind=AuditKind.REMINDERS_OFF.value, actor_id=owner,
                         actor_email=None, target_id=owner, target_email=None,
                         detail=reminder_preferences.VIA_LINK, client="",
                         created_at=_at(self.cat.today - timedelta(days=rng.randrange(1, 365)),
                                        rng))


def campus_rows(size: CampusSize, cat: Catalogue, seed: int = 1,
                chunk_students: int = CHUNK_STUDENTS) -> Iterator[CampusChunk]:
    """The campus, a chunk of students at a time."""
    rng = random.Random(seed)
    ids = dict(cat.first_ids)
    for start in range(0, size.students, chunk_students):
        stop = min(start + chunk_students, size.students)
        chunk = _Chunk(rng, cat, ids)

        def share(total: int, start: int = start, stop: int = stop) -> int:
            return _share(total, start, stop, size.students)

        students = chunk.students(stop - start)
        chunk.reminders(students)
        explorations = chunk.explorations(share(size.explorations), students)
        contacts = chunk.contacts(share(size.contacts), explorations) if explorations else []
        if contacts:
            chunk.outreach(share(size.outreach_attempts), contacts)
            chunk.interviews(share(size.interviews), contacts)
        yield chunk.rows


def _copy_rows(connection: sa.Connection, table: str, rows: list[ColumnValues]) -> None:
    """PostgreSQL's COPY FROM STDIN: the fastest way in for many rows."""
    columns = list(rows[0])
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def insert_campus(session: Session, chunks: Iterable[CampusChunk]
                  ) -> dict[str, int]:
    """Write the chunks in one transaction; returns the rows written per table."""
    with transaction(session):
        connection = session.connection()
        postgres = connection.dialect.name == "postgresql"
        tables = [_table(model) for model in TABLES]
        written = {table.name: 0 for table in tables}
        for chunk in chunks:
            for table in tables:
                rows = chunk[table.name]
                if not rows:
                    continue
                if postgres:
                    _copy_rows(connection, table.name, rows)
                else:
                    connection.execute(table.insert(), rows)
                written[table.name] += len(rows)
        if postgres:  # explicit ids: move each table's id sequence past them
            for table in tables:
                connection.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT max(id) FROM {table.name}))"))
    return written


def real_students(session: Session) -> int:
    """Students who are not synthetic: a campus must not be mixed into a real one's figures."""
    return session.exec(select(func.count()).select_from(User).where(
        User.role == Role.STUDENT,
        ~col(User.email).endswith(f"@{EMAIL_DOMAIN}"))).one()


def create_campus(session: Session, size: CampusSize, today: date, seed: int = 1
                  ) -> dict[str, int]:
    """Generate and write a synthetic campus next to whatever the database holds."""
    return insert_campus(session, campus_rows(size, catalogue(session, today), seed))
