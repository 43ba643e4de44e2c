"""What the student home page shows, computed in SQL, and the "<5" rule for staff figures."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Contact,
    Exploration,
    Interview,
    InterviewStatus,
    OutreachAttempt,
)
from infoview_app.models._base import utcnow
from infoview_app.services.steps import step_label

SMALL_GROUP = 5
SUPPRESSED = f"<{SMALL_GROUP}"


def is_small(students: int) -> bool:
    """A group of one to four students, whose figures staff may not see."""
    return 0 < students < SMALL_GROUP


def suppressed(count: int, students: int | None = None) -> str:
    """A count as staff may see it: '<5' when the group of students behind it is small.
    ``students`` is the number of distinct students the counted things belong to; without
    it, ``count`` is itself a number of students."""
    return SUPPRESSED if is_small(count if students is None else students) else str(count)


@dataclass
class StudentHome:
    explorations: list[dict[str, Any]] = field(default_factory=list)
    upcoming_interviews: list[dict[str, Any]] = field(default_factory=list)


# The home page is loaded on every visit: its statements are built once, at import, and
# select plain columns (no ORM objects); the counts are correlated subqueries on indexed keys.
def _per_exploration(model: Any, *conditions: Any) -> Any:
    return (select(func.count()).select_from(model)
            .where(model.exploration_id == Exploration.id, *conditions).scalar_subquery())


_EXPLORATIONS = (
    select(
        Exploration.id, Exploration.field_name, Exploration.current_step,
        (col(Exploration.occupation_code).is_not(None)
         | (func.length(Exploration.research_notes) > 0)).label("researched"),
        (func.length(Exploration.pitch) > 0).label("prepared"),
        _per_exploration(Contact).label("contacts"),
        (select(func.count()).select_from(OutreachAttempt)
         .join(Contact, col(Contact.id) == col(OutreachAttempt.contact_id))
         .where(Contact.exploration_id == Exploration.id).scalar_subquery()).label("attempts"),
        _per_exploration(Interview, Interview.status == InterviewStatus.COMPLETED)
        .label("interviews_held"),
    )
    .where(Exploration.owner_id == bindparam("user_id"))
    .order_by(col(Exploration.created_at).desc())
)
_UPCOMING_INTERVIEWS = (
    select(Interview.id, Interview.scheduled_at, Interview.mode, Contact.name,
           Exploration.field_name)
    .join(Contact, col(Contact.id) == col(Interview.contact_id))
    .join(Exploration, col(Exploration.id) == col(Interview.exploration_id))
    .where(Interview.owner_id == bindparam("user_id"),
           Interview.status == InterviewStatus.SCHEDULED,
           Interview.scheduled_at >= bindparam("now"))
    .order_by(Interview.scheduled_at).limit(10)
)


def _next_action(row: Any) -> str:
    if not row.researched:
        return "Research the field: read its O*NET and Occupational Outlook pages."
    if row.contacts == 0:
        return "List everyone you know in this field: faculty, family, friends, alumni."
    if not row.prepared:
        return "Prepare your 15-30 second introduction and your questions."
    if row.attempts == 0:
        return "Reach out to your first contact and ask for 20-30 minutes."
    if row.interviews_held == 0:
        return "Hold your interview: take notes and ask for two more names."
    return "Follow up: send your thank-you note and keep them posted."


def student_home(session: Session, user_id: int, now: datetime | None = None) -> StudentHome:
    now = now or utcnow()
    home = StudentHome()
    for row in session.exec(_EXPLORATIONS, params={"user_id": user_id}):
        home.explorations.append({
            "id": row.id,
            "field_name": row.field_name,
            "step": row.current_step,
            "step_label": step_label(row.current_step),
            "contacts": row.contacts,
            "next_action": _next_action(row),
        })
    for row in session.exec(_UPCOMING_INTERVIEWS, params={"user_id": user_id, "now": now}):
        home.upcoming_interviews.append({
            "id": row.id,
            "contact_name": row.name,
            "field_name": row.field_name,
            "when": row.scheduled_at.strftime("%a %d %b %Y, %H:%M UTC"),
            "mode": row.mode.replace("_", " "),
        })
    return home
