"""Where each exploration stands in the six steps, from what the student has done (a pitch
written, a call logged, notes saved), never from a checkbox alone.

Computed for many explorations at once: one query with correlated counts, then pure rules.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import bindparam
from sqlmodel import Session, col, func, select

from infoview_app.models import (
    Contact,
    Exploration,
    ExplorationQuestion,
    FollowUpKind,
    FollowUpStatus,
    FollowUpTask,
    Interview,
    InterviewStatus,
    OutreachAttempt,
)
from infoview_app.services.pitch import PitchVerdict, pitch_timing
from infoview_app.services.steps import STEP_NAMES

DEVELOP_DONE_AT = 3  # contacts on the list
PREPARE_QUESTIONS_DONE_AT = 3  # questions chosen


class StepStatus(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    DONE = "done"


@dataclass(frozen=True)
class StepState:
    number: int
    name: str
    status: StepStatus


def _count(model: Any, *conditions: Any) -> Any:
    return select(func.count()).select_from(model).where(*conditions).scalar_subquery()


_EXPLORATION_FACTS = (
    select(
        Exploration.id, Exploration.occupation_code, Exploration.research_notes,
        Exploration.pitch,
        _count(Contact, Contact.exploration_id == Exploration.id).label("contacts"),
        _count(ExplorationQuestion, ExplorationQuestion.exploration_id == Exploration.id)
        .label("questions"),
        (select(func.count()).select_from(OutreachAttempt)
         .join(Contact, col(Contact.id) == col(OutreachAttempt.contact_id))
         .where(Contact.exploration_id == Exploration.id).scalar_subquery())
        .label("attempts"),
        _count(Interview, Interview.exploration_id == Exploration.id,
               Interview.status == InterviewStatus.SCHEDULED).label("interviews_booked"),
        _count(Interview, Interview.exploration_id == Exploration.id,
               Interview.status == InterviewStatus.COMPLETED).label("interviews_held"),
        _count(FollowUpTask, FollowUpTask.exploration_id == Exploration.id,
               FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE).label("thank_yous"),
        _count(FollowUpTask, FollowUpTask.exploration_id == Exploration.id,
               FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE,
               FollowUpTask.status == FollowUpStatus.DONE).label("thank_yous_sent"),
    )
    .where(Exploration.owner_id == bindparam("owner_id"))
)


def _status(done: bool, started: bool) -> StepStatus:
    if done:
        return StepStatus.DONE
    return StepStatus.IN_PROGRESS if started else StepStatus.NOT_STARTED


def steps_from_facts(facts: Any) -> list[StepState]:
    """The six steps' states from one exploration's facts (a row of _EXPLORATION_FACTS)."""
    researched = [bool(facts.occupation_code), bool(facts.research_notes.strip())]
    pitch_good = pitch_timing(facts.pitch).verdict is PitchVerdict.GOOD
    statuses = [
        _status(all(researched), any(researched)),
        _status(facts.contacts >= DEVELOP_DONE_AT, facts.contacts > 0),
        _status(pitch_good and facts.questions >= PREPARE_QUESTIONS_DONE_AT,
                bool(facts.pitch.strip()) or facts.questions > 0),
        _status(facts.interviews_booked + facts.interviews_held > 0, facts.attempts > 0),
        _status(facts.interviews_held > 0, facts.interviews_booked > 0),
        _status(facts.thank_yous > 0 and facts.thank_yous_sent == facts.thank_yous,
                facts.thank_yous > 0),
    ]
    return [StepState(number, name, status) for number, (name, status)
            in enumerate(zip(STEP_NAMES, statuses, strict=True), start=1)]


def step_states(session: Session, owner_id: int) -> dict[int, list[StepState]]:
    """Every exploration of the student, by id, with its six steps' states."""
    return {row.id: steps_from_facts(row)
            for row in session.exec(_EXPLORATION_FACTS, params={"owner_id": owner_id})}


def suggested_step(states: list[StepState]) -> int:
    """The step to work on next: the first one not done (the last step once all are)."""
    return next((s.number for s in states if s.status is not StepStatus.DONE), len(states))
