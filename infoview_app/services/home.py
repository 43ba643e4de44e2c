"""What the student and staff home pages show, computed in SQL."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Contact,
    Exploration,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewStatus,
    OutreachAttempt,
    Role,
    User,
)
from infoview_app.models._base import utcnow
from infoview_app.services.steps import step_label

SMALL_GROUP = 5
FOLLOW_UP_HORIZON = timedelta(days=14)

FOLLOW_UP_LABELS = {
    FollowUpKind.THANK_YOU_NOTE: "Mail a hand-written thank-you note",
    FollowUpKind.LINKEDIN_CONNECT: "Connect on LinkedIn",
    FollowUpKind.PROGRESS_UPDATE: "Send a progress update",
    FollowUpKind.RECONNECT: "Reconnect: tell them you're starting your job search",
    FollowUpKind.OUTREACH_NUDGE: "Try reaching out again",
    FollowUpKind.MOVE_ON: "No answer yet: consider another contact",
}


def suppressed(count: int) -> str:
    """A count of students as staff may see it: groups under five read '<5'."""
    return f"<{SMALL_GROUP}" if 0 < count < SMALL_GROUP else str(count)


@dataclass
class StudentHome:
    explorations: list[dict[str, Any]] = field(default_factory=list)
    upcoming_interviews: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)


def _next_action(exploration: Exploration, contacts: int, attempts: int,
                 completed_interviews: int) -> str:
    if not exploration.occupation_code and not exploration.research_notes:
        return "Research the field: read its O*NET and Occupational Outlook pages."
    if contacts == 0:
        return "List everyone you know in this field: faculty, family, friends, alumni."
    if not exploration.pitch:
        return "Prepare your 15-30 second introduction and your questions."
    if attempts == 0:
        return "Reach out to your first contact and ask for 20-30 minutes."
    if completed_interviews == 0:
        return "Hold your interview: take notes and ask for two more names."
    return "Follow up: send your thank-you note and keep them posted."


def _counts_by_exploration(session: Session, user_id: int, column: Any, model: type,
                           *conditions: Any) -> dict[int, int]:
    rows = session.exec(
        select(column, func.count()).select_from(model)
        .where(model.owner_id == user_id, *conditions).group_by(column)
    ).all()
    return {exploration_id: count for exploration_id, count in rows if exploration_id}


def student_home(session: Session, user_id: int, now: datetime | None = None) -> StudentHome:
    now = now or utcnow()
    explorations = session.exec(
        select(Exploration).where(Exploration.owner_id == user_id)
        .order_by(col(Exploration.created_at).desc())
    ).all()
    contacts = _counts_by_exploration(session, user_id, Contact.exploration_id, Contact)
    completed = _counts_by_exploration(session, user_id, Interview.exploration_id, Interview,
                                       Interview.status == InterviewStatus.COMPLETED)
    attempts = dict(session.exec(
        select(Contact.exploration_id, func.count()).select_from(OutreachAttempt)
        .join(Contact, col(Contact.id) == col(OutreachAttempt.contact_id))
        .where(OutreachAttempt.owner_id == user_id).group_by(Contact.exploration_id)
    ).all())
    home = StudentHome()
    for exploration in explorations:
        eid = exploration.id
        home.explorations.append({
            "id": eid,
            "field_name": exploration.field_name,
            "step": exploration.current_step,
            "step_label": step_label(exploration.current_step),
            "contacts": contacts.get(eid, 0),
            "next_action": _next_action(exploration, contacts.get(eid, 0),
                                        attempts.get(eid, 0), completed.get(eid, 0)),
        })
    for interview, contact_name, field_name in session.exec(
        select(Interview, Contact.name, Exploration.field_name)
        .join(Contact, col(Contact.id) == col(Interview.contact_id))
        .join(Exploration, col(Exploration.id) == col(Interview.exploration_id))
        .where(Interview.owner_id == user_id, Interview.status == InterviewStatus.SCHEDULED,
               Interview.scheduled_at >= now)
        .order_by(Interview.scheduled_at).limit(10)
    ).all():
        home.upcoming_interviews.append({
            "id": interview.id,
            "contact_name": contact_name,
            "field_name": field_name,
            "when": interview.scheduled_at.strftime("%a %d %b %Y, %H:%M UTC"),
            "mode": interview.mode.replace("_", " "),
        })
    today = now.date()
    for task, contact_name in session.exec(
        select(FollowUpTask, Contact.name)
        .join(Contact, col(Contact.id) == col(FollowUpTask.contact_id), isouter=True)
        .where(FollowUpTask.owner_id == user_id, FollowUpTask.status == FollowUpStatus.OPEN,
               FollowUpTask.due_on <= today + FOLLOW_UP_HORIZON)
        .order_by(FollowUpTask.due_on).limit(20)
    ).all():
        home.follow_ups.append(_follow_up_row(task, contact_name, today))
    return home


def _follow_up_row(task: FollowUpTask, contact_name: str | None, today: date) -> dict[str, Any]:
    days = (task.due_on - today).days
    due = ("overdue" if days < 0 else "due today" if days == 0
           else f"due in {days} day{'s' if days != 1 else ''}")
    return {"id": task.id, "label": FOLLOW_UP_LABELS[FollowUpKind(task.kind)],
            "contact_name": contact_name or "", "due": due, "overdue": days < 0,
            "due_on": task.due_on.isoformat()}


@dataclass
class StaffHome:
    students: str
    students_this_month: str
    explorations: int
    interviews_completed: int
    sharing_progress: str
    outreach_attempts: int


def staff_home(session: Session, now: datetime | None = None) -> StaffHome:
    """Programme-wide figures; student counts are suppressed below five."""
    now = now or utcnow()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    students = select(func.count()).select_from(User).where(User.role == Role.STUDENT,
                                                            col(User.is_active).is_(True))
    return StaffHome(
        students=suppressed(session.exec(students).one()),
        students_this_month=suppressed(
            session.exec(students.where(User.created_at >= month_start)).one()),
        explorations=session.exec(select(func.count()).select_from(Exploration)).one(),
        interviews_completed=session.exec(
            select(func.count()).select_from(Interview)
            .where(Interview.status == InterviewStatus.COMPLETED)).one(),
        sharing_progress=suppressed(session.exec(
            students.where(col(User.share_progress).is_(True))).one()),
        outreach_attempts=session.exec(select(func.count()).select_from(OutreachAttempt)).one(),
    )
