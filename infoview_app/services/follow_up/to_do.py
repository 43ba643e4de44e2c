"""Step 6, Follow-up: the one to-do list across all of a student's explorations, and what
done, snooze and skip mean for each kind of task. The due dates come from
services/follow_up/due_dates.py; this module stores and changes FollowUpTask rows, owner-scoped."""

from datetime import date, timedelta
from typing import Any, TypedDict

from sqlalchemy import bindparam
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select, update

from infoview_app.models import (
    Contact,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    PipelineStage,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.core import validation as check
from infoview_app.services.core.errors import InvalidInput
from infoview_app.services.core.ownership import owned
from infoview_app.services.core.transactions import save, saving, transaction
from infoview_app.services.core.wording import FOLLOW_UP_LABELS, date_label, plural
from infoview_app.services.follow_up.due_dates import (
    DueTask,
    late_after,
    next_progress_update,
    reconnect_task,
)
from infoview_app.services.journey.explorations import owned_exploration

SNOOZE_DAYS = (1, 60)
HIGHLIGHT_MAX = 200
# The contacts a student has met in a field: the ones to tell about a job search.
MET_STAGES = (PipelineStage.INTERVIEWED, PipelineStage.THANKED)

_Student = aliased(User)
# Loaded on every home visit: one statement, built once. A snooze hides a task until its
# date; sorting by due date puts the overdue ones first. The contact and the field are outer
# joins: None for a task without them.
_TODO = (
    select(FollowUpTask, Contact, col(Exploration.field_name), col(_Student.name))
    .join(_Student, col(_Student.id) == col(FollowUpTask.owner_id))
    .join(Contact, col(Contact.id) == col(FollowUpTask.contact_id), isouter=True)
    .join(Exploration, col(Exploration.id) == col(FollowUpTask.exploration_id), isouter=True)
    .where(FollowUpTask.owner_id == bindparam("owner_id"),
           FollowUpTask.status == FollowUpStatus.OPEN,
           or_(col(FollowUpTask.snoozed_until).is_(None),
               col(FollowUpTask.snoozed_until) <= bindparam("today")))
    .order_by(col(FollowUpTask.due_on), col(FollowUpTask.id))
)


class DueRow(TypedDict):
    """A task as the home page lists it."""
    id: int
    label: str
    contact_name: str
    due: str
    overdue: bool
    due_on: str


class TaskRow(DueRow):
    """A task as the pages show it: the home page's row plus the task's links."""
    kind: str
    contact_id: int | None
    exploration_id: int | None
    interview_id: int | None


class ToDoItem(TaskRow):
    """A to-do list entry: a thank-you note carries the mailing address and a draft."""
    field_name: str
    mailing_address: str
    draft: str


def thank_you_draft(student_name: str, contact_name: str, field: str,
                    highlight: Any = "") -> str:
    """A short, warm thank-you note to copy by hand onto a card. ``highlight`` is one thing
    the student learned, in their words ("how varied a clinic day is"); it is validated
    because it comes from the browser. The wording asks for nothing, least of all a job."""
    learned = " ".join(check.text(highlight, "highlight", max_length=HIGHLIGHT_MAX,
                                  required=False, label="What you learned").split())
    learned = learned.rstrip(".!;:, ")
    middle = (f"I especially valued what you shared about {learned}."
              if learned else "Your advice gave me a much clearer picture of the field.")
    return (f"Dear {contact_name.strip()},\n\n"
            f"Thank you for taking the time to talk with me about {field.strip()}. {middle} "
            "I am grateful for your generosity and your insight.\n\n"
            f"With warm thanks,\n{student_name.strip()}")


def _due_row(task_id: int, kind: str, due_on: date, contact_name: str | None,
                   today: date) -> DueRow:
    """A task's due wording: "due in 3 days", "due today", "overdue"; a progress update
    that has fallen due is on time until its window closes ("due by Tue 14 Apr")."""
    days = (due_on - today).days
    late = late_after(kind, due_on)
    overdue = today > late
    if overdue:
        due = "overdue"
    elif late > due_on and days <= 0:
        due = f"due by {date_label(late, today=today)}"
    else:
        due = "due today" if days == 0 else f"due in {plural(days, 'day')}"
    return DueRow(id=task_id, label=FOLLOW_UP_LABELS[FollowUpKind(kind)],
                  contact_name=contact_name or "", due=due, overdue=overdue,
                  due_on=due_on.isoformat())


def task_row(task: FollowUpTask, contact_name: str | None, today: date) -> TaskRow:
    """A task as the pages show it: the home page's row plus the task's links."""
    return TaskRow(**_due_row(task.id or 0, task.kind, task.due_on, contact_name, today),
                   kind=str(task.kind), contact_id=task.contact_id,
                   exploration_id=task.exploration_id, interview_id=task.interview_id)


def new_task(owner_id: int, exploration_id: int | None, contact_id: int | None,
             interview_id: int | None, due: DueTask) -> FollowUpTask:
    return FollowUpTask(owner_id=owner_id, exploration_id=exploration_id,
                        contact_id=contact_id, interview_id=interview_id, kind=due.kind,
                        due_on=due.due_on)


def todo_list(session: Session, owner_id: int, today: date, exploration_id: int | None = None
              ) -> list[ToDoItem]:
    """Every open task of the student (of one exploration, given ``exploration_id``) that is
    not snoozed beyond ``today``, oldest due date first. A thank-you note carries the mailing
    address and a draft of the text. One query."""
    rows = session.exec(_TODO, params={"owner_id": owner_id, "today": today}).all()
    todo: list[ToDoItem] = []
    for task, contact, field_name, student_name in rows:
        if exploration_id is not None and task.exploration_id != exploration_id:
            continue
        # Outer joins: the contact and the field are None for a task without them.
        contact_name: str | None = contact.name if contact is not None else None
        item = ToDoItem(**task_row(task, contact_name, today), field_name=field_name or "",
                        mailing_address="", draft="")
        if task.kind == FollowUpKind.THANK_YOU_NOTE:
            item["mailing_address"] = (contact.mailing_address if contact is not None
                                       else "") or ""
            item["draft"] = thank_you_draft(student_name, contact_name or "",
                                            field_name or "the field")
        todo.append(item)
    return todo


def _owned_task(session: Session, owner_id: int, task_id: Any) -> FollowUpTask:
    return owned(session, FollowUpTask, owner_id, task_id, "follow-up")


def mark_done(session: Session, owner_id: int, task_id: Any, today: date
              ) -> TaskRow | None:
    """Mark a task done (again: nothing changes). A thank-you note done means mailed: the
    contact is thanked. A progress update done schedules the next one, 4 weeks from
    ``today``, and returns it. Any task done with a contact is a touch (``keep_in_touch``)."""
    task = _owned_task(session, owner_id, task_id)
    if task.status == FollowUpStatus.DONE:
        return None
    contact = (owned(session, Contact, owner_id, task.contact_id, "contact")
               if task.contact_id is not None else None)
    task.status = FollowUpStatus.DONE
    task.completed_at = utcnow()
    task.snoozed_until = None
    changed: list[Any] = [task]
    if task.kind == FollowUpKind.THANK_YOU_NOTE and contact is not None:
        contact.stage = PipelineStage.THANKED
        changed.append(contact)
    following = None
    if task.kind == FollowUpKind.PROGRESS_UPDATE:
        following = new_task(owner_id, task.exploration_id, task.contact_id, task.interview_id,
                             DueTask(FollowUpKind.PROGRESS_UPDATE, next_progress_update(today)))
        changed.append(following)
    with transaction(session):
        keep_in_touch(session, owner_id, task.contact_id, today)
        session.add_all(changed)
    if following is None:
        return None
    return task_row(following, contact.name if contact else None, today)


def keep_in_touch(session: Session, owner_id: int, contact_id: int | None, today: date
                  ) -> None:
    """A touch with a contact (an outreach attempt, interview notes, a follow-up done):
    their open progress update restarts its cadence, due 4 weeks from ``today`` (the
    student's) and unsnoozed. A contact without one (never interviewed, or the student
    did not offer to report back) gets none. The caller commits."""
    if contact_id is None:
        return
    session.exec(update(FollowUpTask).where(
        col(FollowUpTask.owner_id) == owner_id, col(FollowUpTask.contact_id) == contact_id,
        col(FollowUpTask.kind) == FollowUpKind.PROGRESS_UPDATE,
        col(FollowUpTask.status) == FollowUpStatus.OPEN,
    ).values(due_on=next_progress_update(today), snoozed_until=None))


def _until(value: Any, today: date) -> date:
    """The date a snooze ends: a date or its ISO text, 1 to 60 days after ``today``."""
    value = check.iso_date(value, "until")
    low, high = SNOOZE_DAYS
    if not today + timedelta(days=low) <= value <= today + timedelta(days=high):
        raise InvalidInput(f"Snooze for {low} to {high} days.", "until")
    return value


def _require_open(task: FollowUpTask) -> None:
    if task.status != FollowUpStatus.OPEN:
        raise InvalidInput("This follow-up is already closed.", "task_id")


def snooze(session: Session, owner_id: int, task_id: Any, until: Any, *, today: date) -> None:
    """Hide an open task from the to-do list until ``until`` (1 to 60 days ahead)."""
    day = _until(until, today)
    task = _owned_task(session, owner_id, task_id)
    _require_open(task)
    task.snoozed_until = day
    save(session, task)


def skip(session: Session, owner_id: int, task_id: Any) -> None:
    """Drop an open task from the list for good (skipping it again changes nothing)."""
    task = _owned_task(session, owner_id, task_id)
    if task.status == FollowUpStatus.SKIPPED:
        return
    _require_open(task)
    task.status = FollowUpStatus.SKIPPED
    task.snoozed_until = None
    save(session, task)


def start_job_search(session: Session, owner_id: int, exploration_id: Any, today: date
                     ) -> list[TaskRow]:
    """The student is starting a job search in this field: note it, and add one reconnect
    task for every contact met in it who has none yet. Returns the tasks added (none when
    called again)."""
    exploration = owned_exploration(session, owner_id, exploration_id)
    met = session.exec(select(Contact).where(
        Contact.owner_id == owner_id, Contact.exploration_id == exploration.id,
        col(Contact.stage).in_(MET_STAGES)).order_by(col(Contact.id))).all()
    has_task = set(session.exec(select(FollowUpTask.contact_id).where(
        FollowUpTask.owner_id == owner_id, FollowUpTask.kind == FollowUpKind.RECONNECT,
        col(FollowUpTask.contact_id).in_([c.id for c in met]))).all())
    added = [(new_task(owner_id, exploration.id, c.id, None, reconnect_task(today)), c.name)
             for c in met if c.id not in has_task]
    with saving(session, exploration):
        exploration.job_search_started = True
        session.add_all([task for task, _ in added])
    return [task_row(task, name, today) for task, name in added]
