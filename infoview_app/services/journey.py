"""Where each exploration stands in the six steps, from what the student has done (a pitch
written, a call logged, notes saved), never from a checkbox alone.

Computed for many explorations at once: one query with correlated counts and the rules as SQL
conditions (shared with the staff dashboard's funnel), then the pitch's timing in Python.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, bindparam, or_
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
from infoview_app.services.sql import has_text
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


@dataclass(frozen=True)
class Facts:
    """What one exploration's step states are judged from, as SQL expressions (columns of a
    query, or literal values)."""

    occupation_code: Any
    research_notes: Any
    pitch: Any
    contacts: Any
    questions: Any
    attempts: Any
    interviews_booked: Any
    interviews_held: Any
    thank_yous: Any
    thank_yous_sent: Any


def _fact_columns() -> dict[str, Any]:
    """Each fact of the exploration ``Exploration.id`` (correlated counts on indexed keys)."""
    return {
        "occupation_code": Exploration.occupation_code,
        "research_notes": Exploration.research_notes,
        "pitch": Exploration.pitch,
        "contacts": _count(Contact, Contact.exploration_id == Exploration.id),
        "questions": _count(ExplorationQuestion,
                            ExplorationQuestion.exploration_id == Exploration.id),
        "attempts": (select(func.count()).select_from(OutreachAttempt)
                     .join(Contact, col(Contact.id) == col(OutreachAttempt.contact_id))
                     .where(Contact.exploration_id == Exploration.id).scalar_subquery()),
        "interviews_booked": _count(Interview, Interview.exploration_id == Exploration.id,
                                    Interview.status == InterviewStatus.SCHEDULED),
        "interviews_held": _count(Interview, Interview.exploration_id == Exploration.id,
                                  Interview.status == InterviewStatus.COMPLETED),
        "thank_yous": _count(FollowUpTask, FollowUpTask.exploration_id == Exploration.id,
                             FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE),
        "thank_yous_sent": _count(FollowUpTask, FollowUpTask.exploration_id == Exploration.id,
                                  FollowUpTask.kind == FollowUpKind.THANK_YOU_NOTE,
                                  FollowUpTask.status == FollowUpStatus.DONE),
    }


def facts_subquery(*where: Any) -> tuple[Any, Facts]:
    """A subquery of the explorations matching ``where`` (id, owner_id and their facts), and
    its fact columns. Rules read the columns, so each count runs once per exploration."""
    facts = (select(Exploration.id, Exploration.owner_id,
                    *(value.label(name) for name, value in _fact_columns().items()))
             .where(*where).subquery("facts"))
    return facts, Facts(**{name: facts.c[name] for name in _fact_columns()})


def step_rules(facts: Facts) -> list[tuple[Any, Any]]:
    """(started, done) of each of the six steps, as SQL conditions on the facts. The one rule
    SQL can't judge, a pitch of a good length (step 3 done), is left to ``steps_from_facts``."""
    occupation = func.coalesce(facts.occupation_code, "") != ""
    notes = has_text(facts.research_notes)
    return [
        (or_(occupation, notes), and_(occupation, notes)),
        (facts.contacts > 0, facts.contacts >= DEVELOP_DONE_AT),
        (or_(has_text(facts.pitch), facts.questions > 0),
         facts.questions >= PREPARE_QUESTIONS_DONE_AT),
        (facts.attempts > 0, facts.interviews_booked + facts.interviews_held > 0),
        (facts.interviews_booked > 0, facts.interviews_held > 0),
        (facts.thank_yous > 0,
         and_(facts.thank_yous > 0, facts.thank_yous_sent == facts.thank_yous)),
    ]


def reached(facts: Facts) -> list[Any]:
    """Whether the exploration reached each step (started or done it), as SQL conditions:
    exact, since a step done needs more than a good pitch only once it is started."""
    return [or_(started, done) for started, done in step_rules(facts)]


def rule_columns(facts: Facts) -> list[Any]:
    """The step rules as labelled boolean columns (started_1, done_1, ... done_6) and the
    pitch, the row ``steps_from_facts`` reads."""
    columns = [facts.pitch.label("pitch")]
    for number, (started, done) in enumerate(step_rules(facts), start=1):
        columns += [sa.type_coerce(started, sa.Boolean).label(f"started_{number}"),
                    sa.type_coerce(done, sa.Boolean).label(f"done_{number}")]
    return columns


_FACTS, _FACT_VALUES = facts_subquery(Exploration.owner_id == bindparam("owner_id"))
_EXPLORATION_STEPS = select(_FACTS.c.id, *rule_columns(_FACT_VALUES))


def _status(done: bool, started: bool) -> StepStatus:
    if done:
        return StepStatus.DONE
    return StepStatus.IN_PROGRESS if started else StepStatus.NOT_STARTED


def steps_from_facts(row: Any) -> list[StepState]:
    """The six steps' states from one exploration's row of ``rule_columns``."""
    pitch_good = pitch_timing(row.pitch).verdict is PitchVerdict.GOOD
    statuses = [_status(bool(getattr(row, f"done_{number}")) and (number != 3 or pitch_good),
                        bool(getattr(row, f"started_{number}")))
                for number in range(1, len(STEP_NAMES) + 1)]
    return [StepState(number, name, status) for number, (name, status)
            in enumerate(zip(STEP_NAMES, statuses, strict=True), start=1)]


def step_states(session: Session, owner_id: int) -> dict[int, list[StepState]]:
    """Every exploration of the student, by id, with its six steps' states."""
    return {row.id: steps_from_facts(row)
            for row in session.exec(_EXPLORATION_STEPS, params={"owner_id": owner_id})}


def suggested_step(states: list[StepState]) -> int:
    """The step to work on next: the first one not done (the last step once all are)."""
    return next((s.number for s in states if s.status is not StepStatus.DONE), len(states))
