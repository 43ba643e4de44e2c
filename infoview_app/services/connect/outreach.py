"""Step 4, Connect: the log of outreach attempts, the 3B7 reminders they set and the
contact's place in the pipeline.

Decisions:
- The reminders follow the contact's latest attempt (by date; the later-logged on a tie).
  Logging an older attempt after the fact stores it but leaves the newer one's reminders.
- Replaced reminders are deleted, not marked skipped: they were never the student's to do.
  Reminders already done or skipped stay as history.
- "Not in the future" is judged against the latest date anywhere on Earth (UTC+14), as the
  server does not know the student's time zone: today is always accepted.
"""

from datetime import date, datetime, timedelta, timezone
from typing import Any, TypedDict

from sqlmodel import Session, col, delete, desc, func, select

from infoview_app.models import (
    Contact,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    OutreachAttempt,
    OutreachChannel,
    OutreachOutcome,
    PipelineStage,
)
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.time_zones import today_in
from infoview_app.services.core.transactions import transaction
from infoview_app.services.follow_up.due_dates import outreach_reminders
from infoview_app.services.follow_up.to_do import keep_in_touch
from infoview_app.services.journey.explorations import owned_exploration
from infoview_app.services.staff.institution import today_for

NOTE_MAX = 1000
EARLIEST_ATTEMPT = date(2000, 1, 1)
OUTREACH_REMINDER_KINDS = (FollowUpKind.OUTREACH_NUDGE, FollowUpKind.MOVE_ON)
_EARLIEST_ZONE = timezone(timedelta(hours=14))  # UTC+14, Kiribati: the first place a day begins
_STAGE_ORDER = list(PipelineStage)


def latest_today(now: datetime | None = None) -> date:
    """Today's date where the day is furthest ahead: no student's today is later."""
    return today_in(_EARLIEST_ZONE, now)


def attempt_date(value: Any, now: datetime | None = None) -> date:
    """When an attempt was made: not before 2000 and not in the future."""
    day = check.iso_date(value, "attempted_on", "date of the attempt")
    if day < EARLIEST_ATTEMPT:
        raise InvalidInput("Choose a date in 2000 or later.", "attempted_on")
    if day > latest_today(now):
        raise InvalidInput("That date is in the future: log an attempt once it is made.",
                           "attempted_on")
    return day


def advance_stage(contact: Contact, stage: PipelineStage) -> None:
    """Move the contact forward to ``stage``; a contact already further along stays put."""
    if _STAGE_ORDER.index(PipelineStage(stage)) > _STAGE_ORDER.index(
            PipelineStage(contact.stage)):
        contact.stage = stage


def clear_outreach_reminders(session: Session, owner_id: int, contact_id: int) -> None:
    """Delete the contact's open nudge and move-on reminders. The caller commits."""
    session.exec(delete(FollowUpTask).where(
        col(FollowUpTask.owner_id) == owner_id,
        col(FollowUpTask.contact_id) == contact_id,
        col(FollowUpTask.status) == FollowUpStatus.OPEN,
        col(FollowUpTask.kind).in_(OUTREACH_REMINDER_KINDS)))


class AttemptView(TypedDict):
    """An outreach attempt as plain data (ISO date, enum values)."""
    id: int
    contact_id: int
    channel: str
    outcome: str
    attempted_on: str
    note: str


class Reminder(TypedDict):
    id: int
    kind: str
    due_on: str


class LoggedAttempt(AttemptView):
    """An attempt just logged: the contact's stage after it and the reminders created."""
    stage: str
    reminders: list[Reminder]


def attempt_dict(attempt: OutreachAttempt) -> AttemptView:
    return AttemptView(id=attempt.id or 0, contact_id=attempt.contact_id,
                       channel=OutreachChannel(attempt.channel).value,
                       outcome=OutreachOutcome(attempt.outcome).value,
                       attempted_on=attempt.attempted_on.isoformat(), note=attempt.note)


def _task_dict(task: FollowUpTask) -> Reminder:
    return Reminder(id=task.id or 0, kind=FollowUpKind(task.kind).value,
                    due_on=task.due_on.isoformat())


def _newer_attempt_exists(session: Session, owner_id: int, contact_id: int, day: date) -> bool:
    return session.exec(select(OutreachAttempt.id).where(
        OutreachAttempt.owner_id == owner_id, OutreachAttempt.contact_id == contact_id,
        OutreachAttempt.attempted_on > day).limit(1)).first() is not None


class _AttemptFields(TypedDict):
    """An attempt's validated fields, as stored."""
    channel: OutreachChannel
    outcome: OutreachOutcome
    attempted_on: date
    note: str


def log_attempt(session: Session, owner_id: int, contact_id: Any, channel: Any, outcome: Any,
                attempted_on: Any, note: Any = "", *,
                now: datetime | None = None) -> LoggedAttempt:
    """Store one outreach attempt, set the contact's 3B7 reminders, restart their progress
    update's cadence (keep in touch) and move the contact along the pipeline (contacted;
    scheduled if the outcome is scheduled), all in one commit.

    Returns the attempt with ``stage`` (the contact's stage after it) and
    ``reminders`` (the reminder tasks created: id, kind, ISO due_on). ``now`` is for tests.
    """
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    clean = check.form(
        _AttemptFields,
        channel=lambda: check.choice(channel, OutreachChannel, "channel"),
        outcome=lambda: check.choice(outcome, OutreachOutcome, "outcome"),
        attempted_on=lambda: attempt_date(attempted_on, now),
        note=lambda: check.text(note, "note", max_length=NOTE_MAX, required=False),
    )
    assert contact.id is not None
    with transaction(session):
        attempt = OutreachAttempt(owner_id=owner_id, contact_id=contact.id, **clean)
        session.add(attempt)
        reminders: list[FollowUpTask] = []
        if not _newer_attempt_exists(session, owner_id, contact.id, clean["attempted_on"]):
            clear_outreach_reminders(session, owner_id, contact.id)
            reminders = [
                FollowUpTask(owner_id=owner_id, exploration_id=contact.exploration_id,
                             contact_id=contact.id, kind=due.kind, due_on=due.due_on)
                for due in outreach_reminders(clean["attempted_on"], clean["outcome"])]
            session.add_all(reminders)
        keep_in_touch(session, owner_id, contact.id, today_for(session, owner_id, now))
        advance_stage(contact, PipelineStage.CONTACTED)
        if clean["outcome"] is OutreachOutcome.SCHEDULED:
            advance_stage(contact, PipelineStage.SCHEDULED)
        session.add(contact)
    return LoggedAttempt(**attempt_dict(attempt), stage=PipelineStage(contact.stage).value,
                         reminders=[_task_dict(task) for task in reminders])


def attempts_for(session: Session, owner_id: int, contact_id: Any) -> list[AttemptView]:
    """One contact's attempts, newest first (by date, then by when they were logged)."""
    contact = owned(session, Contact, owner_id, contact_id, "contact")
    rows = session.exec(select(OutreachAttempt).where(
        OutreachAttempt.owner_id == owner_id, OutreachAttempt.contact_id == contact.id)
        .order_by(desc(OutreachAttempt.attempted_on), desc(OutreachAttempt.id))).all()
    return [attempt_dict(row) for row in rows]


def last_attempt_by_contact(session: Session, owner_id: int,
                            exploration_id: Any) -> dict[int, AttemptView]:
    """The latest attempt of every contact in one exploration, by contact id; contacts never
    tried are absent. One query for all contacts, whatever their number (after the owner
    check of the exploration)."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    rank = func.row_number().over(
        partition_by=col(OutreachAttempt.contact_id),
        order_by=(desc(OutreachAttempt.attempted_on), desc(OutreachAttempt.id))).label("rank")
    ranked = (
        select(OutreachAttempt.id, rank)
        .join(Contact, col(Contact.id) == col(OutreachAttempt.contact_id))
        .where(OutreachAttempt.owner_id == owner_id, Contact.owner_id == owner_id,
               Contact.exploration_id == exploration.id)
        .subquery())
    rows = session.exec(select(OutreachAttempt).join(ranked, ranked.c.id == OutreachAttempt.id)
                        .where(ranked.c.rank == 1)).all()
    return {row.contact_id: attempt_dict(row) for row in rows}
