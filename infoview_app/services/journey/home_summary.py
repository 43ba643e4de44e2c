"""What the student home page shows, computed in SQL."""

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
)
from infoview_app.models._base import utcnow
from infoview_app.services.core.wording import STEP_NAMES, step_label
from infoview_app.services.journey.step_progress import (
    StepState,
    StepStatus,
    step_states,
    suggested_step,
)


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
        _per_exploration(Contact).label("contacts"),
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


# What to do next, by the first step not done yet (the stepper's rules, services/journey).
_NEXT_ACTIONS = {
    1: "Research the field: read its O*NET and Occupational Outlook pages.",
    2: "List everyone you know in this field: faculty, family, friends, alumni.",
    3: "Prepare your 15-30 second introduction and your questions.",
    4: "Reach out to your first contact and ask for 20-30 minutes.",
    5: "Hold your interview: take notes and ask for two more names.",
    6: "Follow up: send your thank-you note and keep them posted.",
}
ALL_DONE_ACTION = ("Keep in touch: send progress updates, and reconnect when you start your "
                   "job search.")


def next_action(states: list[StepState]) -> str:
    if all(state.status is StepStatus.DONE for state in states):
        return ALL_DONE_ACTION
    return _NEXT_ACTIONS[suggested_step(states)]


def student_home(session: Session, user_id: int, now: datetime | None = None) -> StudentHome:
    now = now or utcnow()
    home = StudentHome()
    rows = session.exec(_EXPLORATIONS, params={"user_id": user_id}).all()
    states = step_states(session, user_id)
    for row in rows:
        if row.id not in states:
            continue  # deleted (in another tab) between the two reads
        done = sum(state.status is StepStatus.DONE for state in states[row.id])
        home.explorations.append({
            "id": row.id,
            "field_name": row.field_name,
            "step": row.current_step,
            "step_label": step_label(row.current_step),
            "steps_done": done,
            "steps_done_label": f"{done} of {len(STEP_NAMES)} steps done",
            "contacts": row.contacts,
            "next_action": next_action(states[row.id]),
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
