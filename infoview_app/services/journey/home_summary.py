"""What the student home page shows, computed in SQL."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam
from sqlalchemy import select as core_select
from sqlmodel import Session, col

from infoview_app.models import (
    Contact,
    Exploration,
    Interview,
    InterviewMode,
    InterviewStatus,
)
from infoview_app.models._base import utcnow
from infoview_app.services.core.wording import (
    ALL_STEPS_DONE,
    STEP_NAMES,
    date_time_label,
    label,
    plural,
    step_label,
)
from infoview_app.services.journey.step_progress import (
    StepState,
    StepStatus,
    progress_subquery,
    rule_columns,
    steps_from_facts,
    suggested_step,
)
from infoview_app.services.staff.institution import reader_zone


class ExplorationCard(TypedDict):
    """An exploration on the home page: its step, progress and what to do next."""
    id: int
    field_name: str
    step: int
    step_label: str
    steps_done: int
    steps_done_label: str
    contacts: int
    contacts_label: str
    next_action: str


class UpcomingInterview(TypedDict):
    id: int
    contact_name: str
    field_name: str
    when: str
    mode: str


@dataclass
class StudentHome:
    explorations: list[ExplorationCard] = field(default_factory=list)
    upcoming_interviews: list[UpcomingInterview] = field(default_factory=list)


# The home page is loaded on every visit: its statements are built once, at import, and
# select plain columns (no ORM objects). The explorations come with their steps' rules and
# contact count read from ``exploration_progress``, the per-exploration counts the database
# keeps on every write (step_progress.progress_subquery), so nothing is counted per load.
_FACTS, _FACT_VALUES = progress_subquery(Exploration.owner_id == bindparam("user_id"))
_EXPLORATIONS = (
    core_select(_FACTS.c.id, col(Exploration.field_name), col(Exploration.current_step),
                _FACTS.c.contacts, *rule_columns(_FACT_VALUES))
    .join(Exploration, col(Exploration.id) == _FACTS.c.id)
    .order_by(_FACTS.c.created_at.desc(), _FACTS.c.id.desc())
)
_UPCOMING_INTERVIEWS = (
    core_select(col(Interview.id), col(Interview.scheduled_at), col(Interview.mode),
                col(Contact.name), col(Exploration.field_name))
    .join(Contact, col(Contact.id) == col(Interview.contact_id))
    .join(Exploration, col(Exploration.id) == col(Interview.exploration_id))
    .where(col(Interview.owner_id) == bindparam("user_id"),
           col(Interview.status) == InterviewStatus.SCHEDULED,
           col(Interview.scheduled_at) >= bindparam("now"))
    .order_by(col(Interview.scheduled_at)).limit(10)
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


def next_action(states: list[StepState], current_step: int = 1) -> str:
    """What to do next: the first step not done; "Back to step N · ..." when the student has
    moved past it (the card's badge names a later step), so the two never disagree."""
    if all(state.status is StepStatus.DONE for state in states):
        return ALL_DONE_ACTION
    step = suggested_step(states)
    return (f"Back to step {step} · {_NEXT_ACTIONS[step]}" if step < current_step
            else _NEXT_ACTIONS[step])


def student_home(session: Session, user_id: int, now: datetime | None = None, *,
                 zone: ZoneInfo | None = None) -> StudentHome:
    """The home of ``user_id``, its times in ``zone`` (``reader_zone`` when not given: the
    access guard passes the one it read with the session). Two statements (three without
    ``zone``)."""
    now = now or utcnow()
    zone = zone or reader_zone(session, user_id)
    home = StudentHome()
    connection = session.connection()
    for row in connection.execute(_EXPLORATIONS, {"user_id": user_id}):
        exploration_id, field_name, current_step, contacts = row[:4]
        states = steps_from_facts(row)
        done = sum(state.status is StepStatus.DONE for state in states)
        home.explorations.append(ExplorationCard(
            id=exploration_id,
            field_name=field_name,
            step=current_step,
            step_label=ALL_STEPS_DONE if done == len(STEP_NAMES) else step_label(current_step),
            steps_done=done,
            steps_done_label=f"{done} of {len(STEP_NAMES)} steps done",
            contacts=contacts,
            contacts_label=plural(contacts, "contact"),
            next_action=next_action(states, current_step),
        ))
    upcoming = connection.execute(_UPCOMING_INTERVIEWS,
                                            {"user_id": user_id, "now": now})
    for interview_id, scheduled_at, mode, contact_name, field_name in upcoming:
        home.upcoming_interviews.append(UpcomingInterview(
            id=interview_id or 0,
            contact_name=contact_name,
            field_name=field_name,
            when=date_time_label(scheduled_at, zone),
            mode=label(InterviewMode, mode),
        ))
    return home
